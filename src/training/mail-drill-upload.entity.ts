import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Course } from './course.entity.js';
import type { DrillFormat, DrillRow } from './mail-drill-csv.js';
import type { DrillImportResult } from './mail-drills.service.js';

/**
 * A drill results file checked on the drill page without writing (the preview), waiting for its
 * uploader to confirm the import, for at most an hour: the pages work without JavaScript, so the
 * rows wait here between the two steps. Only what the import reads is kept (who, and the five
 * yes/no results, by line), never Gophish's addresses, places or times; the row goes when it is
 * imported, replaced by a new upload, or expired.
 */
@Entity('mail_drill_uploads')
export class MailDrillUpload extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<Course>;

  @Column('uuid')
  uploadedById!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'uploaded_by_id' })
  uploadedBy?: Relation<Staff>;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: 16 })
  format!: DrillFormat;

  /** how the file names people */
  @Column({ type: 'varchar', length: 16 })
  keyColumn!: 'email' | 'employeeNumber';

  /** the file's rows as read (line, who, results) */
  @Column({ type: 'jsonb', select: false })
  rows!: DrillRow[];

  /** what the preview found */
  @Column({ type: 'jsonb' })
  preview!: DrillImportResult;

  @Index()
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
