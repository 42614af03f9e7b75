import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** The reminder rules of the daily job. */
export const REMINDER_RULES = ['before_due', 'due_today', 'overdue', 'manager_weekly', 'security_office'] as const;
export type ReminderRule = (typeof REMINDER_RULES)[number];

/**
 * One reminder rule that fired for one enrolment on one day (Asia/Tokyo). The unique key makes the
 * daily job idempotent: running it twice a day inserts nothing the second time, so nothing is sent
 * twice; the rows also count how many overdue reminders a person has had.
 */
@Entity('training_reminders')
@Index('uq_training_reminders', ['enrolmentId', 'rule', 'sentOn'], { unique: true })
export class TrainingReminder extends OrganizationScopedEntity {
  @Column('uuid')
  enrolmentId!: string;

  @Column({ type: 'varchar', length: 16 })
  rule!: ReminderRule;

  @Column({ type: 'date' })
  sentOn!: string;

  /** who it went to (the person, their manager, or a member of the security office) */
  @Column({ type: 'uuid', nullable: true })
  recipientId!: string | null;
}
