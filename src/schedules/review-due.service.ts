import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import { assertNever } from '../common/assert-never.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Organization } from '../organizations/organization.entity.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { addDays, japaneseDate, tokyoToday } from '../common/calendar.js';
import { Policy } from '../policies/policy.entity.js';
import { Staff } from '../staff/staff.entity.js';

/** Reviews due within this many days are announced (`due_soon`); past ones are `overdue`. */
export const REVIEW_DUE_NOTICE_DAYS = 30;

export type ReviewDueKind = 'due_soon' | 'overdue';

export interface ReviewDueResult {
  today: string;
  organizations: number;
  /** policies whose review is due within the notice period or overdue */
  policiesDue: number;
  /** policies for which at least one new e-mail was written (and an audit row) */
  policiesNotified: number;
  dueSoon: number;
  overdue: number;
  /** e-mails written; a second run the same day writes none */
  emails: number;
}

/**
 * The daily search for policy reviews that are due (issue #3): every active security officer and
 * CISO gets an e-mail per policy due within 30 days (`due_soon`) or past due (`overdue`). The
 * dedupe key names the policy, the due date, the kind and the person, so running twice sends once.
 */
@Injectable()
export class ReviewDueService {
  private readonly logger = new Logger(ReviewDueService.name);

  constructor(private readonly uow: UnitOfWork) {}

  async findDueReviews(now: Date = new Date()): Promise<ReviewDueResult> {
    const today = tokyoToday(now);
    const horizon = addDays(today, REVIEW_DUE_NOTICE_DAYS);
    const result: ReviewDueResult = { today, organizations: 0, policiesDue: 0, policiesNotified: 0, dueSoon: 0, overdue: 0, emails: 0 };
    const organizations = await this.uow.manager.getRepository(Organization).find({ select: { id: true }, order: { createdAt: 'ASC' } });
    for (const organization of organizations) {
      result.organizations++;
      await this.uow.run(systemActor(organization.id, 'scheduler'), (tx) => this.organizationDue(tx, today, horizon, result));
    }
    if (result.emails) this.logger.log(`review reminders: ${result.policiesNotified} policies, ${result.emails} e-mails`);
    return result;
  }

  private async organizationDue(tx: Transaction, today: string, horizon: string, result: ReviewDueResult): Promise<void> {
    const org = tx.actor.organizationId;
    const due = await tx.manager
      .getRepository(Policy)
      .createQueryBuilder('p')
      .where('p.organizationId = :org AND p.nextReviewDue IS NOT NULL AND p.nextReviewDue <= :horizon', { org, horizon })
      .orderBy('p.nextReviewDue', 'ASC')
      .addOrderBy('p.key', 'ASC')
      .getMany();
    if (due.length === 0) return;
    const recipients = await tx.manager
      .getRepository(Staff)
      .createQueryBuilder('s')
      .select(['s.id', 's.email', 's.familyName', 's.givenName'])
      .where("s.organizationId = :org AND s.status = 'active' AND s.roles && ARRAY['security_officer', 'ciso']::text[]", { org })
      .orderBy('s.employeeNumber', 'ASC')
      .getMany();
    for (const policy of due) {
      result.policiesDue++;
      const dueOn = policy.nextReviewDue!;
      const kind: ReviewDueKind = dueOn < today ? 'overdue' : 'due_soon';
      if (kind === 'overdue') result.overdue++;
      else result.dueSoon++;
      if (recipients.length === 0) continue;
      const { subject, text } = reminderMail(policy, dueOn, kind);
      const inserted = await tx.manager
        .createQueryBuilder()
        .insert()
        .into(OutboxMessage)
        .values(
          recipients.map((person) => ({
            organizationId: org,
            topic: 'notification.email' as const,
            dedupeKey: `review-due:${policy.id}:${dueOn}:${kind}:${person.id}`,
            payload: { to: person.email, subject, text: `${person.familyName} ${person.givenName} 様\n\n${text}` },
            availableAt: new Date(),
          })),
        )
        .orIgnore()
        .returning(['id'])
        .execute();
      const written = (inserted.raw as { id: string }[]).length;
      if (written === 0) continue; // already sent for this due date and kind
      result.emails += written;
      result.policiesNotified++;
      await tx.audit({
        action: 'policy.review_reminder',
        entityType: 'policy',
        entityId: policy.id,
        context: { policyKey: policy.key, kind, nextReviewDue: dueOn, today, recipients: written, revisionRequested: policy.revisionRequested },
      });
    }
  }
}

function reminderMail(policy: Policy, dueOn: string, kind: ReviewDueKind): { subject: string; text: string } {
  const date = japaneseDate(dueOn);
  switch (kind) {
    case 'due_soon':
      return {
        subject: `【見直し期限間近】情報セキュリティポリシー「${policy.title}」`,
        text: `情報セキュリティポリシー「${policy.title}」の見直し期限（${date}）が近づいています。\n期限までに見直しを行い、Mamori に結果（変更なし／改訂）を記録してください。`,
      };
    case 'overdue':
      return {
        subject: `【見直し期限超過】情報セキュリティポリシー「${policy.title}」`,
        text: `情報セキュリティポリシー「${policy.title}」の見直し期限（${date}）を過ぎています。\n速やかに見直しを行い、Mamori に結果（変更なし／改訂）を記録してください。`,
      };
    default:
      return assertNever(kind);
  }
}
