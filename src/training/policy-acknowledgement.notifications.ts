import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /**
     * ask the people of these duties to acknowledge an approved version (one e-mail each). Written by
     * the policies module before its duties became enrolments (the ids were kept); new requests go
     * as `training.course_published` and `training.enrolled`, which word a policy's the same way.
     */
    'policy.acknowledgement_requested': { dutyIds: string[] };
  }
}

/** What the mail asking for an acknowledgement says: the policy, its version, the due day, the page. */
export interface AcknowledgementRequestData {
  title: string;
  titleEn: string | null;
  version: number;
  dueOn: string;
  dutyId: string;
}

/** The mail asking someone to acknowledge an approved policy version (確認依頼). */
export function acknowledgementRequestMail(locale: Locale, data: AcknowledgementRequestData): Mail {
  if (locale === 'en') {
    const title = data.titleEn ?? data.title;
    return {
      subject: `[Mamori] Please acknowledge the information security policy "${title}", version ${data.version}`,
      text: `Version ${data.version} of the information security policy "${title}" has been approved.\nPlease read it and acknowledge it in Mamori (my page) by ${mailDate(data.dueOn, 'en')}.\n\n  /acknowledgements/${data.dutyId}`,
    };
  }
  return {
    subject: `【確認依頼】情報セキュリティポリシー「${data.title}」第${data.version}版`,
    text: `情報セキュリティポリシー「${data.title}」の第${data.version}版が承認されました。\n内容を確認のうえ、${mailDate(data.dueOn, 'ja')}までに Mamori のマイページで確認（誓約）を行ってください。\n\n  /acknowledgements/${data.dutyId}`,
  };
}

/** The requests written before the duties became enrolments: sent to those who still owe them. */
@Injectable()
@NotificationTemplate('policy.acknowledgement_requested')
export class AcknowledgementRequestedMail implements NotificationIntent<'policy.acknowledgement_requested', AcknowledgementRequestData> {
  async recipients(
    manager: EntityManager,
    payload: { dutyIds: string[] },
    organizationId: string,
  ): Promise<NotificationRecipient<AcknowledgementRequestData>[]> {
    if (payload.dutyIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT e.id AS duty_id, s.email, s.family_name, s.given_name, s.locale, p.title, p.title_en, v.version, e.due_on::text AS due_on
         FROM enrolments e
         JOIN staff s ON s.id = e.staff_id
         JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement' AND c.status = 'published'
         JOIN policy_versions v ON v.id = c.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE e.id = ANY($1::uuid[]) AND e.organization_id = $2
          AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL AND s.status = 'active'
        ORDER BY s.employee_number, p.key`,
      [payload.dutyIds, organizationId],
    )) as {
      duty_id: string;
      email: string;
      family_name: string;
      given_name: string;
      locale: Locale;
      title: string;
      title_en: string | null;
      version: number;
      due_on: string;
    }[];
    // one mail per duty: someone who joins owes each version in force its own acknowledgement
    return rows.map((row) => ({
      key: row.duty_id,
      email: row.email,
      familyName: row.family_name,
      givenName: row.given_name,
      locale: row.locale,
      data: { title: row.title, titleEn: row.title_en, version: row.version, dueOn: row.due_on, dutyId: row.duty_id },
    }));
  }

  render(locale: Locale, data: AcknowledgementRequestData): Mail {
    return acknowledgementRequestMail(locale, data);
  }
}
