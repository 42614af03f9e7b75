import { BadRequestException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppException } from './app.exception.js';
import { toAppException } from './problem.filter.js';
import { BodyRefused } from '../input-guard.js';

const databaseError = (code: string): QueryFailedError => Object.assign(new QueryFailedError('SELECT 1', [], new Error(`pg error ${code}`)), { code });

describe('toAppException', () => {
  it("answers a client's value the database refused (the data exceptions of class 22 a value can cause) as 400, not 500", () => {
    // 22021 NUL / bad byte, 22008 date out of range, 22009 time zone offset, 22P02 bad text, 22001 too long, 22003 number out of range
    for (const code of ['22021', '22008', '22009', '22P02', '22001', '22003', '22007']) {
      expect([code, toAppException(databaseError(code)).status]).toEqual([code, 400]);
    }
    // the rest of the class comes from Mamori's own values (a division by zero in a report): its fault, a 500
    for (const code of ['22012', '2200N', '22023']) expect([code, toAppException(databaseError(code)).status]).toEqual([code, 500]);
    expect(toAppException(databaseError('23505')).code).toBe('CONFLICT');
    expect(toAppException(databaseError('42P01')).code).toBe('INTERNAL'); // undefined table: Mamori's fault
  });

  it("answers a body refused by the parser's verify hook with its own problem, also as Nest's adapter wraps it", () => {
    const problem = new AppException('VALIDATION_FAILED', 'too deep', [{ field: 'body', messages: ['too deep'] }]);
    expect(toAppException(new BodyRefused(problem))).toBe(problem);
    expect(toAppException(new BadRequestException('too deep', { cause: new BodyRefused(problem) }))).toBe(problem);
  });
});
