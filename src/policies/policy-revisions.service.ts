import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { MAX_CHANGE_NOTE, MAX_POLICY_TEXT } from './dto/policy-review.dto.js';
import './policies.events.js';
import { POLICIES } from './policies.permissions.js';
import { composeBody, ENGLISH_HEADING, sameText, splitLanguages, versionDiff } from './policy-body.js';
import { policyContentHash } from './policy-files.js';
import { PolicyVersion } from './policy-version.entity.js';
import { versionDetail, type PolicyVersionDetail } from './policy-versions.service.js';
import { Policy } from './policy.entity.js';

/** A revised text: the Japanese body, the English one, why, and the open draft it replaces. */
export interface RevisedText {
  /** the Japanese text (Markdown), without the `## English` part */
  body: string;
  /** the English text; undefined keeps that of the version revised, empty or null leaves it out */
  bodyEn?: string | null;
  changeNote: string;
  /** the open draft this one replaces (required while one is open) */
  replacesDraft?: number;
}

/** Where a revision starts: the version in force, and the draft awaiting approval (if any). */
export interface RevisionStart {
  policy: Policy;
  /** what a new draft is compared with: the version in force, or else the latest version */
  base: PolicyVersionDetail | null;
  /** the draft awaiting approval, which a new draft would replace */
  openDraft: PolicyVersionDetail | null;
}

/** What a revised text would make, without making it (the revise page's preview). */
export interface RevisionPreview {
  /** the whole body, as the draft would hold it */
  body: string;
  /** the version the diff compares against */
  against: number | null;
  /** the stored diff the draft would get ('' when nothing changed) */
  diff: string;
  /** the text says what the version in force (or the open draft) says */
  unchanged: boolean;
}

interface Versions {
  latest: PolicyVersion | null;
  inForce: PolicyVersion | null;
  openDraft: PolicyVersion | null;
  base: PolicyVersion | null;
}

/**
 * Policy revision in the app (issue 8): the security office edits the text in force and saves it as
 * a draft, which the CISO approves as any other. A draft awaiting approval is replaced only when the
 * request names it (`replacesDraft`), so that nobody overwrites a draft they have not seen; the
 * replaced draft is superseded. The new draft keeps the front matter of the version it revises and
 * gets the diff against the version in force.
 */
@Injectable()
export class PolicyRevisionsService {
  constructor(private readonly uow: UnitOfWork) {}

  /** The texts a revision starts from (the revise page). */
  async start(actor: Actor, policyId: string): Promise<RevisionStart> {
    assertMay(actor, POLICIES.revise);
    const policy = await this.uow.manager.getRepository(Policy).findOneBy({ organizationId: actor.organizationId, id: policyId });
    if (!policy) throw new AppException('POLICY_NOT_FOUND');
    const { base, openDraft } = await versionsOf(this.uow.manager.getRepository(PolicyVersion), policy);
    return { policy, base: base ? versionDetail(base) : null, openDraft: openDraft ? versionDetail(openDraft) : null };
  }

  /** What `revise` would make of the text, checked the same way but for the change note; writes nothing. */
  async preview(actor: Actor, policyId: string, text: Omit<RevisedText, 'changeNote'>): Promise<RevisionPreview> {
    assertMay(actor, POLICIES.revise);
    checkText({ ...text, changeNote: 'x' });
    const policy = await this.uow.manager.getRepository(Policy).findOneBy({ organizationId: actor.organizationId, id: policyId });
    if (!policy) throw new AppException('POLICY_NOT_FOUND');
    const versions = await versionsOf(this.uow.manager.getRepository(PolicyVersion), policy);
    const { base, body, frontMatter } = revisedBody(versions, text);
    const latest = versions.latest!;
    const unchanged = sameText(body, base.body) || (versions.openDraft !== null && sameText(body, versions.openDraft.body));
    return {
      body,
      against: base.version,
      diff: unchanged ? '' : versionDiff(policy.key, base, { version: latest.version + 1, frontMatter, body }),
      unchanged,
    };
  }

