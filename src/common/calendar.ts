/** Calendar dates (`YYYY-MM-DD`) as seen in Asia/Tokyo, where reviews and due dates are reckoned. */
export const BUSINESS_TIME_ZONE = 'Asia/Tokyo';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const tokyoFormat = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Work counts as due this many days before its date (reminders, the work queue), and overdue after it. */
export const DUE_SOON_DAYS = 30;

/** Today's date in Asia/Tokyo. */
export function tokyoToday(now: Date = new Date()): string {
  return tokyoFormat.format(now);
}

function parts(day: string): [number, number, number] {
  const match = DAY.exec(day);
  if (!match) throw new Error(`not a date: ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = parts(day);
  return format(new Date(Date.UTC(y, m - 1, d + days)));
}

/** Adds calendar months; the 31st plus one month is the last day of the shorter month. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = parts(day);
  const lastOfTarget = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfTarget))));
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = parts(value);
  return format(new Date(Date.UTC(y, m - 1, d))) === value;
}

/** The year, month and day of a real calendar date `YYYY-MM-DD`; null for anything else. */
export function calendarParts(value: unknown): [number, number, number] | null {
  return typeof value === 'string' && isCalendarDate(value) ? parts(value) : null;
}

/** The end of a calendar day in Asia/Tokyo (UTC+9, no daylight saving): something due that day is due by then. */
export function endOfTokyoDay(day: string): Date {
  return new Date(`${day}T23:59:59+09:00`);
}

/** An ISO 8601 date or date-time as an instant: one that names no offset is read in Asia/Tokyo (a date alone is its midnight there). */
export function tokyoInstant(value: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00+09:00`);
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}+09:00`);
}
