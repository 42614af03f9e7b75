import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';
import type { EscalationLevel } from './escalation-policy.entity.js';

/** Why a climb stopped. */
export const CLIMB_STOP_REASONS = ['acknowledged', 'severity_lowered', 'superseded', 'closed', 'rejected', 'exhausted'] as const;
export type ClimbStopReason = (typeof CLIMB_STOP_REASONS)[number];

/** The policy as it was when the climb started: editing the policy later changes nothing here. */
export interface PolicySnapshot {
  policyId: string;
  key: string;
  name: string;
  /** the English name (absent from snapshots taken before it was kept: the pages show `name`) */
  nameEn?: string | null;
  revision: number;
  webhookUrl: string | null;
  levels: EscalationLevel[];
}

/**
 * One climb of an escalation policy for an incident: started by the report, by triage or by a
 * raised severity, stopped by an acknowledgement, a lowered severity, closing or rejecting. The next
 * level and attempt, and when it is due, are kept here: the worker's timers (bull delayed jobs) fire
 * them on time, and a checker re-derives what is due from this table after any restart.
 * One running climb per incident.
 */
@Entity('escalation_climbs')
@Index('uq_escalation_climbs_running', ['incidentId'], { unique: true, where: 'stopped_at IS NULL' })
@Index('ix_escalation_climbs_due', ['nextDueAt'], { where: 'stopped_at IS NULL AND next_due_at IS NOT NULL' })
export class EscalationClimb extends OrganizationScopedEntity {
  @Column('uuid')
  incidentId!: string;

  @Column({ type: 'jsonb' })
  policy!: PolicySnapshot;

  /** the severity (or `untriaged`) it was started for */
  @Column({ type: 'varchar', length: 10 })
  trigger!: string;

  @Column({ type: 'varchar', length: 20 })
  startReason!: 'reported' | 'triaged' | 'severity_raised' | 'reopened';

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  /** the next level to tell (0-based) and its attempt (1-based); null when every level has been told */
  @Column({ type: 'int', nullable: true })
  nextLevel!: number | null;

  @Column({ type: 'int', nullable: true })
  nextAttempt!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextDueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  stopReason!: ClimbStopReason | null;

  @Column({ type: 'uuid', nullable: true })
  stoppedById!: string | null;
}
