import type { IndicatorDirection, IndicatorUnit } from './indicator.entity.js';

export const INDICATOR_STATUSES = ['met', 'not_met', 'on_track', 'at_risk', 'no_data'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

export interface StatusFacts {
  unit: IndicatorUnit;
  direction: IndicatorDirection;
  target: number | null;
  value: number | null;
  /** where the year ends if what is pending happens on time (the pace); the value when omitted */
  projected?: number | null;
  /** the year is over at the day asked */
  yearOver: boolean;
}

/** Whether a value reaches a target in the indicator's direction. */
export function meets(direction: IndicatorDirection, value: number, target: number): boolean {
  return direction === 'higher' ? value >= target : value <= target;
}

/**
 * An indicator's status in a year (DESIGN.md §6):
 * - `no_data`: nothing to count, or no target set for the year;
 * - once the year is over: `met` or `not_met` against the target;
 * - during the year: a count that can only grow is `met` once it reaches a "higher" target (one drill
 *   held) and `not_met` once it passes a "lower" one (one incident against 0); otherwise `on_track`
 *   when the pace (what is pending, done on time) reaches the target, `at_risk` when it does not.
 */
export function indicatorStatus(facts: StatusFacts): IndicatorStatus {
  const { unit, direction, target, value, yearOver } = facts;
  if (value === null || target === null) return 'no_data';
  const reached = meets(direction, value, target);
  if (yearOver) return reached ? 'met' : 'not_met';
  if (unit === 'count' && direction === 'higher' && reached) return 'met';
  if (unit === 'count' && direction === 'lower' && !reached) return 'not_met';
  const pace = facts.projected ?? value;
  return meets(direction, pace, target) ? 'on_track' : 'at_risk';
}
