import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Organization } from '../organizations/organization.entity.js';

export interface FieldChange {
  before?: unknown;
  after?: unknown;
}

/**
 * 操作ログ: one row per change, chained per organisation by hash. The database refuses UPDATE,
 * DELETE and TRUNCATE on this table (see the migration's trigger).
 */
@Entity('audit_trail')
@Index('ix_audit_trail_chain', ['organizationId', 'seq'])
@Index('ix_audit_trail_entity', ['organizationId', 'entityType', 'entityId'])
// the audit-trail page and its export, newest first (occurred_at, then seq), filtered by period, who acted, or what they did
@Index('ix_audit_trail_occurred', ['organizationId', 'occurredAt', 'seq'])
@Index('ix_audit_trail_actor', ['organizationId', 'actorId', 'occurredAt', 'seq'])
@Index('ix_audit_trail_action', ['organizationId', 'action', 'occurredAt', 'seq'])
export class AuditTrailEntry {
  @PrimaryColumn('uuid')
  id!: string;

  /** position in the deployment-wide sequence; the chain of an organisation follows it */
  @Column({ type: 'bigint', generated: 'increment', unique: true })
  seq!: string;

  @Column('uuid')
  organizationId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  /** the staff member, null for the system */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** who, readable: an e-mail address or "system:cli" */
  @Column({ type: 'varchar', length: 254 })
  actorLabel!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 64 })
  entityType!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  entityId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes!: Record<string, FieldChange>;

  @Column({ type: 'inet', nullable: true })
  clientAddress!: string | null;

  /**
   * the client address exactly as stored while the column was text, on rows where `inet` does not
   * read that text back unchanged (a forged X-Forwarded-For value, an address in another spelling);
   * null on every other row. The row's hash covers this text in place of `clientAddress` (see
   * `entryHash`), so such rows verify as they were written, and the forged value is kept as evidence.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  clientAddressLegacy!: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  /**
   * the public id of the key that sealed the row (see `auditKeyId`); null on rows written before
   * keys had ids, which verify tries under every key of the ring
   */
  @Column({ type: 'varchar', length: 16, nullable: true })
  keyId!: string | null;

  @Column({ type: 'char', length: 64 })
  previousHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
