import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/**
 * Whether a person took part in a drill (出欠). When the drill starts, everyone invited (by name,
 * role or department, active then) gets a row, absent until marked; someone who came uninvited is
 * added as present with `invited` false. The attendance rate is present invited ÷ invited.
 */
@Entity('drill_attendance')
@Index('uq_drill_attendance', ['drillId', 'staffId'], { unique: true })
export class DrillAttendance extends OrganizationScopedEntity {
  @Column('uuid')
  drillId!: string;

  @Column('uuid')
  staffId!: string;

  @Column({ type: 'boolean', default: true })
  invited!: boolean;

  @Column({ type: 'boolean', default: false })
  present!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  markedAt!: Date | null;
}

/**
 * A playbook step done in a drill: when (against the drill's start: elapsed minutes, late when over
 * the step's target) and a note. One per step position of the drill's scenario revision.
 */
@Entity('drill_step_records')
@Index('uq_drill_step_records', ['drillId', 'position'], { unique: true })
export class DrillStepRecord extends OrganizationScopedEntity {
  @Column('uuid')
  drillId!: string;

  /** the playbook step (of the drill's scenario revision) */
  @Column('uuid')
  stepId!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'timestamptz' })
  doneAt!: Date;

  @Column({ type: 'text', default: '' })
  note!: string;

  @Column({ type: 'uuid', nullable: true })
  recordedById!: string | null;
}

/** What happened in a drill besides the steps: an inject (状況付与) given by the facilitator, or a problem met (課題). */
export const DRILL_EVENT_KINDS = ['inject', 'problem'] as const;
export type DrillEventKind = (typeof DRILL_EVENT_KINDS)[number];

@Entity('drill_events')
@Index('ix_drill_events', ['drillId', 'occurredAt'])
@Check('ck_drill_events_kind', `"kind" IN ('inject', 'problem')`)
export class DrillEvent extends OrganizationScopedEntity {
  @Column('uuid')
  drillId!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: DrillEventKind;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'uuid', nullable: true })
  recordedById!: string | null;
}
