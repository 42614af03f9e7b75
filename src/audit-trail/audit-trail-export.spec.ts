import { AppException } from '../common/errors/app.exception.js';
import { csvDateTime, csvField, csvLine } from './audit-trail-csv.js';
import { periodOf } from './audit-trail-period.js';

describe('CSV fields', () => {
  it('quote what needs quoting (RFC 4180) and end lines with CRLF', () => {
    expect(csvLine(['1', '会計課', null, 42])).toBe('1,会計課,,42\r\n');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('keep text a spreadsheet would run as a formula as text', () => {
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+81')).toBe("'+81");
    expect(csvField('-x')).toBe("'-x");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-5)).toBe('-5'); // a number is a number
  });

  it('write moments in Japan time to the second', () => {
    expect(csvDateTime(new Date('2026-03-31T15:00:00.000Z'))).toBe('2026/04/01 00:00:00');
    expect(csvDateTime(new Date('2026-11-30T05:07:09.999Z'))).toBe('2026/11/30 14:07:09');
  });
});

describe('the period of ?from=&to=', () => {
  it('takes dates as whole days in Japan time, both included', () => {
    expect(periodOf('2026-04-01', '2026-04-30')).toEqual({ start: new Date('2026-03-31T15:00:00Z'), end: new Date('2026-04-30T15:00:00Z') });
    expect(periodOf('2026-04-01', '2026-04-01')).toEqual({ start: new Date('2026-03-31T15:00:00Z'), end: new Date('2026-04-01T15:00:00Z') });
    expect(periodOf(undefined, '9999-12-31').end).toEqual(new Date('9999-12-31T15:00:00Z'));
    expect(periodOf(undefined, undefined)).toEqual({ start: null, end: null });
  });

  it('takes date-times as moments (without a zone, in Japan time), to excluded', () => {
    expect(periodOf('2026-04-01T09:00', '2026-04-01T10:00:00Z')).toEqual({ start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-04-01T10:00:00Z') });
  });

  it('refuses a period that ends before it starts, naming to', () => {
    const refusal = (() => {
      try {
        periodOf('2026-05-01', '2026-04-30');
      } catch (error) {
        return error as AppException;
      }
    })();
    expect(refusal).toBeInstanceOf(AppException);
    expect(refusal).toMatchObject({ code: 'AUDIT_TRAIL_RANGE_REVERSED', errors: [{ field: 'to' }] });
    expect(() => periodOf('2026-04-01T10:00:00Z', '2026-04-01T10:00:00Z')).toThrow(AppException);
  });
});
