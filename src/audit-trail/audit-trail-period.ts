import { AppException } from '../common/errors/app.exception.js';

/** The offset of Asia/Tokyo (no daylight saving), where a day without a time zone is reckoned. */
const TOKYO_OFFSET = '+09:00';
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/;

/** A period of the trail: rows at or after `start`, and before `end` (exclusive); either may be open. */
export interface Period {
  start: Date | null;
  end: Date | null;
}

/** The moment a date or date-time names; a day or a time without a zone is read in Asia/Tokyo. */
function moment(value: string): Date {
  if (DATE_ONLY.test(value)) return new Date(`${value}T00:00:00${TOKYO_OFFSET}`);
  return new Date(HAS_ZONE.test(value) ? value : `${value}${TOKYO_OFFSET}`);
}

/**
 * The period of `?from=&to=` (already checked to be dates or ISO 8601 date-times): a date is a
 * whole day in Asia/Tokyo, included at both ends (`to=2026-04-30` runs to the end of that day); a
 * date-time is that moment, `from` included and `to` excluded. A period that ends before it starts
 * (or is empty) is refused, naming `to`.
 */
export function periodOf(from: string | undefined, to: string | undefined): Period {
  const start = from ? moment(from) : null;
  const end = to ? (DATE_ONLY.test(to) ? new Date(moment(to).getTime() + DAY_MS) : moment(to)) : null;
  if (start && end && start.getTime() >= end.getTime()) {
    throw new AppException('AUDIT_TRAIL_RANGE_REVERSED', `to (${to}) is before from (${from})`, [
      { field: 'to', messages: ['to must be the same day as from or later'] },
    ]);
  }
  return { start, end };
}
