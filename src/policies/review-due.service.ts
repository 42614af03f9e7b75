import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../common/actor.js';
import { addDays, BUSINESS_TIME_ZONE, DUE_SOON_DAYS, tokyoToday } from '../common/calendar.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { ScheduledJob } from '../jobs/job-registry.js';
import { Organization } from '../organizations/organization.entity.js';
import { Staff } from '../staff/staff.entity.js';
import type { ReviewDueKind } from './policies.notifications.js';
import { Policy } from './policy.entity.js';

/** The daily search for reviews that are due: 08:00 in Tokyo. */
export const REVIEW_DUE_SCHEDULE: ScheduleDefinition = { name: 'review-due', jobId: 'review-due-daily', cron: '0 8 * * *', tz: BUSINESS_TIME_ZONE };

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

  @ScheduledJob(REVIEW_DUE_SCHEDULE.name)
  async findDueReviews(now: Date = new Date()): Promise<ReviewDueResult> {
    const today = tokyoToday(now);
    const horizon = addDays(today, DUE_SOON_DAYS);
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
      .select(['s.id'])
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
      const written = await tx.outbox(
        recipients.map((person) => ({
          topic: 'policy.review_due' as const,
          dedupeKey: `review-due:${policy.id}:${dueOn}:${kind}:${person.id}`,
          payload: { policyId: policy.id, staffId: person.id, dueOn, kind },
        })),
      );
      if (written === 0) continue; // already sent for this due date and kind
      result.emails += written;
      result.policiesNotified++;
      tx.audit({
        action: 'policy.review_reminder',
        entityType: 'policy',
        entityId: policy.id,
        context: { policyKey: policy.key, kind, nextReviewDue: dueOn, today, recipients: written, revisionRequested: policy.revisionRequested },
      });
    }
  }
}
