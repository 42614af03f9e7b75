import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Staff } from './staff.entity.js';

/**
 * An HR file uploaded on the import page and checked without writing (the preview), kept until the
 * person who uploaded it confirms the import, for at most an hour: the pages work without
 * JavaScript, so the file waits here between the two steps. Its bytes are removed when it is
 * imported; the row itself, and any file left unconfirmed, goes when it expires.
 */
@Entity('staff_import_uploads')
export class StaffImportUpload extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  uploadedById!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'uploaded_by_id' })
  uploadedBy?: Relation<Staff>;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'int' })
  size!: number;

  /** the file as uploaded; null once imported */
  @Column({ type: 'bytea', nullable: true, select: false })
  content!: Buffer | null;

  /** data rows in the file */
  @Column({ type: 'int' })
  rows!: number;

  /** what the preview found, then (once used) what the import did */
  @Column({ type: 'int' })
  created!: number;

  @Column({ type: 'int' })
  updated!: number;

  @Column({ type: 'int' })
  unchanged!: number;

  @Index()
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
