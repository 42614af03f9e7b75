import type { Locale } from '../common/locale.js';
import { catalogue, message } from '../common/messages.js';
import type { IndicatorStatus } from './indicator-status.js';

/**
 * Words the pages and the files put on a figure (presentation only; the API keeps its codes): the
 * counter word of a count (人 for LINE subscribers, 回 for drills, 件 by default, from
 * `indicators.counter.<code>`), and 目標なし for a figure with a value and no target for the year
 * (the API's status is `no_data` then).
 */
export function counterWord(code: string, has: (key: string) => boolean, translate: (key: string) => string): string {
  const key = `indicators.counter.${code}`;
  return translate(has(key) ? key : 'indicators.counter.default');
}

/** The counter word of an indicator's count in a language. */
export const counterOf = (code: string, locale: Locale): string =>
  counterWord(
    code,
    (key) => key in catalogue(locale),
    (key) => message(locale, key),
  );

/** A figure with a value and no target: its status word is 目標なし rather than データなし. */
export const noTarget = (status: IndicatorStatus, value: number | null, target: number | null): boolean =>
  status === 'no_data' && target === null && value !== null;
