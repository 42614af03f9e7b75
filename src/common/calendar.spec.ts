import { addDays, addMonths, isCalendarDate, tokyoToday } from './calendar.js';

describe('calendar (Asia/Tokyo dates)', () => {
  it('takes the date in Tokyo, not UTC', () => {
    expect(tokyoToday(new Date('2026-03-31T15:30:00Z'))).toBe('2026-04-01');
    expect(tokyoToday(new Date('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-04-01', 12)).toBe('2027-04-01');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
  });
});

describe('tokyoInstant', () => {
  it('reads a date-time without an offset in Asia/Tokyo, keeps one with an offset, and a date alone is its Tokyo midnight', async () => {
    const { tokyoInstant } = await import('./calendar.js');
    expect(tokyoInstant('2026-12-10T10:00').toISOString()).toBe('2026-12-10T01:00:00.000Z');
    expect(tokyoInstant('2026-12-10T10:00:00Z').toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(tokyoInstant('2026-12-10T10:00:00+01:00').toISOString()).toBe('2026-12-10T09:00:00.000Z');
    expect(tokyoInstant('2026-04-01').toISOString()).toBe('2026-03-31T15:00:00.000Z');
  });
});
