import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppException, type FieldError } from './app.exception.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return own.concat(flatten(error.children ?? [], field));
  });
}

/** Strict input everywhere: unknown fields are refused, every bad field is named. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new AppException('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.messages.join('; ')}`).join('. '), fields);
    },
  });
}
