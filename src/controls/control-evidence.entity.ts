import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import { Control } from './control.entity.js';

/**
 * A file that shows a control is in place. The bytes live in PostgreSQL (`content`) or, when
 * EVIDENCE_DIR is set, in that folder under their SHA-256 (`storagePath`); never both.
 */
@Entity('control_evidence')
export class ControlEvidence extends OrganizationScopedEntity {
  @Index()
  @Column('uuid')
  controlId!: string;

  @ManyToOne(() => Control, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'control_id' })
  control?: Relation<Control>;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea', nullable: true, select: false })
  content!: Buffer | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  storagePath!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid', nullable: true })
  uploadedById!: string | null;
}
