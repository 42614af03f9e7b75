import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { assertNever } from '../common/assert-never.js';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import type { Transaction } from '../database/unit-of-work.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import type { CorrectiveActionReminderRule } from './corrective-action-reminder.entity.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /**
     * remind the assignee of a corrective action due in 30, 7 or 1 days; once overdue, the assignee,
     * the head (and managers) of the finding's owner department and the security office
     * (dedupe key `corrective-action-reminder:<rule>:<actionId>:<dueDate>`)
     */
    'findings.corrective_action_reminder': { actionId: string; rule: CorrectiveActionReminderRule; dueDate: string; day: string };
  }
}

type Payload = { actionId: string; rule: CorrectiveActionReminderRule; dueDate: string; day: string };

interface ActionReminderFacts {
  rule: CorrectiveActionReminderRule;
  reference: string;
  title: string;
  description: string;
  dueDate: string;
  /** days to the due date, or past it (overdue), as of the day the rule fired */
  days: number;
  /** the recipient is told as the assignee, or as the department's head or the security office (overdue) */
  asAssignee: boolean;
  url: string;
}

/** Still chased: not done or verified, and still due on the date the rule fired for (locked against the change that ends it). */
async function stillOpen(manager: EntityManager, payload: Payload, lock: boolean): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT 1 FROM corrective_actions WHERE id = $1 AND status IN ('planned', 'reopened') AND due_date = $2::date${lock ? ' FOR SHARE' : ''}`,
    [payload.actionId, payload.dueDate],
  )) as unknown[];
  return rows.length > 0;
}

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * The reminder of a corrective action's due date (是正措置の期限): before it, to the assignee; once
 * it has passed, also to the head of the finding's owner department (its head and its active
 * managers) and every active member of the security office. Read when sent: an action reported done
 * (or given another due date) meanwhile reminds nobody. Each person gets one mail, in their language.
 */
@Injectable()
@NotificationTemplate('findings.corrective_action_reminder')
export class CorrectiveActionReminderMail implements NotificationIntent<'findings.corrective_action_reminder', ActionReminderFacts> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: Payload, organizationId: string): Promise<NotificationRecipient<ActionReminderFacts>[]> {
    const [action] = (await manager.query(
      `SELECT a.id, a.description, a.assignee_id, a.due_date::text AS due_date, f.id AS finding_id, f.reference, f.title, f.owner_department_id
         FROM corrective_actions a JOIN findings f ON f.id = a.finding_id
        WHERE a.id = $1 AND a.organization_id = $2 AND a.status IN ('planned', 'reopened') AND a.due_date = $3::date`,
      [payload.actionId, organizationId, payload.dueDate],
    )) as {
      id: string;
      description: string;
      assignee_id: string | null;
      due_date: string;
      finding_id: string;
      reference: string;
      title: string;
      owner_department_id: string | null;
    }[];
    if (!action) return [];
    const overdue = payload.rule === 'overdue';
    const people = (await manager.query(
      `SELECT s.id, s.email, s.family_name, s.given_name, s.locale FROM staff s
        WHERE s.organization_id = $1 AND s.status = 'active'
          AND (s.id = $2
               OR ($3 AND 'security_officer' = ANY(s.roles))
               OR ($3 AND $4::uuid IS NOT NULL AND (
                     s.id = (SELECT d.head_id FROM departments d WHERE d.id = $4::uuid AND d.organization_id = $1)
                     OR ('manager' = ANY(s.roles) AND s.department_id = $4::uuid))))
        ORDER BY s.employee_number`,
      [organizationId, action.assignee_id, overdue, action.owner_department_id],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale }[];
    const days = Math.abs(dayNumber(action.due_date) - dayNumber(payload.day));
    return people.map((person) => ({
      key: person.id,
      email: person.email,
      familyName: person.family_name,
      givenName: person.given_name,
      locale: person.locale,
      data: {
        rule: payload.rule,
        reference: action.reference,
        title: action.title,
        description: action.description,
        dueDate: action.due_date,
        days,
        asAssignee: person.id === action.assignee_id,
        url: `${this.publicUrl}/findings/${action.finding_id}`,
      },
    }));
  }

  stillWanted(tx: Transaction, payload: Payload): Promise<boolean> {
    return stillOpen(tx.manager, payload, true);
  }

  render(locale: Locale, data: ActionReminderFacts): Mail {
    const due = mailDate(data.dueDate, locale);
    const what = data.description.length > 200 ? `${data.description.slice(0, 200)}…` : data.description;
    if (locale === 'en') {
      const finding = `finding ${data.reference} "${data.title}"`;
      const span = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
      const ask = data.asAssignee
        ? `Once it is done, report it done on the finding's page in Mamori:`
        : `Please make sure it is done and reported done on the finding's page in Mamori:`;
      switch (data.rule) {
        case 'due_in_30_days':
        case 'due_in_7_days':
          return {
            subject: `[Mamori] Corrective action due in ${span(data.days)}: ${data.reference}`,
            text: `The corrective action "${what}" of ${finding} is due on ${due} (in ${span(data.days)}).\n${ask}\n\n  ${data.url}`,
          };
        case 'due_in_1_day':
          return {
            subject: `[Mamori] Corrective action due ${data.days === 0 ? 'today' : 'tomorrow'}: ${data.reference}`,
            text: `The corrective action "${what}" of ${finding} is due on ${due} (${data.days === 0 ? 'today' : 'tomorrow'}).\n${ask}\n\n  ${data.url}`,
          };
        case 'overdue':
          return {
            subject: `[Mamori] Corrective action overdue: ${data.reference}`,
            text: `The corrective action "${what}" of ${finding} was due on ${due}: it is ${span(data.days)} overdue.\n${ask}\n\n  ${data.url}`,
          };
        default:
          return assertNever(data.rule);
      }
    }
    const finding = `指摘事項 ${data.reference}「${data.title}」`;
    const ask = data.asAssignee
      ? '完了したら、Mamori の指摘事項のページで完了を報告してください。'
      : '実施と完了の報告がされるよう、担当者に確認してください（Mamori の指摘事項のページ）。';
    switch (data.rule) {
      case 'due_in_30_days':
      case 'due_in_7_days':
        return {
          subject: `【是正措置の期限まであと${data.days}日】${data.reference} ${data.title}`,
          text: `${finding}の是正措置「${what}」の期限は${due}です（あと${data.days}日）。\n${ask}\n\n  ${data.url}`,
        };
      case 'due_in_1_day':
        return {
          subject: `【是正措置の期限は${data.days === 0 ? '本日' : '明日'}です】${data.reference} ${data.title}`,
          text: `${finding}の是正措置「${what}」の期限は${due}（${data.days === 0 ? '本日' : '明日'}）です。\n${ask}\n\n  ${data.url}`,
        };
      case 'overdue':
        return {
          subject: `【是正措置の期限を過ぎています】${data.reference} ${data.title}`,
          text: `${finding}の是正措置「${what}」の期限（${due}）を${data.days}日過ぎています。\n${ask}\n\n  ${data.url}`,
        };
      default:
        return assertNever(data.rule);
    }
  }
}
