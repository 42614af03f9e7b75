import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { assertNever } from '../common/assert-never.js';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import type { ReminderRule } from './training-reminder.entity.js';

/** The rules that remind the person themselves. */
export type PersonReminderRule = Extract<ReminderRule, 'before_due' | 'due_today' | 'overdue'>;
/** The rules that tell others of the people who are late (a digest a recipient a day). */
export type EscalationRule = Extract<ReminderRule, 'manager_weekly' | 'security_office'>;

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** remind a person of a course they owe (dedupe key `training-reminder:<rule>:<staffId>:<day>:<enrolmentId>`) */
    'training.reminder': { enrolmentId: string; rule: PersonReminderRule; day: string };
    /**
     * tell a manager (weekly) or a member of the security office of the people who are late: the
     * enrolments the rule fired for on that day (dedupe key `training-escalation:<rule>:<staffId>:<day>`)
     */
    'training.escalation': { rule: EscalationRule; recipientId: string; day: string };
  }
}

/** Where the escalation mails send their readers: the not-completed list. */
export const NOT_COMPLETED_PATH = '/training/completion/not-completed';

/** At most this many people are listed in one escalation mail; the rest are counted and the list links to them all. */
export const ESCALATION_LINES = 200;

const OPEN = `e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL AND c.status = 'published'`;

interface ReminderData {
  rule: PersonReminderRule;
  title: string;
  titleEn: string | null;
  dueOn: string;
  /** days to the due day (before_due) or past it (overdue), as of the day the rule fired */
  days: number;
  url: string;
}

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * A person's reminder of one course: before the due day, on it, or after it. Read when sent: someone
 * who has completed it meanwhile (or was exempted, or left) gets nothing.
 */
@Injectable()
@NotificationTemplate('training.reminder')
export class TrainingReminderMail implements NotificationIntent<'training.reminder', ReminderData> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(
    manager: EntityManager,
    payload: { enrolmentId: string; rule: PersonReminderRule; day: string },
    organizationId: string,
  ): Promise<NotificationRecipient<ReminderData>[]> {
    const rows = (await manager.query(
      `SELECT e.id, s.email, s.family_name, s.given_name, s.locale, c.title, c.title_en, e.due_on::text AS due_on
         FROM enrolments e JOIN staff s ON s.id = e.staff_id JOIN courses c ON c.id = e.course_id
        WHERE e.id = $1 AND e.organization_id = $2 AND ${OPEN} AND s.status = 'active'`,
      [payload.enrolmentId, organizationId],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale; title: string; title_en: string | null; due_on: string }[];
    return rows.map((row) => ({
      key: row.id,
      email: row.email,
      familyName: row.family_name,
      givenName: row.given_name,
      locale: row.locale,
      data: {
        rule: payload.rule,
        title: row.title,
        titleEn: row.title_en,
        dueOn: row.due_on,
        days: Math.abs(dayNumber(row.due_on) - dayNumber(payload.day)),
        url: `${this.publicUrl}/training/enrolments/${row.id}`,
      },
    }));
  }

  render(locale: Locale, data: ReminderData): Mail {
    const date = mailDate(data.dueOn, locale);
    if (locale === 'en') {
      const title = data.titleEn ?? data.title;
      switch (data.rule) {
        case 'before_due':
          return {
            subject: `[Mamori] Training due in ${data.days} day${data.days === 1 ? '' : 's'}: ${title}`,
            text: `The security training "${title}" is due on ${date} (in ${data.days} day${data.days === 1 ? '' : 's'}).\nPlease complete it in Mamori (My training):\n\n  ${data.url}`,
          };
        case 'due_today':
          return {
            subject: `[Mamori] Training due today: ${title}`,
            text: `Today (${date}) is the due date of the security training "${title}".\nPlease complete it in Mamori (My training) today:\n\n  ${data.url}`,
          };
        case 'overdue':
          return {
            subject: `[Mamori] Training overdue: ${title}`,
            text: `The security training "${title}" was due on ${date}: it is ${data.days} day${data.days === 1 ? '' : 's'} overdue.\nPlease complete it in Mamori (My training) as soon as possible:\n\n  ${data.url}`,
          };
        default:
          return assertNever(data.rule);
      }
    }
    switch (data.rule) {
      case 'before_due':
        return {
          subject: `【研修の受講期限まであと${data.days}日】${data.title}`,
          text: `情報セキュリティ研修「${data.title}」の受講期限は${date}です（あと${data.days}日）。\n期限までに Mamori の「わたしの研修」から受講してください。\n\n  ${data.url}`,
        };
      case 'due_today':
        return {
          subject: `【本日が研修の受講期限です】${data.title}`,
          text: `本日（${date}）は情報セキュリティ研修「${data.title}」の受講期限です。\n本日中に Mamori の「わたしの研修」から受講してください。\n\n  ${data.url}`,
        };
      case 'overdue':
        return {
          subject: `【研修の受講期限を過ぎています】${data.title}`,
          text: `情報セキュリティ研修「${data.title}」の受講期限（${date}）を${data.days}日過ぎています。\n至急 Mamori の「わたしの研修」から受講してください。\n\n  ${data.url}`,
        };
      default:
        return assertNever(data.rule);
    }
  }
}

