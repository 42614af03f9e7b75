import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { tokyoToday } from '../common/calendar.js';
import type { Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { OutstandingDuties, type OutstandingDuty } from '../common/outstanding-duties.js';
import type { MamoriConfig } from '../config/configuration.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** remind one person of what they still owe (one a person a day: dedupe key `duty-reminder:<staffId>:<day>`) */
    'duty.reminder': { reminderId: string };
  }
}

interface DutyReminderData {
  /** who sent it, by name, and from which department's page */
  sender: string | null;
  department: { name: string; nameEn: string | null };
  duties: OutstandingDuty[];
  /** the day it is read against (overdue or not) */
  today: string;
}

/**
 * The reminder a manager (or the security office) sends: the person's outstanding duties as they
 * are when the mail is sent, each with the link to the page where it is done. Someone who has
 * meanwhile done everything, or left, gets nothing.
 */
@Injectable()
@NotificationTemplate('duty.reminder')
export class DutyReminderMail implements NotificationIntent<'duty.reminder', DutyReminderData> {
  private readonly publicUrl: string;

  constructor(
    private readonly duties: OutstandingDuties,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: { reminderId: string }, organizationId: string): Promise<NotificationRecipient<DutyReminderData>[]> {
    const [row] = (await manager.query(
      `SELECT s.id, s.email, s.family_name, s.given_name, s.locale, b.family_name AS by_family_name, b.given_name AS by_given_name,
              d.name AS department_name, d.name_en AS department_name_en
         FROM duty_reminders r
         JOIN staff s ON s.id = r.staff_id
         JOIN departments d ON d.id = r.department_id
         LEFT JOIN staff b ON b.id = r.reminded_by_id
        WHERE r.id = $1 AND r.organization_id = $2 AND s.status = 'active'`,
      [payload.reminderId, organizationId],
    )) as {
      id: string;
      email: string;
      family_name: string;
      given_name: string;
      locale: Locale;
      by_family_name: string | null;
      by_given_name: string | null;
      department_name: string;
      department_name_en: string | null;
    }[];
    if (!row) return [];
    const duties = (await this.duties.of(manager, organizationId, [row.id])).get(row.id) ?? [];
    if (duties.length === 0) return [];
    return [
      {
        key: row.id,
        email: row.email,
        familyName: row.family_name,
        givenName: row.given_name,
        locale: row.locale,
        data: {
          sender: row.by_family_name ? `${row.by_family_name} ${row.by_given_name}` : null,
          department: { name: row.department_name, nameEn: row.department_name_en },
          duties,
          today: tokyoToday(),
        },
      },
    ];
  }

  render(locale: Locale, data: DutyReminderData): Mail {
    const lines = data.duties.map((duty) => this.line(locale, duty, data.today)).join('\n');
    if (locale === 'en') {
      const from = data.sender ? `${data.sender} (${data.department.nameEn ?? data.department.name}) reminds you` : 'This is a reminder';
      return {
        subject: '[Mamori] Reminder: training or acknowledgements you still owe',
        text: `${from} that you still owe the following. Please complete them in Mamori by their due dates.\n\n${lines}\n\nYour my page in Mamori (the address below) lists them too.`,
      };
    }
    const from = data.sender ? `${data.sender} さん（${data.department.name}）から、` : '';
    return {
      subject: '【催促】未完了の研修・確認事項があります',
      text: `${from}まだ済んでいない次の事項について催促がありました。期限までに Mamori で済ませてください。\n\n${lines}\n\n下のアドレスから開く Mamori のマイページでも確認できます。`,
    };
  }

  /** `・【ポリシーの確認】情報セキュリティ対策基準 第3版（期限: 2026年5月1日、期限超過）` and its link. */
  private line(locale: Locale, duty: OutstandingDuty, today: string): string {
    const kind = message(locale, `duty.kind.${duty.kind}`);
    const title = locale === 'en' ? (duty.titleEn ?? duty.title) : duty.title;
    const version = duty.version !== null ? ` ${message(locale, 'policy.versionNumber', { version: duty.version })}` : '';
    const overdue = duty.dueOn !== null && duty.dueOn < today;
    const link = `  ${this.publicUrl}${duty.href}`;
    if (locale === 'en') {
      const due = duty.dueOn ? ` (due ${mailDate(duty.dueOn, 'en')}${overdue ? ', overdue' : ''})` : '';
      return `- ${kind}: ${title}${version}${due}\n${link}`;
    }
    const due = duty.dueOn ? `（期限: ${mailDate(duty.dueOn, 'ja')}${overdue ? '、期限超過' : ''}）` : '';
    return `・【${kind}】${title}${version}${due}\n${link}`;
  }
}
