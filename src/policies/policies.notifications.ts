import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import { assertNever } from '../common/assert-never.js';
import { mailDate } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';

export type ReviewDueKind = 'due_soon' | 'overdue';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** remind one member of the security office that a policy's review is due soon or overdue */
    'policy.review_due': { policyId: string; staffId: string; dueOn: string; kind: ReviewDueKind };
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
