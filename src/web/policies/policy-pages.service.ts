import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { addDays, DUE_SOON_DAYS, tokyoToday } from '../../common/calendar.js';
import { may } from '../../common/permissions.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import { PoliciesService, type PolicySummary } from '../../policies/policies.service.js';
import { REVIEW_OUTCOMES } from '../../policies/policy-review.entity.js';
import { PolicyReviewsService } from '../../policies/policy-reviews.service.js';
import { PolicyRevisionsService } from '../../policies/policy-revisions.service.js';
import { DEFAULT_ACKNOWLEDGEMENT_DAYS, PolicyVersionsService } from '../../policies/policy-versions.service.js';
import { splitLanguages } from '../../policies/policy-body.js';
import type { FormErrors } from '../forms/form-error.js';
import type { Locale } from '../../common/locale.js';
import { diffLines, policyTextFor, renderPolicyMarkdown } from './policy-text.js';

export const policyHref = (key: string): string => `/policies/${encodeURIComponent(key)}`;
export const versionHref = (key: string, version: number): string => `${policyHref(key)}/versions/${version}`;
export const reviseHref = (key: string): string => `${policyHref(key)}/revise`;

/** What the revise page was sent: the texts, the change note and the draft it replaces. */
export interface RevisionFormValues {
  body: string;
  bodyEn: string;
  changeNote: string;
  replacesDraft?: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

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
    private readonly revisions: PolicyRevisionsService,
    private readonly reviews: PolicyReviewsService,
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
      reviseHref: may(actor, POLICIES.revise) ? reviseHref(policy.key) : null,
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
      diffAgainst: version.diffAgainst,
      diffAgainstInForce: version.diffAgainst !== null && version.diffAgainst === policy.approvedVersion,
      isLatestDraft: version.status === 'draft' && policy.latestVersion?.version === version.version,
      reviewsHref: '/reviews',
      reviseHref: may(actor, POLICIES.revise) ? reviseHref(policy.key) : null,
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
        reviseHref: reviseHref(p.key),
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
      canRevise: may(actor, POLICIES.revise),
      canApprove: may(actor, POLICIES.approve),
    };
  }

  /**
   * The revise page: the text to edit (the open draft's, else the version in force, in Japanese and
   * English), what was sent when the page is shown again, and with `preview` the rendered texts and
   * the diff against the version in force (computed by the service that saves, so they agree).
   */
  async revising(actor: Actor, key: string, state: { sent?: RevisionFormValues; preview?: boolean; formErrors?: FormErrors } = {}): Promise<object> {
    const policy = await this.byKey(actor, key);
    const start = await this.revisions.start(actor, policy.id);
    const from = start.openDraft ?? start.base;
    const parts = from ? splitLanguages(from.body) : { ja: '', en: null };
    const submitted = state.formErrors?.submitted;
    const form: RevisionFormValues =
      state.sent ??
      (submitted
        ? { body: text(submitted.body), bodyEn: text(submitted.bodyEn), changeNote: text(submitted.changeNote) }
        : { body: parts.ja.trim(), bodyEn: (parts.en ?? '').trim(), changeNote: '' });
    let preview: object | null = null;
    if (state.preview) {
      const shown = await this.revisions.preview(actor, policy.id, { body: form.body, bodyEn: form.bodyEn });
      const split = splitLanguages(shown.body);
      preview = {
        unchanged: shown.unchanged,
        against: shown.against,
        againstInForce: shown.against !== null && shown.against === policy.approvedVersion,
        diff: diffLines(shown.diff),
        ja: { html: renderPolicyMarkdown(split.ja), lang: 'ja', fallback: false },
        en: split.en ? { html: renderPolicyMarkdown(split.en), lang: 'en', fallback: false } : null,
      };
    }
    // the review that asked for this revision, to write it with its notes in view
    const asked = policy.revisionRequested ? (await this.reviews.list(actor, policy.id)).items.find((r) => r.outcome === 'revise') : undefined;
    return {
      title: 'policyRevise.title',
      titleDetail: { ja: policy.title, en: policy.titleEn ?? policy.title },
      policy: policyRow(policy),
      review: asked ? { reviewedAt: asked.reviewedAt, notes: asked.notes } : null,
      base: start.base ? { version: start.base.version, inForce: start.base.status === 'approved' } : null,
      openDraft: start.openDraft ? { version: start.openDraft.version, href: versionHref(policy.key, start.openDraft.version) } : null,
      // a save replaces the draft open now (the page said so); one saved meanwhile is refused first
      replacesDraft: start.openDraft?.version ?? null,
      form,
      preview,
      action: reviseHref(policy.key),
    };
  }
}
