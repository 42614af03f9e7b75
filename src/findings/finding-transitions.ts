import type { CorrectiveActionStatus } from './corrective-action.entity.js';
import type { FindingStatus } from './finding.entity.js';

/**
 * A corrective action's steps: the assignee (or the owner department's manager) reports it done;
 * the security office or an auditor verifies it, or reopens it (a verified one too, when a later
 * check finds it did not work); a reopened one is done again.
 */
export const ACTION_TRANSITIONS: Readonly<Record<CorrectiveActionStatus, readonly CorrectiveActionStatus[]>> = {
  planned: ['done'],
  done: ['verified', 'reopened'],
  verified: ['reopened'],
  reopened: ['done'],
};

export function mayMoveAction(from: CorrectiveActionStatus, to: CorrectiveActionStatus): boolean {
  return ACTION_TRANSITIONS[from].includes(to);
}

/**
 * A finding's status follows its actions; these are the moves that can happen (anything else is a
 * bug, refused with 409 FINDING_TRANSITION_NOT_ALLOWED rather than written):
 * - `open` → `action_planned`: its first action is planned;
 * - `action_planned` → `in_progress` (one of several done) or `done` (all done);
 * - `in_progress` → `done`, or `reopened` (a done one reopened);
 * - `done` → `verified` (all verified), `in_progress` (another action planned), `reopened`;
 * - `verified` → `in_progress` (another action planned), `reopened`;
 * - `reopened` → `in_progress` or `done` (the reopened action done again).
 */
export const FINDING_TRANSITIONS: Readonly<Record<FindingStatus, readonly FindingStatus[]>> = {
  open: ['action_planned'],
  action_planned: ['in_progress', 'done'],
  in_progress: ['done', 'reopened'],
  done: ['verified', 'in_progress', 'reopened'],
  verified: ['in_progress', 'reopened'],
  reopened: ['in_progress', 'done'],
};

/**
 * The status a finding's actions give it: none → open; any reopened → reopened; all verified →
 * verified; all done or verified → done; some → in progress; else (all planned) → action planned.
 */
export function findingStatusOf(actions: readonly CorrectiveActionStatus[]): FindingStatus {
  if (actions.length === 0) return 'open';
  if (actions.includes('reopened')) return 'reopened';
  if (actions.every((status) => status === 'verified')) return 'verified';
  const finished = actions.filter((status) => status === 'done' || status === 'verified').length;
  if (finished === actions.length) return 'done';
  return finished > 0 ? 'in_progress' : 'action_planned';
}

export function mayMoveFinding(from: FindingStatus, to: FindingStatus): boolean {
  return from === to || FINDING_TRANSITIONS[from].includes(to);
}
