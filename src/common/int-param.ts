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
