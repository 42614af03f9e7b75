import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { assertNever } from '../common/assert-never.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may, refusal } from '../common/permissions.js';
import { POLICIES } from './policies.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { CreatePolicyReviewDto } from './dto/policy-review.dto.js';
import { addMonths, tokyoToday } from '../common/calendar.js';
import { PolicyReview, type ReviewOutcome } from './policy-review.entity.js';
import { PolicyRevisionsService, type RevisedText } from './policy-revisions.service.js';
import { PolicyVersion } from './policy-version.entity.js';
import { versionSummary, type PolicyVersionSummary } from './policy-versions.service.js';
import { Policy } from './policy.entity.js';

export interface PolicyReviewResult {
  review: PolicyReview;
  policy: { id: string; nextReviewDue: string | null; lastReviewedAt: Date | null; revisionRequested: boolean };
  /** the draft made from the text the review carried */
  draft: PolicyVersionSummary | null;
}

/** ポリシーの見直し: dated reviews ending in "no change" (next review one interval on) or a revision request. */
@Injectable()
export class PolicyReviewsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly revisions: PolicyRevisionsService,
  ) {}

  /**
   * Records a review. One with outcome `revise` may carry the revised text (`body`, `bodyEn?`,
   * `changeNote`, `replacesDraft?`): the draft is made in the same transaction, and only the
   * security office (POLICIES.revise) may send one.
   */
  async create(actor: Actor, policyId: string, dto: CreatePolicyReviewDto): Promise<PolicyReviewResult> {
    assertMay(actor, POLICIES.review);
    const text = revisedTextOf(dto);
    // the review itself is the CISO's too; writing the text is the security office's
    if (text && !may(actor, POLICIES.revise)) throw refusal(POLICIES.revise);
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
      const draft = text ? await this.revisions.draftIn(tx, policy, text, 'review', { reviewId: review.id }) : null;
      return {
        review,
        policy: { id: policy.id, nextReviewDue: policy.nextReviewDue, lastReviewedAt: policy.lastReviewedAt, revisionRequested: policy.revisionRequested },
        draft: draft ? versionSummary(draft) : null,
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

const TEXT_FIELDS = ['body', 'bodyEn', 'changeNote', 'replacesDraft'] as const;

/** The revised text a review carries, or null; 400 naming the field when it carries one it may not. */
function revisedTextOf(dto: CreatePolicyReviewDto): RevisedText | null {
  const sent = TEXT_FIELDS.filter((field) => dto[field] !== undefined);
  if (sent.length === 0) return null;
  const refuse = (field: string, message: string) => new AppException('VALIDATION_FAILED', `${field}: ${message}`, [{ field, messages: [message] }]);
  if (dto.outcome !== 'revise') throw refuse(sent[0]!, `${sent[0]} goes only with outcome revise`);
  if (dto.body === undefined) throw refuse('body', `body is needed with ${sent.join(', ')}`);
  if (dto.changeNote === undefined) throw refuse('changeNote', 'changeNote is needed with body');
  return { body: dto.body, bodyEn: dto.bodyEn, changeNote: dto.changeNote, replacesDraft: dto.replacesDraft };
}
