import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { assertNever } from '../common/assert-never.js';
import type { Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import type { MamoriConfig } from '../config/configuration.js';
import type { Transaction } from '../database/unit-of-work.js';
import { mailDateTime } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import type { ExternalReportReminderRule } from './external-report-reminder.entity.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /**
     * remind the incident's assignee and the CSIRT and security office (overdue: the CISO too) of an
     * external report due within a day or overdue (dedupe key `external-report-reminder:<rule>:<reportId>:<day>`)
     */
    'incident.external_report_reminder': { reportId: string; rule: ExternalReportReminderRule; day: string };
  }
}

const HOUR_MS = 3_600_000;

interface ReminderFacts {
  rule: ExternalReportReminderRule;
  reference: string;
  title: string;
  recipient: string;
  kind: string;
  dueAt: string;
  /** hours to the deadline (due_soon) or past it (overdue), when the mail is written */
  hours: number;
  url: string;
}

/** Whether the report is still owed and unsent (locked against the change that records it sent). */
async function stillOwed(manager: EntityManager, reportId: string, lock: boolean): Promise<boolean> {
  const rows = (await manager.query(`SELECT 1 FROM external_reports WHERE id = $1 AND sent_at IS NULL AND cancelled_at IS NULL${lock ? ' FOR SHARE' : ''}`, [
    reportId,
  ])) as unknown[];
  return rows.length > 0;
}

/**
 * The reminder of an external report's deadline: to the incident's assignee and every active member
 * of the CSIRT and the security office, and, once it is overdue, to the CISO. Read when sent: a
 * report recorded as sent (or no longer owed) meanwhile reminds nobody.
 */
@Injectable()
@NotificationTemplate('incident.external_report_reminder')
export class ExternalReportReminderMail implements NotificationIntent<'incident.external_report_reminder', ReminderFacts> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(
    manager: EntityManager,
    payload: { reportId: string; rule: ExternalReportReminderRule; day: string },
    organizationId: string,
  ): Promise<NotificationRecipient<ReminderFacts>[]> {
    const [report] = (await manager.query(
      `SELECT r.id, r.recipient, r.kind, r.due_at, i.id AS incident_id, i.reference, i.title, i.assignee_id
         FROM external_reports r JOIN incidents i ON i.id = r.incident_id
        WHERE r.id = $1 AND r.organization_id = $2 AND r.sent_at IS NULL AND r.cancelled_at IS NULL`,
      [payload.reportId, organizationId],
    )) as { id: string; recipient: string; kind: string; due_at: Date; incident_id: string; reference: string; title: string; assignee_id: string | null }[];
    if (!report) return [];
    const people = (await manager.query(
      `SELECT id, email, family_name, given_name, locale FROM staff
        WHERE organization_id = $1 AND status = 'active'
          AND (id = $2 OR roles && ARRAY['csirt', 'security_officer']::text[] OR ($3 = 'overdue' AND 'ciso' = ANY(roles)))
        ORDER BY employee_number`,
      [organizationId, report.assignee_id, payload.rule],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale }[];
    const dueAt = new Date(report.due_at);
    const hours = Math.max(1, Math.ceil(Math.abs(dueAt.getTime() - Date.now()) / HOUR_MS));
    return people.map((person) => ({
      key: person.id,
      email: person.email,
      familyName: person.family_name,
      givenName: person.given_name,
      locale: person.locale,
      data: {
        rule: payload.rule,
        reference: report.reference,
        title: report.title,
        recipient: report.recipient,
        kind: report.kind,
        dueAt: dueAt.toISOString(),
        hours,
        url: `${this.publicUrl}/incidents/${report.incident_id}/external-reports`,
      },
    }));
  }

  stillWanted(tx: Transaction, payload: { reportId: string }): Promise<boolean> {
    return stillOwed(tx.manager, payload.reportId, true);
  }

  render(locale: Locale, data: ReminderFacts): Mail {
    const to = message(locale, `externalReport.recipient.${data.recipient}`);
    const kind = message(locale, `externalReport.kind.${data.kind}`);
    const due = mailDateTime(new Date(data.dueAt), locale);
    const days = Math.floor(data.hours / 24);
    if (locale === 'en') {
      const span = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${data.hours} hour${data.hours === 1 ? '' : 's'}`;
      switch (data.rule) {
        case 'due_soon':
          return {
            subject: `[Mamori] External report due within a day: ${data.reference} ${to} (${kind})`,
            text: `The ${kind} to the ${to} for incident ${data.reference} "${data.title}" is due ${due} (in about ${span}).\nOnce it is sent, record it on the incident's external reports page:\n\n  ${data.url}`,
          };
        case 'overdue':
          return {
            subject: `[Mamori] External report overdue: ${data.reference} ${to} (${kind})`,
            text: `The ${kind} to the ${to} for incident ${data.reference} "${data.title}" was due ${due}: it is ${span} overdue.\nSend it at once and record it on the incident's external reports page:\n\n  ${data.url}`,
          };
        default:
          return assertNever(data.rule);
      }
    }
    const span = days >= 1 ? `${days}日` : `${data.hours}時間`;
    switch (data.rule) {
      case 'due_soon':
        return {
          subject: `【外部報告の期限が近づいています】${data.reference} ${to}（${kind}）`,
          text: `インシデント ${data.reference}「${data.title}」の${to}への${kind}の期限は ${due} です（あと約${span}）。\n送付したら、Mamori のインシデントの外部報告のページで送付を記録してください。\n\n  ${data.url}`,
        };
      case 'overdue':
        return {
          subject: `【外部報告の期限を過ぎています】${data.reference} ${to}（${kind}）`,
          text: `インシデント ${data.reference}「${data.title}」の${to}への${kind}の期限（${due}）を${span}過ぎています。\n至急送付し、Mamori のインシデントの外部報告のページで送付を記録してください。\n\n  ${data.url}`,
        };
      default:
        return assertNever(data.rule);
    }
  }
}