/** One late person in an escalation mail. */
interface LatePerson {
  employeeNumber: string;
  name: string;
  department: string | null;
  departmentEn: string | null;
  title: string;
  titleEn: string | null;
  dueOn: string;
  daysOverdue: number;
}

interface EscalationData {
  rule: EscalationRule;
  people: LatePerson[];
  /** how many there are in all (the mail lists at most ESCALATION_LINES) */
  total: number;
  url: string;
}

interface LateRow {
  employee_number: string;
  family_name: string;
  given_name: string;
  department_name: string | null;
  department_name_en: string | null;
  title: string;
  title_en: string | null;
  due_on: string;
  days_overdue: number;
  total: number;
}

const LATE_COLUMNS = `p.employee_number, p.family_name, p.given_name, d.name AS department_name, d.name_en AS department_name_en,
       c.title, c.title_en, e.due_on::text AS due_on, ($2::date - e.due_on) AS days_overdue, count(*) OVER ()::int AS total`;
const LATE_ORDER = `ORDER BY d.code NULLS LAST, p.employee_number, e.due_on, c.title LIMIT ${ESCALATION_LINES}`;

/**
 * The people an escalation of the day lists, still open when it is sent (the first ESCALATION_LINES,
 * each row with the total): a manager's are found from their departments (those they head, and
 * their own as a manager; never themselves), the security office's from the day's rows.
 */
async function latePeople(
  manager: EntityManager,
  organizationId: string,
  payload: { rule: EscalationRule; day: string },
  recipient: { id: string; departments: string[] },
): Promise<LateRow[]> {
  if (payload.rule === 'manager_weekly') {
    if (recipient.departments.length === 0) return [];
    return (await manager.query(
      `SELECT ${LATE_COLUMNS}
         FROM staff p
         JOIN enrolments e ON e.organization_id = p.organization_id AND e.staff_id = p.id
         JOIN training_reminders r ON r.enrolment_id = e.id AND r.rule = 'manager_weekly' AND r.sent_on = $2
         JOIN courses c ON c.id = e.course_id
         LEFT JOIN departments d ON d.id = e.department_id
        WHERE p.organization_id = $1 AND p.department_id = ANY($3::uuid[]) AND e.department_id = ANY($3::uuid[]) AND p.id <> $4
          AND p.status = 'active' AND ${OPEN}
        ${LATE_ORDER}`,
      [organizationId, payload.day, recipient.departments, recipient.id],
    )) as LateRow[];
  }
  return (await manager.query(
    `SELECT ${LATE_COLUMNS}
       FROM enrolments e
       JOIN training_reminders r ON r.enrolment_id = e.id AND r.rule = 'security_office' AND r.sent_on = $2
       JOIN staff p ON p.id = e.staff_id
       JOIN courses c ON c.id = e.course_id
       LEFT JOIN departments d ON d.id = e.department_id
      WHERE e.organization_id = $1 AND p.status = 'active' AND ${OPEN}
      ${LATE_ORDER}`,
    [organizationId, payload.day],
  )) as LateRow[];
}

/**
 * A digest of the people who are late, to one manager (their people whose weekly escalation fell on
 * that day: the department they head or belong to as a manager) or to one member of the security
 * office (the people who passed the course's limit that day). Read when sent: who has completed
 * meanwhile is left out, and nobody left means no mail.
 */
