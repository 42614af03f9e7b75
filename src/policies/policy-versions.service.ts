import { Injectable } from '@nestjs/common';
import { IsNull, LessThan, Not } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { addDays, addMonths, isCalendarDate, tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { ApprovePolicyVersionDto } from './dto/policy-review.dto.js';
import './policies.events.js';
import { diffBaseVersion } from './policy-body.js';
import { POLICIES } from './policies.permissions.js';
import { PolicyVersion, type PolicyVersionStatus } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

export interface PolicyVersionSummary {
  id: string;
  policyId: string;
  version: number;
  status: PolicyVersionStatus;
  contentHash: string;
  changeNote: string | null;
  draftedBy: string | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  acknowledgementRequired: boolean;
  supersededAt: Date | null;
  createdAt: Date;
}

export interface PolicyVersionDetail extends PolicyVersionSummary {
  body: string;
  frontMatter: Record<string, unknown>;
  diff: string | null;
  /** the version `diff` compares against */
  diffAgainst: number | null;
}

export interface ApprovalResult {
  version: PolicyVersionSummary;
  /** version numbers this approval superseded (the previous approved one and older drafts) */
  superseded: number[];
  nextReviewDue: string;
  acknowledgement: { dueOn: string; duties: number; emails: number } | null;
}

export function versionSummary(v: PolicyVersion): PolicyVersionSummary {
  return {
    id: v.id,
    policyId: v.policyId,
    version: v.version,
    status: v.status,
    contentHash: v.contentHash,
    changeNote: v.changeNote,
    draftedBy: v.draftedBy,
    approvedBy: v.approvedBy,
    approvedAt: v.approvedAt,
    acknowledgementRequired: v.acknowledgementRequired,
    supersededAt: v.supersededAt,
    createdAt: v.createdAt,
  };
}

export function versionDetail(v: PolicyVersion): PolicyVersionDetail {
  return { ...versionSummary(v), body: v.body, frontMatter: v.frontMatter, diff: v.diff, diffAgainst: diffBaseVersion(v.diff) };
}

/** Days a person has to acknowledge a newly approved version, unless the CISO sets a date. */
export const DEFAULT_ACKNOWLEDGEMENT_DAYS = 30;

/** Staff read versions that were in force: approved, or approved once and superseded since (never a skipped draft). */
const IN_FORCE_ONCE = { approvedAt: Not(IsNull()) } as const;

/** Policy versions: reading them (drafts only for the security office) and the CISO's approval. */
@Injectable()
export class PolicyVersionsService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(actor: Actor, policyId: string): Promise<{ items: PolicyVersionSummary[]; total: number }> {
    assertMay(actor, POLICIES.read);
    await this.policy(actor, policyId);
    const versions = await this.uow.manager.getRepository(PolicyVersion).find({
      where: { organizationId: actor.organizationId, policyId, ...(may(actor, POLICIES.read_drafts) ? {} : IN_FORCE_ONCE) },
      select: {
        id: true,
        policyId: true,
        version: true,
        status: true,
        contentHash: true,
        changeNote: true,
        draftedBy: true,
        approvedBy: true,
        approvedAt: true,
        acknowledgementRequired: true,
        supersededAt: true,
        createdAt: true,
      },
      order: { version: 'DESC' },
    });
    const items = versions.map(versionSummary);
    return { items, total: items.length };
  }

  async get(actor: Actor, policyId: string, version: number): Promise<PolicyVersionDetail> {
    assertMay(actor, POLICIES.read);
    await this.policy(actor, policyId);
    const found = await this.uow.manager.getRepository(PolicyVersion).findOneBy({ organizationId: actor.organizationId, policyId, version });
    // a draft is not there for someone who may not read drafts
    if (!found || (!may(actor, POLICIES.read_drafts) && !found.approvedAt)) throw new AppException('POLICY_VERSION_NOT_FOUND');
    return versionDetail(found);
  }

  /**
   * The CISO approves the latest draft (second factor required). In one transaction: the previous
   * approved version and any older drafts are superseded, the next review is due one interval
   * from today, and, when asked, every active member of staff is asked to acknowledge it: training
   * reacts to `policy.version_approved` with the version's acknowledgement course, published to all
   * active staff in this transaction (and closes the older versions' courses).
   */
  async approve(actor: Actor, policyId: string, versionNumber: number, dto: ApprovePolicyVersionDto): Promise<ApprovalResult> {
    assertMay(actor, POLICIES.approve);
    if (!actor.mfa) throw new AppException('APPROVAL_REQUIRES_SECOND_FACTOR');
    const today = tokyoToday();
    const requireAcknowledgement = dto.requireAcknowledgement ?? false;
    if (dto.acknowledgementDueOn !== undefined) {
      const field = 'acknowledgementDueOn';
      if (!requireAcknowledgement) throw validation(field, 'acknowledgementDueOn needs requireAcknowledgement: true');
      if (!isCalendarDate(dto.acknowledgementDueOn)) throw validation(field, 'acknowledgementDueOn must be a calendar date');
      if (dto.acknowledgementDueOn < today) throw validation(field, 'acknowledgementDueOn must not be in the past');
    }
    const dueOn = dto.acknowledgementDueOn ?? addDays(today, DEFAULT_ACKNOWLEDGEMENT_DAYS);

    return this.uow.run(actor, async (tx) => {
      const org = actor.organizationId;
      const policies = tx.manager.getRepository(Policy);
      const versions = tx.manager.getRepository(PolicyVersion);
      // the policy row orders approvals (and the sync, which locks it too)
      const policy = await policies.findOne({ where: { organizationId: org, id: policyId }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw new AppException('POLICY_NOT_FOUND');
      const target = await versions.findOneBy({ organizationId: org, policyId, version: versionNumber });
      if (!target) throw new AppException('POLICY_VERSION_NOT_FOUND');
      if (target.status !== 'draft')
        throw new AppException('POLICY_VERSION_NOT_DRAFT', `Version ${target.version} is ${target.status}`, undefined, { versionStatus: target.status });
      // two people: whoever drafted a text in the application does not also put it in force
      if (target.draftedBy && target.draftedBy === actor.staffId) throw new AppException('POLICY_OWN_DRAFT');
      const latest = await versions.findOne({ where: { organizationId: org, policyId }, order: { version: 'DESC' }, select: { id: true, version: true } });
      if (latest && latest.id !== target.id) {
        throw new AppException('POLICY_VERSION_NOT_LATEST', `Version ${latest.version} is newer`, undefined, { latestVersion: latest.version });
      }

      const now = new Date();
      const superseded: number[] = [];
      const older = await versions.find({
        where: [
          { organizationId: org, policyId, status: 'approved' },
          { organizationId: org, policyId, status: 'draft', version: LessThan(target.version) },
        ],
        order: { version: 'ASC' },
      });
      for (const version of older) {
        await this.transition(tx, version, { status: 'superseded', supersededAt: now }, 'policy_version.supersede', { supersededBy: target.version });
        superseded.push(version.version);
      }
      const approved = await this.transition(
        tx,
        target,
        { status: 'approved', approvedBy: actor.staffId, approvedAt: now, acknowledgementRequired: requireAcknowledgement },
        'policy_version.approve',
        { policyKey: policy.key, ...(requireAcknowledgement ? { acknowledgementDueOn: dueOn } : {}) },
      );

      const nextReviewDue = addMonths(today, policy.reviewIntervalMonths);
      await tx.update(
        policy,
        { nextReviewDue, revisionRequested: false },
        { action: 'policy.update', entityType: 'policy', context: { reason: 'version_approved', version: target.version } },
      );

      await tx.publish({
        type: 'policy.version_approved',
        policyId: policy.id,
        policyKey: policy.key,
        versionId: approved.id,
        version: approved.version,
        acknowledgementRequired: requireAcknowledgement,
        acknowledgementDueOn: requireAcknowledgement ? dueOn : null,
      });
      const acknowledgement = requireAcknowledgement ? { dueOn, ...(await this.askedToAcknowledge(tx, approved.id)) } : null;
      return { version: versionSummary(approved), superseded, nextReviewDue, acknowledgement };
    });
  }

  /**
   * How many the approval asked to acknowledge the version, read back from what training made of
   * `policy.version_approved` in this transaction (the enrolments of the version's acknowledgement
   * course; each is told by one e-mail). A read of training's tables by SQL: policies builds on
   * nothing of training, which comes after it.
   */
  private async askedToAcknowledge(tx: Transaction, versionId: string): Promise<{ duties: number; emails: number }> {
    const [row] = (await tx.manager.query(
      `SELECT count(*)::int AS n FROM enrolments e JOIN courses c ON c.id = e.course_id
        WHERE c.organization_id = $1 AND c.policy_version_id = $2 AND c.kind = 'policy_acknowledgement'`,
      [tx.actor.organizationId, versionId],
    )) as { n: number }[];
    return { duties: row!.n, emails: row!.n };
  }

  /** A version's status change, recorded like any update (its texts stay out of the trail). */
  private transition(
    tx: Transaction,
    version: PolicyVersion,
    change: Partial<PolicyVersion>,
    action: string,
    context: Record<string, unknown>,
  ): Promise<PolicyVersion> {
    return tx.update(version, change, { action, entityType: 'policy_version', omit: ['body', 'frontMatter', 'diff'], context });
  }

  private async policy(actor: Actor, id: string): Promise<Policy> {
    const found = await this.uow.manager.getRepository(Policy).findOneBy({ organizationId: actor.organizationId, id });
    if (!found) throw new AppException('POLICY_NOT_FOUND');
    return found;
  }
}

function validation(field: string, message: string): AppException {
  return new AppException('VALIDATION_FAILED', `${field}: ${message}`, [{ field, messages: [message] }]);
}
