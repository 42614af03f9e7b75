import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import { BUSINESS_TIME_ZONE, tokyoToday } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { UnitOfWork, type OutboxRequest, type Transaction } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import type { ExternalReportReminderRule } from './external-report-reminder.entity.js';
import { appendTimeline } from './incident-timeline.js';
import './external-report.notifications.js';

/** The daily reminders of external reports' deadlines: 08:00 in Tokyo, before the working day. */
export const EXTERNAL_REPORT_REMINDERS_SCHEDULE: ScheduleDefinition = {
  name: 'external-report-reminders',
  jobId: 'external-report-reminders-daily',
  cron: '0 8 * * *',
  tz: BUSINESS_TIME_ZONE,
};

/** When each rule fires for an unsent, owed report (`$3` is the moment of the run): due within a day, or past due. */
const RULES: Record<ExternalReportReminderRule, string> = {
  due_soon: `r.due_at > $3::timestamptz AND r.due_at <= $3::timestamptz + interval '1 day'`,
  overdue: `r.due_at <= $3::timestamptz`,
};

export interface ExternalReportRemindersResult {
  /** the day (Asia/Tokyo) of the run */
  today: string;
  organizations: number;
  /** reports each rule fired for (new external_report_reminders rows); a second run the same day finds none */
  fired: Record<ExternalReportReminderRule, number>;
}

/**
 * Reminders of external reports' deadlines, once a day: for each organisation, one `INSERT … SELECT
 * … ON CONFLICT DO NOTHING` per rule records the reports it fires for today in
 * `external_report_reminders` (unique per report, rule and day), and only what was newly inserted
 * becomes an outbox message (the mail goes to the assignee and the CSIRT and security office; when
 * overdue, the CISO too) and a `notification` entry on the incident's timeline. Running it twice a
 * day sends everything once; an overdue report is reminded each day until it is recorded as sent.
 */
@Injectable()
export class ExternalReportRemindersService {
  private readonly logger = new Logger(ExternalReportRemindersService.name);

  constructor(private readonly uow: UnitOfWork) {}

  @ScheduledJob(EXTERNAL_REPORT_REMINDERS_SCHEDULE.name)
  async run(now: Date = new Date()): Promise<ExternalReportRemindersResult> {
    const result: ExternalReportRemindersResult = { today: tokyoToday(now), organizations: 0, fired: { due_soon: 0, overdue: 0 } };
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const organization of organizations) {
      result.organizations++;
      await this.uow.run(systemActor(organization.id, 'scheduler'), (tx) => this.organizationReminders(tx, now, result));
    }
    if (result.fired.due_soon + result.fired.overdue) this.logger.log(`external report reminders ${result.today}: ${JSON.stringify(result.fired)}`);
    return result;
  }

  private async organizationReminders(tx: Transaction, now: Date, result: ExternalReportRemindersResult): Promise<void> {
    const fired: Record<ExternalReportReminderRule, number> = { due_soon: 0, overdue: 0 };
    const messages: OutboxRequest[] = [];
    for (const rule of Object.keys(RULES) as ExternalReportReminderRule[]) {
      const rows = (await tx.manager.query(
        `WITH fired AS (
           INSERT INTO external_report_reminders (organization_id, external_report_id, rule, sent_on)
           SELECT r.organization_id, r.id, '${rule}', $2::date FROM external_reports r
            WHERE r.organization_id = $1 AND r.sent_at IS NULL AND r.cancelled_at IS NULL AND ${RULES[rule]}
           ON CONFLICT (external_report_id, rule, sent_on) DO NOTHING
           RETURNING external_report_id)
         SELECT r.id, r.incident_id, r.recipient, r.kind, r.due_at FROM fired JOIN external_reports r ON r.id = fired.external_report_id
          ORDER BY r.incident_id, r.due_at`,
        [tx.actor.organizationId, result.today, now.toISOString()],
      )) as { id: string; incident_id: string; recipient: string; kind: string; due_at: Date }[];
      fired[rule] = rows.length;
      for (const row of rows) {
        messages.push({
          topic: 'incident.external_report_reminder',
          dedupeKey: `external-report-reminder:${rule}:${row.id}:${result.today}`,
          payload: { reportId: row.id, rule, day: result.today },
        });
        await appendTimeline(tx, row.incident_id, {
          kind: 'notification',
          data: { externalReport: { reportId: row.id, recipient: row.recipient, kind: row.kind, dueAt: new Date(row.due_at).toISOString(), rule } },
        });
      }
    }
    await tx.outbox(messages);
    result.fired.due_soon += fired.due_soon;
    result.fired.overdue += fired.overdue;
    if (fired.due_soon + fired.overdue > 0) {
      tx.audit({ action: 'external_report.reminders_sent', entityType: 'external_report', entityId: null, context: { today: result.today, ...fired } });
    }
  }
}
