import { formatDate } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';

const TOKYO_OFFSET_MS = 9 * 3600_000;
const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The calendar date of a moment in Asia/Tokyo: `2022-11-10`. */
export function tokyoDateOf(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** The wall-clock time of a moment in Asia/Tokyo: `14:25`. */
export function tokyoTimeOf(at: Date | null | undefined): string {
  return at ? new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(11, 16) : '';
}

/** A date with its day of the week: 「2022年11月10日（木）」, "Thu 10 November 2022". */
export function dateWithWeekday(day: string, locale: Locale): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return locale === 'ja' ? `${formatDate(day, locale)}（${WEEKDAYS_JA[weekday]}）` : `${WEEKDAYS_EN[weekday]} ${formatDate(day, locale)}`;
}

/**
 * A time typed from the paper sheet, as `HH:MM` (24 hours): 「14:25」「9:05」, without the colon
 * (「1425」, as a phone's number pad types it), full-width digits and colon too (「１４：２５」); ''
 * when blank, null when it is not a time.
 */
export function parseClock(value: unknown): string | null {
  if (typeof value !== 'string') return '';
  const text = value
    .trim()
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/：/g, ':');
  if (text === '') return '';
  const match = /^([01]?\d|2[0-3]):?([0-5]\d)(?::00)?$/.exec(text);
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : null;
}
