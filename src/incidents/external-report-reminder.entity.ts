import { Column, Entity, Index } from 'typeorm';
import { OrganizationScopedEntity } from '../database/organization-scoped.entity.js';

/** The reminder rules of the daily job: due within a day, or overdue (the CISO is told too). */
export const EXTERNAL_REPORT_REMINDER_RULES = ['due_soon', 'overdue'] as const;
export type ExternalReportReminderRule = (typeof EXTERNAL_REPORT_REMINDER_RULES)[number];

/**
 * One reminder rule that fired for one external report on one day (Asia/Tokyo). The unique key makes
 * the daily job idempotent: a second run the same day inserts nothing, so nothing is sent twice.
 */
@Entity('external_report_reminders')
@Index('uq_external_report_reminders', ['externalReportId', 'rule', 'sentOn'], { unique: true })
export class ExternalReportReminder extends OrganizationScopedEntity {
  @Column('uuid')
  externalReportId!: string;

  @Column({ type: 'varchar', length: 12 })
  rule!: ExternalReportReminderRule;

  @Column({ type: 'date' })
  sentOn!: string;
}
