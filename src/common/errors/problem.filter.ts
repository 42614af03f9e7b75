import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { BodyRefused } from '../input-guard.js';
import { AppException } from './app.exception.js';
import { problemDefinition, problemTypeUri, type ProblemCode } from './problem-registry.js';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: ProblemCode;
  errors?: AppException['errors'];
  [extra: string]: unknown;
}

const STATUS_CODES: Partial<Record<number, ProblemCode>> = {
  [HttpStatus.BAD_REQUEST]: 'BAD_REQUEST',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'TOO_MANY_REQUESTS',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'SERVICE_UNAVAILABLE',
};

/** AppExceptions made from a database refusal, with its SQLSTATE (logged, not shown): a validation rule is missing. */
const databaseRefusals = new WeakMap<AppException, string>();

/** PostgreSQL's data exceptions (class 22) that a missed validation rule lets through: the client's value, never a 500. */
/**
 * The data exceptions a client's value can cause (SQLSTATE class 22): bad text for a type (22P02),
 * a bad or overflowing date or time zone (22007, 22008, 22009), a number out of range (22003), a
 * string too long (22001), NUL or an invalid byte (22021). Others of the class (a division by zero
 * in a report, say) are Mamori's own fault: a 500 with its stack.
 */
const CLIENT_DATA_EXCEPTIONS = new Set(['22P02', '22007', '22008', '22009', '22003', '22001', '22021']);

/** Turns anything thrown into an AppException; nothing about the server leaks. */
export function toAppException(exception: unknown): AppException {
  if (exception instanceof AppException) return exception;
  // a body refused by the parser's verify hook (input-guard.ts), as thrown or as Nest's adapter wraps it
  if (exception instanceof BodyRefused) return exception.problem;
  if (exception instanceof HttpException && exception.cause instanceof BodyRefused) return exception.cause.problem;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(exception.message)) {
      return new AppException('ROUTE_NOT_FOUND', exception.message);
    }
    const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    return new AppException(code, status >= 500 ? undefined : exception.message);
  }
  if (exception instanceof QueryFailedError) {
    // the database's own checks, in case a rule was missed before it: a 4xx naming the field, never a 500
    const error = exception as QueryFailedError & { code?: string; driverError?: { column?: string } };
    const field = error.driverError?.column?.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    switch (error.code) {
      case '23505':
        return new AppException('CONFLICT', 'A record with the same unique value exists');
      case '23503':
        return new AppException('CONFLICT', 'The change refers to a record that does not exist or is still referred to');
      case '23502':
        return new AppException('VALIDATION_FAILED', `${field ?? 'a field'} must not be null`, [{ field: field ?? 'body', messages: ['must not be null'] }]);
    }
    if (error.code && CLIENT_DATA_EXCEPTIONS.has(error.code)) {
      // 22P02 invalid text, 22007/22008 bad or overflowing date, 22003 number out of range, 22001 too long,
      // 22021 NUL or invalid byte, 22009 time zone offset out of range, …
      const refused = new AppException('BAD_REQUEST', 'A value has the wrong format or is out of range');
      databaseRefusals.set(refused, error.code);
      return refused;
    }
  }
  return new AppException('INTERNAL');
}

export function problemDocument(exception: AppException, instance: string): ProblemDocument {
  const definition = problemDefinition(exception.code);
  return {
    type: problemTypeUri(exception.code),
    title: definition.title,
    status: definition.status,
    ...(exception.detail && exception.detail !== definition.title ? { detail: exception.detail } : {}),
    instance,
    code: exception.code,
    ...(exception.errors ? { errors: exception.errors } : {}),
    ...(exception.extra ?? {}),
  };
}

/**
 * The global filter: API and health routes answer problem+json (RFC 9457); web pages render the
 * error page in the reader's language.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toAppException(exception);
    // a server fault is logged with its stack; a client's mistake is not (at most one line, without a stack)
    if (error.status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    else if (databaseRefusals.has(error)) {
      this.logger.warn(
        `${request.method} ${request.path}: the database refused a value (SQLSTATE ${databaseRefusals.get(error)}); a validation rule is missing`,
      );
    }
    if (response.headersSent) return;
    const problem = problemDocument(error, request.originalUrl ?? request.url);
    const wantsPage = !/^\/(api|health)(\/|$)/.test(request.path) && request.accepts(['html', 'json']) === 'html';
    if (wantsPage && error.status === HttpStatus.UNAUTHORIZED) {
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    if (wantsPage) {
      response.status(error.status).render('error', { problem, title: `error.${error.code}` });
      return;
    }
    response.status(error.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
