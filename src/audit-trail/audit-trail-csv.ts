import { BUSINESS_TIME_ZONE } from '../common/calendar.js';

/** A CSV that Excel opens as UTF-8: it starts with a byte-order mark (DESIGN.md §4). */
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** What a spreadsheet would read as a formula (OWASP "CSV injection"): `=`, `+`, `-`, `@`, a tab or a carriage return first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field (RFC 4180): quoted when it holds a comma, a quote or a line break; text a spreadsheet
 * would run as a formula (a department named `=HYPERLINK(…)`, a forged address) is kept as text
 * with an apostrophe before it.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line, ended with CRLF as RFC 4180 (and Excel) expect. */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A moment in Asia/Tokyo to the second, as Excel reads a date and time in either language: `2026/11/30 14:05:09`. */
export function csvDateTime(value: Date): string {
  const part = Object.fromEntries(DATE_TIME.formatToParts(value).map((p) => [p.type, p.value])) as Record<string, string>;
  return `${part.year}/${part.month}/${part.day} ${part.hour}:${part.minute}:${part.second}`;
}
