import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Course } from './course.entity.js';

/**
 * A file of a course's material (PDF, slides, MP4), served by Mamori itself: terminals in the LGWAN
 * zone cannot reach video sites. Stored like control evidence: in PostgreSQL (`content`) or, when
 * EVIDENCE_DIR is set, in that folder under its SHA-256 (`storagePath`).
 */
@Entity('course_attachments')
export class CourseAttachment extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<Course>;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  size!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea', nullable: true, select: false })
  content!: Buffer | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  storagePath!: string | null;

  @Column({ type: 'uuid', nullable: true })
  uploadedById!: string | null;
}
