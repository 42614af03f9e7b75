import { ParseUUIDPipe } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception.js';

/** A path parameter that must be a UUID: 400 VALIDATION_FAILED naming it, like a bad body field. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => new AppException('VALIDATION_FAILED', `${name} must be a UUID`, [{ field: name, messages: [`${name} must be a UUID`] }]),
  });
}
