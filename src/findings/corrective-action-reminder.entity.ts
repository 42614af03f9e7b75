import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** When a corrective action is chased: 30, 7 and 1 days before its due date, and once it is overdue. */
export const CORRECTIVE_ACTION_REMINDER_RULES = ['due_in_30_days', 'due_in_7_days', 'due_in_1_day', 'overdue'] as const;
export type CorrectiveActionReminderRule = (typeof CORRECTIVE_ACTION_REMINDER_RULES)[number];

/**
 * One reminder rule that fired for one corrective action and its due date. The unique key makes the
 * daily job idempotent: each rule fires once per due date (a new due date, after a reopen, is chased
 * again), however often the job runs.
 */
@Entity('corrective_action_reminders')
@Index('uq_corrective_action_reminders', ['correctiveActionId', 'rule', 'dueDate'], { unique: true })
export class CorrectiveActionReminder extends OrganizationScopedEntity {
  @Column('uuid')
  correctiveActionId!: string;

  @Column({ type: 'varchar', length: 16 })
  rule!: CorrectiveActionReminderRule;

  /** the due date the rule fired for */
  @Column({ type: 'date' })
  dueDate!: string;

  @Column({ type: 'date' })
  sentOn!: string;
}
