import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { EscalationChannel } from './escalation-policy.entity.js';

/**
 * One level of a climb told once (one attempt). Unique per climb, level and attempt: a timer and the
 * checker racing, or a job run twice, tell a level once.
 */
@Entity('escalation_firings')
@Index('uq_escalation_firings_attempt', ['climbId', 'level', 'attempt'], { unique: true })
@Index('ix_escalation_firings_incident', ['incidentId', 'firedAt'])
export class EscalationFiring extends OrganizationScopedEntity {
  @Column('uuid')
  climbId!: string;

  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'int' })
  level!: number;

  @Column({ type: 'int' })
  attempt!: number;

  /** when it was due, and when it was told (lateness = firedAt − dueAt) */
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz' })
  firedAt!: Date;

  /** the people told (resolved from the level's recipients when it fired) */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  recipientIds!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  channels!: EscalationChannel[];

  /** the webhook's delivery: null (none owed or not yet), sending (claimed), sent, failed */
  @Column({ type: 'varchar', length: 8, nullable: true })
  webhookStatus!: 'sending' | 'sent' | 'failed' | null;

  @Column({ type: 'timestamptz', nullable: true })
  webhookClaimedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  webhookSentAt!: Date | null;
}
