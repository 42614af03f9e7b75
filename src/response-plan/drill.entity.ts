import { Check, Column, Entity, Index } from 'typeorm';
import type { Role } from '../common/roles.js';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** A drill talked through at a table, one exercising some functions, or the whole response (DESIGN.md §6). */
export const DRILL_KINDS = ['tabletop', 'functional', 'full_scale'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

/** scheduled → running → completed; scheduled → cancelled. */
export const DRILL_STATUSES = ['scheduled', 'running', 'completed', 'cancelled'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];

/** Who is invited: named people, everyone holding a role, everyone of a department. */
export interface DrillInvitees {
  staffIds?: string[];
  roles?: Role[];
  departmentIds?: string[];
}

/**
 * A drill (訓練) of a scenario of the response plan: when and where, its facilitator and invitees.
 * `sequence` is the iCalendar SEQUENCE of its invitation: raised by every change and by the
 * cancellation, so calendars replace the event they hold.
 */
@Entity('drills')
@Index('ix_drills_fiscal_year', ['organizationId', 'fiscalYear', 'startsAt'])
@Check('ck_drills_kind', `"kind" IN ('tabletop', 'functional', 'full_scale')`)
@Check('ck_drills_status', `"status" IN ('scheduled', 'running', 'completed', 'cancelled')`)
@Check('ck_drills_times', `"ends_at" > "starts_at"`)
export class Drill extends OrganizationScopedEntity {
  @Column('uuid')
  scenarioId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: DrillKind;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  onlineUrl!: string | null;

  @Column('uuid')
  facilitatorId!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  invitees!: DrillInvitees;

  @Column({ type: 'varchar', length: 16, default: 'scheduled' })
  status!: DrillStatus;

  /** the invitation's iCalendar SEQUENCE: +1 on every change or cancellation */
  @Column({ type: 'int', default: 0 })
  sequence!: number;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  cancelReason!: string | null;

  /** the fiscal year of its start (in Asia/Tokyo) */
  @Column({ type: 'int' })
  fiscalYear!: number;

  /** when the facilitator started it: the clock of the record (steps' elapsed minutes count from here) */
  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** the scenario's revision in force when it started: the steps the record is timed against */
  @Column({ type: 'int', nullable: true })
  scenarioRevision!: number | null;

  /** the times were entered afterwards from the paper checklist (a drill held without the network) */
  @Column({ type: 'boolean', default: false })
  recordedOnPaper!: boolean;

  /** lessons learned (反省点・教訓), written after the drill */
  @Column({ type: 'text', default: '' })
  lessons!: string;
}
