import { BUSINESS_TIME_ZONE, calendarParts, tokyoToday } from './calendar.js';
import type { Locale } from './locale.js';

/**
 * How Mamori writes dates, everywhere (pages, mail, exports): times are stored in UTC and shown in
 * Asia/Tokyo (DESIGN.md §4).
 * - a calendar date (`YYYY-MM-DD`: due dates, reviews): `2026年11月30日` / `30 November 2026`
 * - a moment: `2026/11/30 14:05` / `30 Nov 2026 14:05`
 * - a fiscal year (April–March, named by the year it starts): `令和8年度（2026年度）` / `FY2026 (April 2026 – March 2027)`
 */

/** A calendar date's year, month and day; null for anything that is not `YYYY-MM-DD` (or a Date: its day in Tokyo). */
function ymd(value: string | Date | null | undefined): [number, number, number] | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : calendarParts(tokyoToday(value));
  return calendarParts(value);
}
const ENGLISH_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** `2026-11-30` → `2026年11月30日` (ja) or `30 November 2026` (en); a Date is taken as its day in Tokyo; anything else → ''. */
export function formatDate(value: string | Date | null | undefined, locale: Locale): string {
  const parts = ymd(value);
  if (!parts) return '';
  const [y, m, d] = parts;
  return locale === 'ja' ? `${y}年${m}月${d}日` : ENGLISH_DATE.format(new Date(Date.UTC(y, m - 1, d)));
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A moment in Asia/Tokyo: `2026/11/30 14:05` (ja) or `30 Nov 2026 14:05` (en); '' when there is none. */
export function formatDateTime(value: Date | string | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const part = Object.fromEntries(DATE_TIME.formatToParts(date).map((p) => [p.type, p.value])) as Record<string, string>;
  const [y, m, d, hh, mm] = [part.year, part.month, part.day, part.hour, part.minute];
  if (locale === 'ja') return `${y}/${m}/${d} ${hh}:${mm}`;
  return `${Number(d)} ${MONTHS_SHORT[Number(m) - 1]} ${y} ${hh}:${mm}`;
}

/** The fiscal year (April–March, named by the year it starts) of a day or moment in Tokyo: 2027-03-31 → 2026. */
export function fiscalYearOf(value: string | Date): number {
  const parts = ymd(value);
  if (!parts) throw new Error(`not a date: ${String(value)}`);
  return parts[1] >= 4 ? parts[0] : parts[0] - 1;
}

const JAPANESE_ERA = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { timeZone: BUSINESS_TIME_ZONE, era: 'long', year: 'numeric' });

/**
 * The Japanese era year a fiscal year is named by: the era of the calendar year it starts in, so
 * FY2019 (April 2019, still Heisei until 30 April) is 令和元年度 as the government named it.
 */
export function eraYear(fiscalYear: number): string {
  // the last day of the starting calendar year carries the era that names the fiscal year
  const parts = JAPANESE_ERA.formatToParts(new Date(Date.UTC(fiscalYear, 11, 31, 3)));
  const era = parts.find((p) => p.type === 'era')?.value ?? '';
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  return `${era}${year === '1' ? '元' : year}年`;
}

/** `令和8年度（2026年度）` (ja) or `FY2026 (April 2026 – March 2027)` (en). */
export function formatFiscalYear(fiscalYear: number, locale: Locale): string {
  if (!Number.isInteger(fiscalYear)) return '';
  return locale === 'ja' ? `${eraYear(fiscalYear)}度（${fiscalYear}年度）` : `FY${fiscalYear} (April ${fiscalYear} – March ${fiscalYear + 1})`;
}

/** Excel's number format for a calendar date cell in the reader's language (the cell keeps a real date, so it sorts). */
export const EXCEL_DATE_FORMAT: Record<Locale, string> = { ja: 'yyyy"年"m"月"d"日"', en: 'd mmmm yyyy' };

/** A calendar date `YYYY-MM-DD` as the Date an XLSX cell holds (midnight UTC: Excel dates have no zone); null when it is not one. */
export function excelDate(value: string | null | undefined): Date | null {
  const parts = ymd(value);
  return parts ? new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])) : null;
}
