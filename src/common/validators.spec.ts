import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsCalendarDate, IsCalendarDateTime, isCalendarDate, isCalendarDateTime } from './validators.js';

describe('dates a client may send', () => {
  it('takes a real day of the years 0001–9999 as YYYY-MM-DD', () => {
    for (const ok of ['2026-04-01', '0001-01-01', '9999-12-31', '2024-02-29', '2000-02-29']) expect([ok, isCalendarDate(ok)]).toEqual([ok, true]);
    for (const bad of [
      '-2026-01-01',
      '+2026-01-01',
      '0000-01-01',
      '+275760-09-13',
      '10000-01-01',
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-4-1',
      '20260401',
      '2026-04-01T00:00:00Z',
      '',
      20260401,
      null,
    ]) {
      expect([bad, isCalendarDate(bad)]).toEqual([bad, false]);
    }
  });

  it('takes a date or an ISO 8601 date-time with a four-digit year and a real time and offset', () => {
    for (const ok of [
      '2026-04-01',
      '2026-04-01T00:00',
      '2026-04-01T23:59:59',
      '2026-04-01T00:00:00.123456Z',
      '2026-04-01T00:00:00+09:00',
      '2026-04-01T00:00:00-0330',
      '0001-01-01T00:00:00Z',
    ]) {
      expect([ok, isCalendarDateTime(ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      '-2026-01-01',
      '-2026-01-01T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-04-01T24:00:00Z',
      '2026-04-01T12:60',
      '2026-04-01T00:00:60Z',
      '2026-04-01T00:00:00+15:00',
      '2026-04-01T00:00:00+09:60',
      '2026-04-01 00:00:00',
      '2026-04-01T00:00:00.1234567Z',
      'now',
    ]) {
      expect([bad, isCalendarDateTime(bad)]).toEqual([bad, false]);
    }
  });

  it('names the field when used as a decorator', () => {
    class Query {
      @IsCalendarDate()
      day!: unknown;

      @IsCalendarDateTime()
      from!: unknown;
    }
    const errors = validateSync(plainToInstance(Query, { day: '0000-01-01', from: '-2026-01-01' }));
    expect(errors.map((e) => [e.property, Object.values(e.constraints ?? {})])).toEqual([
      ['day', ['day must be a date YYYY-MM-DD (years 0001–9999)']],
      ['from', ['from must be an ISO 8601 date or date-time with a four-digit year (0001–9999)']],
    ]);
    expect(validateSync(plainToInstance(Query, { day: '2026-04-01', from: '2026-04-01T00:00:00+09:00' }))).toEqual([]);
  });
});
