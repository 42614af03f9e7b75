import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * A report's idempotency key (the `Idempotency-Key` header, or the page's one-time form token) and
 * the incident it made: a retried or double-clicked submission finds it and gets the first result.
 * The key is scoped to who submitted (`staff:<id>`, or `resident`).
 */
@Entity('incident_submissions')
@Index('uq_incident_submissions_key', ['organizationId', 'submitter', 'idempotencyKey'], { unique: true })
export class IncidentSubmission extends OrganizationScopedEntity {
  @Column({ type: 'varchar', length: 60 })
  submitter!: string;

  @Column({ type: 'varchar', length: 200 })
  idempotencyKey!: string;

  /** SHA-256 of the request body: the same key with another body is refused */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  @Column('uuid')
  incidentId!: string;
}
