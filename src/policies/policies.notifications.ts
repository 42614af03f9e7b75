import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import { assertNever } from '../common/assert-never.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';

export type ReviewDueKind = 'due_soon' | 'overdue';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** ask the people of these duties to acknowledge the approved version (one e-mail each) */
    'policy.acknowledgement_requested': { dutyIds: string[] };
    /** remind one member of the security office that a policy's review is due soon or overdue */
    'policy.review_due': { policyId: string; staffId: string; dueOn: string; kind: ReviewDueKind };
  }
}

/** How many duties one outbox message carries (a big approval is split, so a failure retries a part). */
export const DUTIES_PER_MESSAGE = 500;

interface AcknowledgementData {
  title: string;
  titleEn: string | null;
  version: number;
  dueOn: string;
}

@Injectable()
@NotificationTemplate('policy.acknowledgement_requested')
export class AcknowledgementRequestedMail implements NotificationIntent<'policy.acknowledgement_requested', AcknowledgementData> {
  async recipients(manager: EntityManager, payload: { dutyIds: string[] }, organizationId: string): Promise<NotificationRecipient<AcknowledgementData>[]> {
    if (payload.dutyIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT d.id AS duty_id, s.email, s.family_name, s.given_name, s.locale, p.title, p.title_en, v.version, d.due_on::text AS due_on
         FROM acknowledgement_duties d
         JOIN staff s ON s.id = d.staff_id
         JOIN policy_versions v ON v.id = d.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE d.id = ANY($1::uuid[]) AND d.organization_id = $2 AND d.acknowledged_at IS NULL AND s.status = 'active'
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
      data: { title: row.title, titleEn: row.title_en, version: row.version, dueOn: row.due_on },
    }));
  }

  render(locale: Locale, data: AcknowledgementData): Mail {
    if (locale === 'en') {
      const title = data.titleEn ?? data.title;
      return {
        subject: `[Mamori] Please acknowledge the information security policy "${title}", version ${data.version}`,
        text: `Version ${data.version} of the information security policy "${title}" has been approved.\nPlease read it and acknowledge it in Mamori (my page) by ${mailDate(data.dueOn, 'en')}.`,
      };
    }
    return {
      subject: `【確認依頼】情報セキュリティポリシー「${data.title}」第${data.version}版`,
      text: `情報セキュリティポリシー「${data.title}」の第${data.version}版が承認されました。\n内容を確認のうえ、${mailDate(data.dueOn, 'ja')}までに Mamori のマイページで確認（誓約）を行ってください。`,
    };
  }
}

interface ReviewDueData {
  title: string;
  titleEn: string | null;
  dueOn: string;
  kind: ReviewDueKind;
}

@Injectable()
@NotificationTemplate('policy.review_due')
export class ReviewDueMail implements NotificationIntent<'policy.review_due', ReviewDueData> {
  async recipients(
    manager: EntityManager,
    payload: { policyId: string; staffId: string; dueOn: string; kind: ReviewDueKind },
    organizationId: string,
  ): Promise<NotificationRecipient<ReviewDueData>[]> {
    const rows = (await manager.query(
      `SELECT s.id, s.email, s.family_name, s.given_name, s.locale, p.title, p.title_en
         FROM staff s, policies p
        WHERE s.id = $1 AND p.id = $2 AND s.organization_id = $3 AND p.organization_id = $3 AND s.status = 'active'`,
      [payload.staffId, payload.policyId, organizationId],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale; title: string; title_en: string | null }[];
    return rows.map((row) => ({
      key: row.id,
      email: row.email,
      familyName: row.family_name,
      givenName: row.given_name,
      locale: row.locale,
      data: { title: row.title, titleEn: row.title_en, dueOn: payload.dueOn, kind: payload.kind },
    }));
  }

  render(locale: Locale, data: ReviewDueData): Mail {
    const date = mailDate(data.dueOn, locale);
    if (locale === 'en') {
      const title = data.titleEn ?? data.title;
      switch (data.kind) {
        case 'due_soon':
          return {
            subject: `[Mamori] Review due soon: information security policy "${title}"`,
            text: `The review of the information security policy "${title}" is due on ${date}.\nReview it by then and record the outcome (no change / revise) in Mamori.`,
          };
        case 'overdue':
          return {
            subject: `[Mamori] Review overdue: information security policy "${title}"`,
            text: `The review of the information security policy "${title}" was due on ${date}.\nReview it as soon as possible and record the outcome (no change / revise) in Mamori.`,
          };
        default:
          return assertNever(data.kind);
      }
    }
    switch (data.kind) {
      case 'due_soon':
        return {
          subject: `【見直し期限間近】情報セキュリティポリシー「${data.title}」`,
          text: `情報セキュリティポリシー「${data.title}」の見直し期限（${date}）が近づいています。\n期限までに見直しを行い、Mamori に結果（変更なし／改訂）を記録してください。`,
        };
      case 'overdue':
        return {
          subject: `【見直し期限超過】情報セキュリティポリシー「${data.title}」`,
          text: `情報セキュリティポリシー「${data.title}」の見直し期限（${date}）を過ぎています。\n速やかに見直しを行い、Mamori に結果（変更なし／改訂）を記録してください。`,
        };
      default:
        return assertNever(data.kind);
    }
  }
}
