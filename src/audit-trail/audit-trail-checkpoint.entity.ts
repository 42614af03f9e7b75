import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Organization } from '../organizations/organization.entity.js';

/**
 * A signed note of an organisation's chain head (the last row's seq and hash) at a moment, kept
 * beside the chain: a tail cut off the audit trail (rows deleted from the end, which the chain alone
 * cannot show) leaves a checkpoint naming a row that is no longer there. Append-only like the trail
 * (the migration's trigger refuses UPDATE, DELETE and TRUNCATE; the application may only INSERT and SELECT).
 */
@Entity('audit_trail_checkpoints')
@Index('ux_audit_trail_checkpoints_head', ['organizationId', 'seq'], { unique: true })
export class AuditTrailCheckpoint {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  /** seq of the organisation's last audit-trail row when the checkpoint was made */
  @Column({ type: 'bigint' })
  seq!: string;

  /** that row's hash */
  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** id of the key that signed the checkpoint */
  @Column({ type: 'varchar', length: 16 })
  keyId!: string;

  /** HMAC-SHA-256 (key derived for 'audit-checkpoint') over {organizationId, seq, hash, keyId, createdAt} */
  @Column({ type: 'char', length: 64 })
  signature!: string;

  @Column({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
