import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { addDays, DUE_SOON_DAYS, tokyoToday } from '../../common/calendar.js';
import { may } from '../../common/permissions.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import { PoliciesService, type PolicySummary } from '../../policies/policies.service.js';
import { REVIEW_OUTCOMES } from '../../policies/policy-review.entity.js';
import { DEFAULT_ACKNOWLEDGEMENT_DAYS } from '../../policies/acknowledgements.service.js';
import { PolicyVersionsService } from '../../policies/policy-versions.service.js';
import type { FormErrors } from '../forms/form-error.js';
import type { Locale } from '../../common/locale.js';
import { diffLines, policyTextFor } from './policy-text.js';

const policyHref = (key: string): string => `/policies/${encodeURIComponent(key)}`;
const versionHref = (key: string, version: number): string => `${policyHref(key)}/versions/${version}`;

function policyRow(p: PolicySummary) {
  return {
    key: p.key,
    kind: p.kind,
    title: p.title,
    titleEn: p.titleEn,
    approvedVersion: p.approvedVersion,
    nextReviewDue: p.nextReviewDue,
    lastReviewedAt: p.lastReviewedAt,
    revisionRequested: p.revisionRequested,
    reviewIntervalMonths: p.reviewIntervalMonths,
    href: policyHref(p.key),
  };
}

/** What the policy pages and the review queue show, from the policies' services. */
@Injectable()
export class PolicyPagesService {
  constructor(
    private readonly policies: PoliciesService,
    private readonly versions: PolicyVersionsService,
  ) {}

  byKey(actor: Actor, key: string): Promise<PolicySummary> {
    return this.policies.byKey(actor, key);
  }

  async list(actor: Actor): Promise<object> {
    const { items } = await this.policies.list(actor);
    return { title: 'policies.title', rows: items.map(policyRow) };
  }

  /** The approved text in the reader's language; reviewers also get the list of versions. */
  async policy(actor: Actor, key: string, locale: Locale): Promise<object> {
    const policy = await this.byKey(actor, key);
    const approved = policy.approvedVersion ? await this.versions.get(actor, policy.id, policy.approvedVersion) : null;
    const reviewer = may(actor, POLICIES.read_drafts);
    const versions = reviewer ? (await this.versions.list(actor, policy.id)).items : [];
    return {
      title: 'policy.title',
      titleDetail: { ja: policy.title, en: policy.titleEn ?? policy.title },
      policy: policyRow(policy),
      approved: approved ? { version: approved.version, approvedAt: approved.approvedAt, text: policyTextFor(approved.body, locale) } : null,
      reviewer,
      versions: versions.map((v) => ({ ...v, href: versionHref(policy.key, v.version) })),
    };
  }

  /** One version (a draft too, for reviewers): its text and its diff against the approved text. */
  async version(actor: Actor, key: string, versionNumber: number, locale: Locale): Promise<object> {
    const policy = await this.byKey(actor, key);
    const version = await this.versions.get(actor, policy.id, versionNumber);
    return {
      title: 'policyVersion.title',
      titleDetail: { ja: `${policy.title} v${version.version}`, en: `${policy.titleEn ?? policy.title} v${version.version}` },
      policy: policyRow(policy),
      version: { ...version, text: policyTextFor(version.body, locale) },
      diff: diffLines(version.diff),
      isLatestDraft: version.status === 'draft' && policy.latestVersion?.version === version.version,
      reviewsHref: '/reviews',
    };
  }

  /** The review queue: when each policy is due, whether a revision is asked for, the draft awaiting approval. */
  async reviewQueue(actor: Actor, refused: { key: string; errors: FormErrors } | null = null): Promise<object> {
    const { items } = await this.policies.list(actor);
    const today = tokyoToday();
    const soon = addDays(today, DUE_SOON_DAYS);
    const rows = items.map((p) => {
      const mine = refused?.key === p.key ? refused.errors : null;
      const submitted = mine?.submitted ?? {};
      const draft = p.latestVersion?.status === 'draft' ? p.latestVersion : null;
      return {
        ...policyRow(p),
        overdue: p.nextReviewDue !== null && p.nextReviewDue < today,
        dueSoon: p.nextReviewDue !== null && p.nextReviewDue >= today && p.nextReviewDue <= soon,
        draft: draft ? { version: draft.version, createdAt: draft.createdAt, href: versionHref(p.key, draft.version) } : null,
        reviewAction: `${policyHref(p.key)}/reviews`,
        approveAction: draft ? `${versionHref(p.key, draft.version)}/approve` : null,
        outcomes: REVIEW_OUTCOMES.map((value) => ({ value, checked: mine?.form === 'review' && submitted.outcome === value })),
        notes: mine?.form === 'review' && typeof submitted.notes === 'string' ? submitted.notes : '',
        requireAcknowledgement: mine?.form === 'approve' ? submitted.requireAcknowledgement === 'on' : true,
        acknowledgementDueOn:
          mine?.form === 'approve' && typeof submitted.acknowledgementDueOn === 'string'
            ? submitted.acknowledgementDueOn
            : addDays(today, DEFAULT_ACKNOWLEDGEMENT_DAYS),
      };
    });
    return {
      title: 'reviews.title',
      today,
      rows,
      canReview: may(actor, POLICIES.review),
      canApprove: may(actor, POLICIES.approve),
    };
  }
}
