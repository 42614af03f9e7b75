import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A file attached to a checklist item as evidence, stored like control evidence: the bytes in
 * PostgreSQL (`content`) or, when EVIDENCE_DIR is set, in that folder under their SHA-256 (`storagePath`).
 */
@Entity('audit_checklist_evidence')
@Index('ix_audit_checklist_evidence_item', ['checklistItemId'])
export class ChecklistEvidence extends OrganizationScopedEntity {
  @Column('uuid')
  auditId!: string;

  @Column('uuid')
  checklistItemId!: string;

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

  @Column({ type: 'uuid', nullable: true })
  uploadedById!: string | null;
}
