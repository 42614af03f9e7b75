import { Injectable } from '@nestjs/common';
import { IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { addMonths, endOfTokyoDay, tokyoToday } from '../common/calendar.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { lineDiff } from '../policies/line-diff.js';
import { DrillProposal } from './drill-proposal.entity.js';
import { DrillsService } from './drills.service.js';
import type { DrillProposalDto, PlanDraftDto, ScenarioDraftDto } from './dto/plan-version.dto.js';
import { changeDraft, draftAndLatest, lockPlan, stepsOf, stepText, writeDraftRevision, type StepText } from './plan-drafts.js';
import { DEFAULT_PLAN_REVIEW_MONTHS, playbookOrderProblems } from './response-plan-files.js';
import { ResponsePlanVersion, type ResponsePlanVersionStatus } from './response-plan-version.entity.js';
import './response-plan.events.js';
import { RESPONSE_PLAN } from './response-plan.permissions.js';
import { PlaybookStep, Scenario } from './scenario.entity.js';

export interface PersonRef {
  id: string;
  name: string;
}

export interface PlanVersionSummary {
  version: number;
  status: ResponsePlanVersionStatus;
  changeNote: string | null;
  draftedBy: PersonRef | null;
  approvedBy: PersonRef | null;
  approvedAt: Date | null;
  nextReviewDue: string | null;
  supersededAt: Date | null;
  createdAt: Date;
}

export interface StepFacts {
  phase: string;
  action: string;
  role: string;
  targetMinutes: number;
}

export interface ChangedStep {
  position: number;
  change: 'changed' | 'added' | 'removed';
  before: StepFacts | null;
  after: StepFacts | null;
}

export interface ScenarioChange {
  scenarioId: string;
  key: string;
  title: string;
  fromRevision: number | null;
  toRevision: number;
  steps: ChangedStep[];
}

export interface PlanVersionDetail extends PlanVersionSummary {
  body: string;
  frontMatter: Record<string, unknown>;
  scenarioRevisions: Record<string, number>;
  diffAgainst: number | null;
  diff: string;
  scenarioChanges: ScenarioChange[];
}

export interface PlanInForce {
  version: number;
  approvedAt: Date;
  approvedBy: PersonRef | null;
  nextReviewDue: string | null;
  reviewedWithinInterval: boolean;
  body: string;
  changeNote: string | null;
}

export interface ResponsePlanState {
  inForce: PlanInForce | null;
  draftWaiting: boolean;
  /** the draft's number, for those who read drafts */
  draftVersion: number | null;
}

/** The plan's state for the figures (another feature shows it). */
export interface PlanStatus {
  approved: boolean;
  version: number | null;
  approvedAt: Date | null;
  nextReviewDue: string | null;
  reviewedWithinInterval: boolean;
}

export interface PlanApproval {
  version: PlanVersionSummary;
  superseded: number[];
  nextReviewDue: string;
  scenariosPutInForce: string[];
}

export interface ProposalRecord {
  proposal: DrillProposal;
  proposedBy: PersonRef | null;
}

/** The months between reviews a version's front matter says (default 12). */
export function reviewIntervalOf(version: Pick<ResponsePlanVersion, 'frontMatter'>): number {
  const months = version.frontMatter.reviewIntervalMonths;
  return typeof months === 'number' && Number.isInteger(months) && months >= 1 ? months : DEFAULT_PLAN_REVIEW_MONTHS;
}

const stepFacts = (step: PlaybookStep): StepFacts => ({ phase: step.phase, action: step.action, role: step.role, targetMinutes: step.targetMinutes });

/** The steps that differ between two revisions, by position. */
export function changedSteps(before: readonly PlaybookStep[], after: readonly PlaybookStep[]): ChangedStep[] {
  const out: ChangedStep[] = [];
  for (let position = 1; position <= Math.max(before.length, after.length); position++) {
    const a = before[position - 1];
    const b = after[position - 1];
    if (a && b) {
      const same =
        a.phase === b.phase &&
        a.action === b.action &&
        a.role === b.role &&
        a.targetMinutes === b.targetMinutes &&
        (a.actionEn ?? null) === (b.actionEn ?? null);
      if (!same) out.push({ position, change: 'changed', before: stepFacts(a), after: stepFacts(b) });
    } else if (b) out.push({ position, change: 'added', before: null, after: stepFacts(b) });
    else if (a) out.push({ position, change: 'removed', before: stepFacts(a), after: null });
  }
  return out;
}

/**
 * The plan as records (issue 12): its versions (the text and the scenario revisions each puts in
 * force), edits in the app (the text, a scenario's playbook, a proposal from a drill), all into THE
 * draft version, and the CISO's approval with the second factor, which puts the draft's scenario
 * revisions in force.
 */
@Injectable()
export class ResponsePlanVersionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly drills: DrillsService,
  ) {}

  /** The plan in force (the latest approved version) and whether a draft waits; for all staff. */
  async current(actor: Actor): Promise<ResponsePlanState> {
    assertMay(actor, RESPONSE_PLAN.read);
    const manager = this.uow.manager;
    const repo = manager.getRepository(ResponsePlanVersion);
    const approved = await repo.findOne({ where: { organizationId: actor.organizationId, status: 'approved' }, order: { version: 'DESC' } });
    const draft = await repo.findOne({ where: { organizationId: actor.organizationId, status: 'draft' }, select: { id: true, version: true } });
    const names = await this.names(manager, actor.organizationId, [approved?.approvedBy]);
    const today = tokyoToday();
    return {
      inForce: approved
        ? {
            version: approved.version,
            approvedAt: approved.approvedAt!,
            approvedBy: refOf(names, approved.approvedBy),
            nextReviewDue: approved.nextReviewDue,
            reviewedWithinInterval: approved.nextReviewDue !== null && approved.nextReviewDue >= today,
            body: approved.body,
            changeNote: approved.changeNote,
          }
        : null,
      draftWaiting: draft !== null,
      draftVersion: draft && may(actor, RESPONSE_PLAN.read_plan_drafts) ? draft.version : null,
    };
  }

  /** The versions, newest first: drafts (and drafts superseded unapproved) only for the office and the CISO. */
  async list(actor: Actor): Promise<{ items: PlanVersionSummary[]; total: number }> {
    assertMay(actor, RESPONSE_PLAN.read);
    const rows = await this.uow.manager.getRepository(ResponsePlanVersion).find({
      where: { organizationId: actor.organizationId, ...(may(actor, RESPONSE_PLAN.read_plan_drafts) ? {} : { approvedAt: Not(IsNull()) }) },
      order: { version: 'DESC' },
    });
    const names = await this.names(
      this.uow.manager,
      actor.organizationId,
      rows.flatMap((r) => [r.draftedBy, r.approvedBy]),
    );
    const items = rows.map((row) => summaryOf(row, names));
    return { items, total: items.length };
  }

  /** One version with its text, the diff against the approved version before it and the steps that changed. */
  async get(actor: Actor, versionNumber: number): Promise<PlanVersionDetail> {
    assertMay(actor, RESPONSE_PLAN.read);
    const manager = this.uow.manager;
    const repo = manager.getRepository(ResponsePlanVersion);
    const found = await repo.findOneBy({ organizationId: actor.organizationId, version: versionNumber });
    if (!found || (!found.approvedAt && !may(actor, RESPONSE_PLAN.read_plan_drafts))) throw new AppException('RESPONSE_PLAN_VERSION_NOT_FOUND');
    // compared with the approved version before it: for a draft, the one in force
    const base = await repo.findOne({
      where: { organizationId: actor.organizationId, approvedAt: Not(IsNull()), version: LessThan(found.version) },
      order: { version: 'DESC' },
    });
    const names = await this.names(manager, actor.organizationId, [found.draftedBy, found.approvedBy]);
    return {
      ...summaryOf(found, names),
      body: found.body,
      frontMatter: found.frontMatter,
      scenarioRevisions: found.scenarioRevisions,
      diffAgainst: base?.version ?? null,
      diff: base ? lineDiff(base.body, found.body, { from: `第${base.version}版`, to: `第${found.version}版` }) : '',
      scenarioChanges: await this.scenarioChanges(manager, actor.organizationId, base?.scenarioRevisions ?? null, found.scenarioRevisions),
    };
  }

  /** The plan's text edited in the app (the security office): into the draft, opened if none. */
  async editPlan(actor: Actor, dto: PlanDraftDto): Promise<PlanVersionDetail> {
    assertMay(actor, RESPONSE_PLAN.edit_plan);
    const body = dto.body.replace(/\r\n/g, '\n');
    const version = await this.uow.run(actor, async (tx) => {
      await lockPlan(tx);
      const { draft, latest } = await draftAndLatest(tx);
      const current = draft ?? latest;
      if (current && current.body.trim() === body.trim())
        throw new AppException('RESPONSE_PLAN_TEXT_UNCHANGED', `The text is the same as version ${current.version}`, [
          { field: 'body', messages: [`the text is the same as version ${current.version}`] },
        ]);
      return (await changeDraft(tx, { body, changeNote: dto.changeNote }, 'app')).version;
    });
    return this.get(actor, version.version);
  }

  /**
   * A scenario's playbook edited in the app (the security office): checked by the rules of the
   * files (phases never go back, targets never decrease) and every phase has a step; a new draft
   * revision of the scenario, named in the plan's draft. 400 naming `steps.N.field`, nothing written.
   */
  async editScenario(actor: Actor, scenarioId: string, dto: ScenarioDraftDto): Promise<PlanVersionDetail> {
    assertMay(actor, RESPONSE_PLAN.edit_plan);
    refuseOrder(dto.steps, { allPhases: true });
    const version = await this.uow.run(actor, async (tx) => {
      await lockPlan(tx);
      const scenario = await tx.manager.getRepository(Scenario).findOneBy({ organizationId: actor.organizationId, id: scenarioId, retiredAt: IsNull() });
      if (!scenario) throw new AppException('SCENARIO_NOT_FOUND');
      const latest = (await stepsOf(tx, scenario, scenario.latestRevision)).map(stepText);
      if (samePlaybook(latest, dto.steps))
        throw new AppException('RESPONSE_PLAN_TEXT_UNCHANGED', `The playbook is the same as revision ${scenario.latestRevision}`, [
          { field: 'steps', messages: [`the playbook is the same as revision ${scenario.latestRevision}`] },
        ]);
      const revision = await writeDraftRevision(tx, scenario, dto.steps, { source: 'app' });
      return (await changeDraft(tx, { scenarioRevisions: { [scenario.id]: revision }, changeNote: dto.changeNote }, 'app')).version;
    });
    return this.get(actor, version.version);
  }

  /**
   * A proposal from a drill (its facilitator or the security office) to change one step of the
   * drill's scenario: at once a new draft revision of the scenario with the change, named in the
   * plan's draft, and the proposal recorded.
   */
  async propose(actor: Actor, drillId: string, dto: DrillProposalDto): Promise<ProposalRecord> {
    const drill = await this.drills.get(actor, drillId);
    assertMay(actor, RESPONSE_PLAN.propose_change, drill);
    // a proposal comes from what a drill showed: one that runs or was held
    if (drill.status !== 'running' && drill.status !== 'completed')
      throw new AppException('DRILL_NOT_RUNNING', `The drill is ${drill.status}`, undefined, { drillStatus: drill.status });
    if (dto.targetMinutes === undefined && dto.action === undefined) {
      throw new AppException('VALIDATION_FAILED', 'targetMinutes, action: propose a new target, a new wording, or both', [
        { field: 'targetMinutes', messages: ['propose a new target, a new wording, or both'] },
      ]);
    }
    const proposal = await this.uow.run(actor, async (tx) => {
      await lockPlan(tx);
      const scenario = await tx.manager.getRepository(Scenario).findOneBy({ organizationId: actor.organizationId, id: drill.scenarioId });
      if (!scenario) throw new AppException('SCENARIO_NOT_FOUND');
      // the change applies to the newest playbook, so that proposals add up in the draft
      const steps = (await stepsOf(tx, scenario, scenario.latestRevision)).map(stepText);
      const step = steps[dto.position - 1];
      if (!step)
        throw new AppException('DRILL_PROPOSAL_STEP_NOT_FOUND', `The playbook has ${steps.length} steps`, [
          { field: 'position', messages: [`the playbook has ${steps.length} steps`] },
        ]);
      const changed: StepText[] = steps.map((s, i) =>
        i === dto.position - 1 ? { ...s, targetMinutes: dto.targetMinutes ?? s.targetMinutes, action: dto.action ?? s.action } : s,
      );
      const problems = playbookOrderProblems(changed).filter((p) => p.index === dto.position - 1 || p.index === dto.position);
      if (problems.length) {
        throw new AppException('VALIDATION_FAILED', `targetMinutes: ${problems.map((p) => p.message).join('; ')}`, [
          { field: 'targetMinutes', messages: problems.map((p) => `step ${p.index + 1}: ${p.message}`) },
        ]);
      }
      const revision = await writeDraftRevision(tx, scenario, changed, { source: 'drill', drillId: drill.id, position: dto.position });
      const { version } = await changeDraft(
        tx,
        { scenarioRevisions: { [scenario.id]: revision }, changeNote: `訓練「${drill.title}」からの提案（手順${dto.position}）: ${dto.reason.trim()}` },
        'drill',
      );
      return tx.create(
        DrillProposal,
        {
          drillId: drill.id,
          scenarioId: scenario.id,
          position: dto.position,
          targetMinutes: dto.targetMinutes ?? null,
          action: dto.action ?? null,
          reason: dto.reason.trim(),
          proposedBy: actor.staffId!,
          planVersion: version.version,
          scenarioRevision: revision,
        },
        { action: 'drill_proposal.create', entityType: 'drill_proposal', context: { drillId: drill.id, planVersion: version.version } },
      );
    });
    const names = await this.names(this.uow.manager, actor.organizationId, [proposal.proposedBy]);
    return { proposal, proposedBy: refOf(names, proposal.proposedBy) };
  }

  /** The proposals made from a drill, for whoever reads the drill. */
  async proposals(actor: Actor, drillId: string): Promise<{ items: ProposalRecord[]; total: number }> {
    const drill = await this.drills.get(actor, drillId);
    const rows = await this.uow.manager
      .getRepository(DrillProposal)
      .find({ where: { organizationId: actor.organizationId, drillId: drill.id }, order: { createdAt: 'ASC' } });
    const names = await this.names(
      this.uow.manager,
      actor.organizationId,
      rows.map((r) => r.proposedBy),
    );
    const items = rows.map((proposal) => ({ proposal, proposedBy: refOf(names, proposal.proposedBy) }));
    return { items, total: items.length };
  }

  /**
   * The CISO approves the draft (second factor; not a draft they opened). In one transaction: the
   * approved version before it is superseded, each scenario's revision in force becomes the one the
   * draft names, the next review is due one interval from today, and `response_plan.approved` is
   * published.
   */
  async approve(actor: Actor, versionNumber: number): Promise<PlanApproval> {
    assertMay(actor, RESPONSE_PLAN.approve_plan);
    if (!actor.mfa) throw new AppException('PLAN_APPROVAL_REQUIRES_SECOND_FACTOR');
    const result = await this.uow.run(actor, async (tx) => {
      await lockPlan(tx);
      const repo = tx.manager.getRepository(ResponsePlanVersion);
      const org = actor.organizationId;
      const target = await repo.findOneBy({ organizationId: org, version: versionNumber });
      if (!target) throw new AppException('RESPONSE_PLAN_VERSION_NOT_FOUND');
      if (target.status !== 'draft')
        throw new AppException('RESPONSE_PLAN_VERSION_NOT_DRAFT', `Version ${target.version} is ${target.status}`, undefined, { versionStatus: target.status });
      if (target.draftedBy && target.draftedBy === actor.staffId) throw new AppException('RESPONSE_PLAN_OWN_DRAFT');
      // nor a draft they wrote into: its text, a playbook (both recorded as changes of the version) or a proposal from a drill
      const [contributed] = (await tx.manager.query(
        `SELECT 1 FROM audit_trail WHERE organization_id = $1 AND actor_id = $2 AND entity_type = 'response_plan_version' AND entity_id = $3
         UNION ALL SELECT 1 FROM drill_proposals WHERE organization_id = $1 AND proposed_by = $2 AND plan_version = $4 LIMIT 1`,
        [org, actor.staffId, target.id, target.version],
      )) as unknown[];
      if (actor.staffId && contributed) throw new AppException('RESPONSE_PLAN_OWN_DRAFT');

      const now = new Date();
      const today = tokyoToday(now);
      const superseded: number[] = [];
      for (const older of await repo.find({ where: { organizationId: org, status: 'approved' }, order: { version: 'ASC' } })) {
        await transition(tx, older, { status: 'superseded', supersededAt: now }, 'response_plan_version.supersede', { supersededBy: target.version });
        superseded.push(older.version);
      }
      const scenariosPutInForce = await this.putInForce(tx, target);
      const nextReviewDue = addMonths(today, reviewIntervalOf(target));
      const approved = await transition(
        tx,
        target,
        { status: 'approved', approvedBy: actor.staffId, approvedAt: now, nextReviewDue },
        'response_plan_version.approve',
        { nextReviewDue, scenarios: scenariosPutInForce.length },
      );
      await tx.publish({
        type: 'response_plan.approved',
        versionId: approved.id,
        version: approved.version,
        approvedBy: actor.staffId,
        nextReviewDue,
        scenarioRevisions: approved.scenarioRevisions,
        superseded,
      });
      return { approved, superseded, nextReviewDue, scenariosPutInForce };
    });
    const names = await this.names(this.uow.manager, actor.organizationId, [result.approved.draftedBy, result.approved.approvedBy]);
    return {
      version: summaryOf(result.approved, names),
      superseded: result.superseded,
      nextReviewDue: result.nextReviewDue,
      scenariosPutInForce: result.scenariosPutInForce,
    };
  }

  /**
   * Whether the plan is approved and reviewed within its interval, for the figures: as it stood at
   * the end of the fiscal year (or today, for the current one or none given). An organisation id
   * reads it for the system (a job, a seed).
   */
  async planStatus(who: Actor | string, fiscalYear?: number): Promise<PlanStatus> {
    const organizationId = typeof who === 'string' ? who : who.organizationId;
    if (typeof who !== 'string') assertMay(who, RESPONSE_PLAN.read);
    const today = tokyoToday();
    const yearEnd = fiscalYear === undefined ? today : `${fiscalYear + 1}-03-31`;
    const day = yearEnd < today ? yearEnd : today;
    const found = await this.uow.manager
      .getRepository(ResponsePlanVersion)
      .createQueryBuilder('v')
      .where('v.organizationId = :organizationId', { organizationId })
      .andWhere('v.approvedAt IS NOT NULL AND v.approvedAt <= :until', { until: endOfTokyoDay(day) })
      .orderBy('v.version', 'DESC')
      .getOne();
    return {
      approved: found !== null,
      version: found?.version ?? null,
      approvedAt: found?.approvedAt ?? null,
      nextReviewDue: found?.nextReviewDue ?? null,
      reviewedWithinInterval: !!found?.nextReviewDue && found.nextReviewDue >= day,
    };
  }

  /** Sets each scenario's revision in force to the one the version names; returns the scenarios changed. */
  private async putInForce(tx: Transaction, version: ResponsePlanVersion): Promise<string[]> {
    const ids = Object.keys(version.scenarioRevisions);
    if (!ids.length) return [];
    const scenarios = await tx.manager.getRepository(Scenario).find({ where: ids.map((id) => ({ organizationId: tx.actor.organizationId, id })) });
    const changed: string[] = [];
    for (const scenario of scenarios) {
      const revision = version.scenarioRevisions[scenario.id]!;
      if (scenario.revision === revision) continue;
      await tx.update(
        scenario,
        { revision },
        { action: 'scenario.put_in_force', entityType: 'scenario', context: { planVersion: version.version, from: scenario.revision } },
      );
      changed.push(scenario.id);
    }
    return changed;
  }

  private async scenarioChanges(
    manager: EntityManager,
    organizationId: string,
    before: Record<string, number> | null,
    after: Record<string, number>,
  ): Promise<ScenarioChange[]> {
    const ids = Object.keys(after).filter((id) => before?.[id] !== after[id]);
    if (!ids.length) return [];
    const scenarios = await manager.getRepository(Scenario).find({ where: ids.map((id) => ({ organizationId, id })), order: { key: 'ASC' } });
    const out: ScenarioChange[] = [];
    const tx = { manager };
    for (const scenario of scenarios) {
      const fromRevision = before?.[scenario.id] ?? null;
      const toRevision = after[scenario.id]!;
      const steps = fromRevision === null ? [] : changedSteps(await stepsOf(tx, scenario, fromRevision), await stepsOf(tx, scenario, toRevision));
      out.push({ scenarioId: scenario.id, key: scenario.key, title: scenario.title, fromRevision, toRevision, steps });
    }
    return out;
  }

  private async names(manager: EntityManager, organizationId: string, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    if (!wanted.length) return new Map();
    const rows = (await manager.query(`SELECT id, family_name || ' ' || given_name AS name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
      organizationId,
      wanted,
    ])) as { id: string; name: string }[];
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}

function refOf(names: Map<string, string>, id: string | null): PersonRef | null {
  return id ? { id, name: names.get(id) ?? '' } : null;
}

function summaryOf(v: ResponsePlanVersion, names: Map<string, string>): PlanVersionSummary {
  return {
    version: v.version,
    status: v.status,
    changeNote: v.changeNote,
    draftedBy: refOf(names, v.draftedBy),
    approvedBy: refOf(names, v.approvedBy),
    approvedAt: v.approvedAt,
    nextReviewDue: v.nextReviewDue,
    supersededAt: v.supersededAt,
    createdAt: v.createdAt,
  };
}

function transition(tx: Transaction, version: ResponsePlanVersion, change: Partial<ResponsePlanVersion>, action: string, context: Record<string, unknown>) {
  return tx.update(version, change, { action, entityType: 'response_plan_version', omit: ['body', 'frontMatter'], context });
}

/** Whether two playbooks say the same, step by step (absent and null alike). */
function samePlaybook(a: readonly StepText[], b: readonly StepText[]): boolean {
  const plain = (steps: readonly StepText[]) =>
    JSON.stringify(
      steps.map((s) => [
        s.phase,
        s.action,
        s.actionEn ?? null,
        s.role,
        s.targetMinutes,
        s.report ? [s.report.to, s.report.toEn ?? null, s.report.what, s.report.whatEn ?? null] : null,
      ]),
    );
  return plain(a) === plain(b);
}

/** 400 naming `steps.N.phase` / `steps.N.targetMinutes` (N from 0, as the other fields) for a playbook out of order. */
function refuseOrder(steps: readonly StepText[], options: { allPhases?: boolean }): void {
  const problems = playbookOrderProblems(steps, options);
  if (!problems.length) return;
  const errors: FieldError[] = problems.map((p) => ({ field: p.index < 0 ? 'steps' : `steps.${p.index}.${p.field}`, messages: [p.message] }));
  throw new AppException('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join('. '), errors);
}
