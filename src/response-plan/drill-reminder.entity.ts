import { Check, Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** When a drill's people are reminded: a week before its day, and the day before. */
export const DRILL_REMINDER_KINDS = ['week_before', 'day_before'] as const;
export type DrillReminderKind = (typeof DRILL_REMINDER_KINDS)[number];

/**
 * One reminder of a drill sent to one person for the day it starts on. The unique key makes the daily
 * job idempotent: each person is reminded once of each kind for a drill's day, however often the job
 * runs; a drill moved to another day is reminded of again.
 */
@Entity('drill_reminders')
@Index('uq_drill_reminders', ['drillId', 'staffId', 'kind', 'startsOn'], { unique: true })
@Check('ck_drill_reminders_kind', `"kind" IN ('week_before', 'day_before')`)
export class DrillReminder extends OrganizationScopedEntity {
  @Column('uuid')
  drillId!: string;

  @Column('uuid')
  staffId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: DrillReminderKind;

  /** the day (Asia/Tokyo) the drill starts on, when reminded */
  @Column({ type: 'date' })
  startsOn!: string;

  @Column({ type: 'date' })
  sentOn!: string;
}
