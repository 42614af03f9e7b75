import { CORRECTIVE_ACTION_STATUSES, type CorrectiveActionStatus } from './corrective-action.entity.js';
import { ACTION_TRANSITIONS, FINDING_TRANSITIONS, findingStatusOf, mayMoveAction, mayMoveFinding } from './finding-transitions.js';

/** Every list of up to `n` action statuses. */
function combinations(n: number): CorrectiveActionStatus[][] {
  let lists: CorrectiveActionStatus[][] = [[]];
  const all: CorrectiveActionStatus[][] = [[]];
  for (let size = 1; size <= n; size++) {
    lists = lists.flatMap((list) => CORRECTIVE_ACTION_STATUSES.map((status) => [...list, status]));
    all.push(...lists);
  }
  return all;
}

describe('finding status follows its corrective actions', () => {
  it('reads the status from the actions', () => {
    expect(findingStatusOf([])).toBe('open');
    expect(findingStatusOf(['planned', 'planned'])).toBe('action_planned');
    expect(findingStatusOf(['done', 'planned'])).toBe('in_progress');
    expect(findingStatusOf(['done', 'verified'])).toBe('done');
    expect(findingStatusOf(['verified', 'verified'])).toBe('verified');
    expect(findingStatusOf(['verified', 'reopened'])).toBe('reopened');
  });

  it('every step an action can take (or a new action planned) moves its finding along the table', () => {
    const refused: string[] = [];
    for (const actions of combinations(3)) {
      const from = findingStatusOf(actions);
      const next: CorrectiveActionStatus[][] = [[...actions, 'planned']];
      actions.forEach((status, i) => {
        for (const to of ACTION_TRANSITIONS[status]) next.push(actions.map((s, j) => (j === i ? to : s)));
      });
      for (const after of next) {
        const to = findingStatusOf(after);
        if (!mayMoveFinding(from, to)) refused.push(`[${actions.join(',')}] ${from} → [${after.join(',')}] ${to}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('lists no move the actions cannot make', () => {
    const made = new Set<string>();
    for (const actions of combinations(3)) {
      const from = findingStatusOf(actions);
      const next: CorrectiveActionStatus[][] = [[...actions, 'planned']];
      actions.forEach((status, i) => {
        for (const to of ACTION_TRANSITIONS[status]) next.push(actions.map((s, j) => (j === i ? to : s)));
      });
      for (const after of next) made.add(`${from}→${findingStatusOf(after)}`);
    }
    const listed = Object.entries(FINDING_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}→${to}`));
    expect(listed.filter((move) => !made.has(move))).toEqual([]);
  });

  it('an action is done, then verified or reopened; a reopened one is done again', () => {
    expect(mayMoveAction('planned', 'done')).toBe(true);
    expect(mayMoveAction('planned', 'verified')).toBe(false);
    expect(mayMoveAction('done', 'reopened')).toBe(true);
    expect(mayMoveAction('reopened', 'done')).toBe(true);
    expect(mayMoveAction('verified', 'done')).toBe(false);
  });
});
