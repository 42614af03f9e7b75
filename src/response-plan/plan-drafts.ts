import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json.js';
import type { Transaction } from '../database/unit-of-work.js';
import { ResponsePlanVersion } from './response-plan-version.entity.js';
import { PlaybookStep, type Scenario } from './scenario.entity.js';

/**
 * What the file sync and the edits in the app share: the plan's lock, writing a scenario revision's
 * steps, and opening or changing THE draft version of the plan (one per organisation).
 */

/** One plan writer at a time per organisation (the sync, the edits, a proposal, the approval). */
export async function lockPlan(tx: Transaction): Promise<void> {
  await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`response-plan:${tx.actor.organizationId}`]);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash of plan.md as loaded (front matter and body), to tell whether the file changed since. */
export function planSourceHash(frontMatter: Record<string, unknown>, body: string): string {
  return sha256(canonicalJson({ frontMatter, body }));
}

/** A playbook step as written (in a file or in the app). */
export interface StepText {
  phase: string;
  action: string;
  actionEn?: string | null;
  role: string;
  targetMinutes: number;
  report?: { to: string; toEn?: string | null; what: string; whatEn?: string | null } | null;
}

/** Stores the steps of one revision of a scenario. */
export async function insertSteps(tx: Transaction, scenarioId: string, revision: number, steps: readonly StepText[]): Promise<void> {
  await tx.manager.getRepository(PlaybookStep).insert(
    steps.map((step, i) => ({
      organizationId: tx.actor.organizationId,
      scenarioId,
      revision,
      position: i + 1,
      phase: step.phase,
      action: step.action,
      actionEn: step.actionEn ?? null,
      role: step.role,
      targetMinutes: step.targetMinutes,
      report: step.report ? { to: step.report.to, toEn: step.report.toEn ?? null, what: step.report.what, whatEn: step.report.whatEn ?? null } : null,
    })),
  );
}

/** The steps of a scenario's revision, in order, as texts. */
export async function stepsOf(tx: Pick<Transaction, 'manager'>, scenario: Pick<Scenario, 'id' | 'organizationId'>, revision: number): Promise<PlaybookStep[]> {
  return tx.manager.getRepository(PlaybookStep).find({
    where: { organizationId: scenario.organizationId, scenarioId: scenario.id, revision },
    order: { position: 'ASC' },
  });
}

/** A stored step as the text of a new revision. */
export function stepText(step: PlaybookStep): StepText {
  return { phase: step.phase, action: step.action, actionEn: step.actionEn, role: step.role, targetMinutes: step.targetMinutes, report: step.report };
}

/** A new draft revision of a scenario (the newest, not in force until the plan's approval); returns its number. */
export async function writeDraftRevision(tx: Transaction, scenario: Scenario, steps: readonly StepText[], context: Record<string, unknown>): Promise<number> {
  const revision = scenario.latestRevision + 1;
  await tx.update(scenario, { latestRevision: revision }, { action: 'scenario.draft', entityType: 'scenario', context: { revision, ...context } });
  await insertSteps(tx, scenario.id, revision, steps);
  return revision;
}

/** A change of the plan's draft: its text, the scenario revisions it puts in force, why. */
export interface DraftChange {
  body?: string;
  frontMatter?: Record<string, unknown>;
  sourceHash?: string | null;
  /** scenario id → revision; merged into the draft's unless `snapshot` */
  scenarioRevisions?: Record<string, number>;
  /** scenarioRevisions is the whole set (the sync: retired scenarios leave it) */
  snapshot?: boolean;
  changeNote?: string;
}

/** The plan's draft, and the latest version (the draft itself when there is one). */
export async function draftAndLatest(
  tx: Pick<Transaction, 'manager' | 'actor'>,
): Promise<{ draft: ResponsePlanVersion | null; latest: ResponsePlanVersion | null }> {
  const repo = tx.manager.getRepository(ResponsePlanVersion);
  const latest = await repo.findOne({ where: { organizationId: tx.actor.organizationId }, order: { version: 'DESC' } });
  const draft = await repo.findOne({ where: { organizationId: tx.actor.organizationId, status: 'draft' } });
  return { draft, latest };
}

/**
 * Opens the draft version of the plan (the next number, starting from the latest version's text
 * and scenario revisions) or changes the one open. Whoever writes first in the app into a draft the
 * sync opened becomes its author (who may then not approve it). Call under `lockPlan`.
 */
export async function changeDraft(
  tx: Transaction,
  change: DraftChange,
  source: 'files' | 'app' | 'drill',
): Promise<{ version: ResponsePlanVersion; opened: boolean }> {
  const { draft, latest } = await draftAndLatest(tx);
  const base = draft ?? latest;
  const body = change.body ?? base?.body ?? '';
  const scenarioRevisions = change.snapshot
    ? { ...(change.scenarioRevisions ?? {}) }
    : { ...(base?.scenarioRevisions ?? {}), ...(change.scenarioRevisions ?? {}) };
  const note = change.changeNote?.trim();
  const fields = {
    body,
    bodyHash: sha256(body),
    frontMatter: change.frontMatter ?? base?.frontMatter ?? {},
    sourceHash: change.sourceHash !== undefined ? change.sourceHash : (base?.sourceHash ?? null),
    scenarioRevisions,
  };
  if (draft) {
    const notes = [draft.changeNote, note].filter((n): n is string => !!n);
    const changeNote = note && draft.changeNote?.split('\n').includes(note) ? draft.changeNote : notes.length ? notes.join('\n') : null;
    const version = await tx.update(
      draft,
      { ...fields, changeNote, ...(draft.draftedBy === null && tx.actor.staffId ? { draftedBy: tx.actor.staffId } : {}) },
      { action: 'response_plan_version.update', entityType: 'response_plan_version', omit: ['body', 'frontMatter'], context: { source } },
    );
    return { version, opened: false };
  }
  const version = await tx.create(
    ResponsePlanVersion,
    {
      version: (latest?.version ?? 0) + 1,
      status: 'draft',
      ...fields,
      changeNote: note || null,
      draftedBy: tx.actor.staffId,
      approvedBy: null,
      approvedAt: null,
      supersededAt: null,
      nextReviewDue: null,
    },
    {
      action: 'response_plan_version.create',
      entityType: 'response_plan_version',
      omit: ['body', 'frontMatter'],
      context: { source, against: latest?.version ?? null },
    },
  );
  return { version, opened: true };
}

/** Whether two maps of scenario revisions say the same. */
export function sameRevisions(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