  /** `POST /api/v1/policies/:id/versions`: the revised text becomes the policy's new draft. */
  async revise(actor: Actor, policyId: string, text: RevisedText): Promise<PolicyVersionDetail> {
    assertMay(actor, POLICIES.revise);
    checkText(text);
    return this.uow.run(actor, async (tx) => {
      const policy = await tx.manager
        .getRepository(Policy)
        .findOne({ where: { organizationId: actor.organizationId, id: policyId }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw new AppException('POLICY_NOT_FOUND');
      return versionDetail(await this.draftIn(tx, policy, text, 'app'));
    });
  }

  /**
   * Makes the draft in the caller's transaction, on a policy row it has locked (the review that
   * carries a text uses it too). Refusals: 400 for the text, 409 for a draft that is open and not
   * named (POLICY_DRAFT_OPEN), named but no longer open (POLICY_DRAFT_NOT_OPEN), or a text that
   * changes nothing (POLICY_TEXT_UNCHANGED).
   */
  async draftIn(tx: Transaction, policy: Policy, text: RevisedText, source: 'app' | 'review', context: Record<string, unknown> = {}): Promise<PolicyVersion> {
    checkText(text);
    const repository = tx.manager.getRepository(PolicyVersion);
    const versions = await versionsOf(repository, policy);
    const { openDraft, latest } = versions;
    if (openDraft && text.replacesDraft !== openDraft.version) {
      throw new AppException(
        'POLICY_DRAFT_OPEN',
        `Version ${openDraft.version} is a draft awaiting approval; send replacesDraft: ${openDraft.version} to replace it`,
        [{ field: 'replacesDraft', messages: [`draft ${openDraft.version} is open: name it to replace it`] }],
        { openDraft: openDraft.version },
      );
    }
    if (!openDraft && text.replacesDraft !== undefined) {
      throw new AppException(
        'POLICY_DRAFT_NOT_OPEN',
        `Version ${text.replacesDraft} is not a draft awaiting approval`,
        [{ field: 'replacesDraft', messages: [`version ${text.replacesDraft} is not the open draft`] }],
        { openDraft: null },
      );
    }
    const { base, body, frontMatter } = revisedBody(versions, text);
    for (const same of [base, openDraft]) {
      if (same && sameText(body, same.body)) {
        throw new AppException('POLICY_TEXT_UNCHANGED', `The text is the same as version ${same.version}`, [
          { field: 'body', messages: [`the text is the same as version ${same.version}`] },
        ]);
      }
    }

    const number = latest!.version + 1;
    const now = new Date();
    const replaced: number[] = [];
    const drafts = await repository.find({ where: { organizationId: policy.organizationId, policyId: policy.id, status: 'draft' }, order: { version: 'ASC' } });
    for (const draft of drafts) {
      await tx.update(
        draft,
        { status: 'superseded', supersededAt: now },
        {
          action: 'policy_version.supersede',
          entityType: 'policy_version',
          omit: ['body', 'frontMatter', 'diff'],
          context: { policyKey: policy.key, supersededBy: number, reason: 'replaced_draft' },
        },
      );
      replaced.push(draft.version);
    }
    const created = await tx.create(
      PolicyVersion,
      {
        policyId: policy.id,
        version: number,
        status: 'draft',
        contentHash: policyContentHash(frontMatter, body),
        body,
        frontMatter,
        diff: versionDiff(policy.key, base, { version: number, frontMatter, body }),
        changeNote: text.changeNote.trim(),
        draftedBy: tx.actor.staffId,
        approvedBy: null,
        approvedAt: null,
      },
      {
        action: 'policy_version.create',
        entityType: 'policy_version',
        omit: ['body', 'diff'],
        context: { policyKey: policy.key, source, against: base.version, replaced, ...context },
      },
    );
    await tx.publish({ type: 'policy.version_drafted', policyId: policy.id, policyKey: policy.key, versionId: created.id, version: number, source, replaced });
    return created;
  }
}

/** The latest version, the one in force, the open draft (the latest, when a draft) and the base a diff compares with. */
async function versionsOf(versions: Repository<PolicyVersion>, policy: Policy): Promise<Versions> {
  const where = { organizationId: policy.organizationId, policyId: policy.id };
  const latest = await versions.findOne({ where, order: { version: 'DESC' } });
  const inForce = await versions.findOne({ where: { ...where, status: 'approved' }, order: { version: 'DESC' } });
  const openDraft = latest?.status === 'draft' ? latest : null;
  return { latest, inForce, openDraft, base: inForce ?? latest };
}

/** The body a revised text makes, the version it is compared with, and the front matter it keeps. */
function revisedBody(versions: Versions, text: Omit<RevisedText, 'changeNote'>): { base: PolicyVersion; body: string; frontMatter: Record<string, unknown> } {
  const { base, openDraft } = versions;
  // every policy is created with a first version; one without any has no text to revise
  if (!base) throw new AppException('POLICY_VERSION_NOT_FOUND', 'The policy has no version to revise');
  const revised = openDraft ?? base;
  const en = text.bodyEn === undefined ? splitLanguages(revised.body).en : text.bodyEn;
  return { base, body: composeBody(text.body, en), frontMatter: revised.frontMatter };
}

/** 400 naming every field of the text that cannot be taken (also for the review and the pages, which skip the DTO's checks). */
function checkText(text: RevisedText): void {
  const errors: FieldError[] = [];
  const refuse = (field: string, message: string) => errors.push({ field, messages: [message] });
  if (typeof text.body !== 'string' || !text.body.trim()) refuse('body', 'body must not be empty');
  else if (text.body.length > MAX_POLICY_TEXT) refuse('body', `body must be at most ${MAX_POLICY_TEXT} characters`);
  else if (ENGLISH_HEADING.test(text.body)) refuse('body', 'body must not contain the heading "## English": the English text goes in bodyEn');
  if (typeof text.bodyEn === 'string' && text.bodyEn.length > MAX_POLICY_TEXT) refuse('bodyEn', `bodyEn must be at most ${MAX_POLICY_TEXT} characters`);
  if (typeof text.changeNote !== 'string' || !text.changeNote.trim()) refuse('changeNote', 'changeNote must not be empty');
  else if (text.changeNote.length > MAX_CHANGE_NOTE) refuse('changeNote', `changeNote must be at most ${MAX_CHANGE_NOTE} characters`);
  if (errors.length) {
    throw new AppException('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join('. '), errors);
  }
}
