import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A file attached to an incident (a screenshot, the suspicious mail, a log). Stored like control
 * evidence: the bytes in PostgreSQL (`content`) or, when EVIDENCE_DIR is set, in that folder under
 * their SHA-256 (`storagePath`); never both.
 */
@Entity('incident_attachments')
@Index('ix_incident_attachments_incident', ['incidentId'])
export class IncidentAttachment extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

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
