import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { assertNever } from '../common/assert-never.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { POLICIES } from './policies.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { CreatePolicyReviewDto } from './dto/policy-review.dto.js';
import { addMonths, tokyoToday } from '../common/calendar.js';
import { PolicyReview, type ReviewOutcome } from './policy-review.entity.js';
import { PolicyVersion } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

export interface PolicyReviewResult {
  review: PolicyReview;
  policy: { id: string; nextReviewDue: string | null; lastReviewedAt: Date | null; revisionRequested: boolean };
}

/** ポリシーの見直し: dated reviews ending in "no change" (next review one interval on) or a revision request. */
@Injectable()
export class PolicyReviewsService {
  constructor(private readonly uow: UnitOfWork) {}

  async create(actor: Actor, policyId: string, dto: CreatePolicyReviewDto): Promise<PolicyReviewResult> {
    assertMay(actor, POLICIES.review);
    return this.uow.run(actor, async (tx) => {
      const policies = tx.manager.getRepository(Policy);
      const policy = await policies.findOne({ where: { organizationId: actor.organizationId, id: policyId }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw new AppException('POLICY_NOT_FOUND');
      const approved = await tx.manager.getRepository(PolicyVersion).findOne({
        where: { organizationId: actor.organizationId, policyId, status: 'approved' },
        select: { id: true, version: true },
        order: { version: 'DESC' },
      });
      const now = new Date();
      const review = await tx.create(
        PolicyReview,
        {
          policyId,
          policyVersionId: approved?.id ?? null,
          outcome: dto.outcome,
          notes: dto.notes,
          reviewedById: actor.staffId,
          reviewedAt: now,
          dueOn: policy.nextReviewDue,
        },
        { action: 'policy_review.create', entityType: 'policy_review', context: { policyKey: policy.key, version: approved?.version ?? null } },
      );

      const changes = reviewChanges(dto.outcome, now, policy.reviewIntervalMonths);
      await tx.update(policy, changes, {
        action: 'policy.update',
        entityType: 'policy',
        context: { reason: 'review', outcome: dto.outcome, reviewId: review.id },
      });
      return {
        review,
        policy: { id: policy.id, nextReviewDue: policy.nextReviewDue, lastReviewedAt: policy.lastReviewedAt, revisionRequested: policy.revisionRequested },
      };
    });
  }

  async list(actor: Actor, policyId: string): Promise<{ items: PolicyReview[]; total: number }> {
    assertMay(actor, POLICIES.read_reviews);
    const policy = await this.uow.manager.getRepository(Policy).findOneBy({ organizationId: actor.organizationId, id: policyId });
    if (!policy) throw new AppException('POLICY_NOT_FOUND');
    const [items, total] = await this.uow.manager.getRepository(PolicyReview).findAndCount({
      where: { organizationId: actor.organizationId, policyId },
      order: { reviewedAt: 'DESC' },
    });
    return { items, total };
  }
}

/** What a review changes on its policy: "no change" starts the next interval; "revise" keeps the review due until the revision is approved. */
function reviewChanges(outcome: ReviewOutcome, now: Date, intervalMonths: number): Partial<Policy> {
  switch (outcome) {
    case 'no_change':
      return { lastReviewedAt: now, nextReviewDue: addMonths(tokyoToday(now), intervalMonths) };
    case 'revise':
      return { lastReviewedAt: now, revisionRequested: true };
    default:
      return assertNever(outcome);
  }
}
