import type { PipeTransform } from '@nestjs/common';
import { AppException } from './errors/app.exception.js';

/** A path parameter that must be a whole number from 1 to `max` (a position, a version): 400 VALIDATION_FAILED naming it, like a bad body field. */
export function intParam(name: string, max: number): PipeTransform<string, number> {
  return {
    transform(value: string): number {
      const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
      if (!(n >= 1 && n <= max)) {
        const message = `${name} must be a whole number from 1 to ${max}`;
        throw new AppException('VALIDATION_FAILED', message, [{ field: name, messages: [message] }]);
      }
      return n;
    },
  };
}

/** A fiscal year in the path (`/fiscal-years/2022/close`): a whole number from 2000 to 2100, else 400 naming it. */
export function fiscalYearParam(name: string): PipeTransform<string, number> {
  return {
    transform(value: string): number {
      const n = /^\d{4}$/.test(value) ? Number(value) : NaN;
      if (!(n >= 2000 && n <= 2100)) {
        const message = `${name} must be a fiscal year from 2000 to 2100 (e.g. 2022 for April 2022 – March 2023)`;
        throw new AppException('VALIDATION_FAILED', message, [{ field: name, messages: [message] }]);
      }
      return n;
    },
  };
}
