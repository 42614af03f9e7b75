import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Dates a client may send: a real calendar day with a four-digit year (0001–9999). ISO 8601 also
 * allows signed, expanded years (`-2026-01-01`, `+275760-01-01`) and year 0, which PostgreSQL and
 * `Date` read differently or refuse; Mamori takes none of them.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

function realDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // month's length in a leap year
  if (day > last) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return !(month === 2 && day === 29 && !leap);
}

/** `YYYY-MM-DD`, a real day of the years 0001–9999. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_ONLY.exec(value);
  return !!m && realDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * A calendar date or an ISO 8601 date-time of the years 0001–9999: `2026-04-01`,
 * `2026-04-01T00:00`, `2026-04-01T00:00:00.123+09:00`, `…Z`; the time, if any, a real one.
 */
export function isCalendarDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m || !realDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
  if (m[8] !== undefined && (Number(m[8]) > 14 || Number(m[9]) > 59)) return false;
  return true;
}

function dateDecorator(name: string, test: (value: unknown) => boolean, shape: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args: ValidationArguments) => `${args.property} must be ${shape}`, ...options },
      validator: { validate: (value: unknown) => test(value) },
    });
}

/** A `YYYY-MM-DD` string naming a real day of the years 0001–9999. */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  dateDecorator('isCalendarDate', isCalendarDate, 'a date YYYY-MM-DD (years 0001–9999)', options);

/** A date or an ISO 8601 date-time of the years 0001–9999 (`2026-04-01`, `2026-04-01T00:00:00+09:00`). */
export const IsCalendarDateTime = (options?: ValidationOptions): PropertyDecorator =>
  dateDecorator('isCalendarDateTime', isCalendarDateTime, 'an ISO 8601 date or date-time with a four-digit year (0001–9999)', options);

/** For `@Transform`: a list in a query string, `?x=a,b` or `?x=a&x=b` → ['a', 'b'] (empty → undefined). */
export const queryList = ({ value }: { value: unknown }): unknown =>
  value === undefined || value === '' ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);