@Injectable()
@NotificationTemplate('training.escalation')
export class TrainingEscalationMail implements NotificationIntent<'training.escalation', EscalationData> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(
    manager: EntityManager,
    payload: { rule: EscalationRule; recipientId: string; day: string },
    organizationId: string,
  ): Promise<NotificationRecipient<EscalationData>[]> {
    const [recipient] = (await manager.query(
      `SELECT s.id, s.email, s.family_name, s.given_name, s.locale,
              ARRAY(SELECT d.id FROM departments d WHERE d.organization_id = s.organization_id AND d.head_id = s.id
                    UNION SELECT s.department_id WHERE 'manager' = ANY(s.roles) AND s.department_id IS NOT NULL)::text[] AS departments
         FROM staff s
        WHERE s.id = $1 AND s.organization_id = $2 AND s.status = 'active'
          AND ($3 <> 'security_office' OR 'security_officer' = ANY(s.roles))`,
      [payload.recipientId, organizationId, payload.rule],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale; departments: string[] }[];
    if (!recipient) return [];
    const rows = await latePeople(manager, organizationId, payload, recipient);
    if (rows.length === 0) return [];
    return [
      {
        key: recipient.id,
        email: recipient.email,
        familyName: recipient.family_name,
        givenName: recipient.given_name,
        locale: recipient.locale,
        data: {
          rule: payload.rule,
          total: rows[0]!.total,
          url: `${this.publicUrl}${NOT_COMPLETED_PATH}`,
          people: rows.map((row) => ({
            employeeNumber: row.employee_number,
            name: `${row.family_name} ${row.given_name}`,
            department: row.department_name,
            departmentEn: row.department_name_en,
            title: row.title,
            titleEn: row.title_en,
            dueOn: row.due_on,
            daysOverdue: row.days_overdue,
          })),
        },
      },
    ];
  }

  render(locale: Locale, data: EscalationData): Mail {
    const lines = data.people.map((person) => line(locale, person)).join('\n');
    const more = data.total - data.people.length;
    if (locale === 'en') {
      const rest = more > 0 ? `\n- and ${more} more` : '';
      const list = `${lines}${rest}\n\nThe list of those who have not completed their training, in Mamori:\n\n  ${data.url}`;
      switch (data.rule) {
        case 'manager_weekly':
          return {
            subject: `[Mamori] ${data.total} of your staff ${data.total === 1 ? 'is' : 'are'} overdue with their security training`,
            text: `The following members of your department have not completed their security training by its due date. Please ask them to complete it in Mamori.\n\n${list}`,
          };
        case 'security_office':
          return {
            subject: `[Mamori] Security training long overdue: ${data.total} ${data.total === 1 ? 'person' : 'people'}`,
            text: `The following people are still overdue with their security training, well past its due date. Please follow them up with their departments.\n\n${list}`,
          };
        default:
          return assertNever(data.rule);
      }
    }
    const rest = more > 0 ? `\n・ほか${more}名` : '';
    const list = `${lines}${rest}\n\nMamori の研修未受講者一覧:\n\n  ${data.url}`;
    switch (data.rule) {
      case 'manager_weekly':
        return {
          subject: `【研修未受講】所属の職員${data.total}名が受講期限を過ぎています`,
          text: `次の職員が情報セキュリティ研修を受講期限までに受講していません。Mamori で受講するよう声をかけてください。\n\n${list}`,
        };
      case 'security_office':
        return {
          subject: `【研修未受講の報告】受講期限を大きく過ぎた職員が${data.total}名います`,
          text: `次の職員が、受講期限を大きく過ぎても情報セキュリティ研修を受講していません。所属と連携して対応してください。\n\n${list}`,
        };
      default:
        return assertNever(data.rule);
    }
  }
}

/** `・総務課 山田 花子（E0123）：情報セキュリティ研修（期限: 2026年5月1日、7日超過）` */
function line(locale: Locale, person: LatePerson): string {
  const date = mailDate(person.dueOn, locale);
  if (locale === 'en') {
    const department = person.departmentEn ?? person.department;
    return `- ${department ? `${department}, ` : ''}${person.name} (${person.employeeNumber}): ${person.titleEn ?? person.title} (due ${date}, ${person.daysOverdue} day${person.daysOverdue === 1 ? '' : 's'} overdue)`;
  }
  return `・${person.department ? `${person.department} ` : ''}${person.name}（${person.employeeNumber}）：${person.title}（期限: ${date}、${person.daysOverdue}日超過）`;
}
