import { Catch, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { ProblemFilter, toAppException } from '../../common/errors/problem.filter.js';
import { formatDateTime } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';
import type { FormMessage } from '../forms/form-error.js';
import { pathOf } from '../navigation.js';
import { LoginFlow } from './login-flow.service.js';
import { PendingLoginCookie } from './pending-login.cookie.js';
import { safeNext } from './safe-next.js';

/** Failures the sign-in pages answer with the form again (and a message), not the error page. */
const FORM_ERRORS: ReadonlySet<ProblemCode> = new Set([
  'INVALID_CREDENTIALS',
  'INVALID_SECOND_FACTOR',
  'ACCOUNT_LOCKED',
  'ACCOUNT_INACTIVE',
  'VALIDATION_FAILED',
  'TOO_MANY_REQUESTS',
]);
/** On the second step these keep the person on it; the others send them back to the first. */
const RETRY_SECOND_STEP: ReadonlySet<ProblemCode> = new Set(['INVALID_SECOND_FACTOR', 'VALIDATION_FAILED']);

const isFormError = (error: unknown): error is AppException => error instanceof AppException && FORM_ERRORS.has(error.code);

/** What the first step says, each message linked to the field to fix (none where there is nothing to fix in the form). */
export function loginMessages(failure: AppException, locale: Locale = 'ja'): FormMessage[] {
  switch (failure.code) {
    case 'TOO_MANY_REQUESTS': {
      // the limit of the address, or the wait after failed sign-ins: both say how long
      const seconds = failure.extra?.retryAfterSeconds;
      return [
        typeof seconds === 'number'
          ? { key: 'login.error.TOO_MANY_REQUESTS_WAIT', values: { seconds: String(seconds) } }
          : { key: 'login.error.TOO_MANY_REQUESTS' },
      ];
    }
    case 'ACCOUNT_LOCKED': {
      const until = failure.extra?.lockedUntil;
      return [
        typeof until === 'string'
          ? { key: 'login.error.ACCOUNT_LOCKED_UNTIL', values: { until: formatDateTime(until, locale) } }
          : { key: 'login.error.ACCOUNT_LOCKED' },
      ];
    }
    case 'VALIDATION_FAILED': {
      const fields = [...new Set((failure.errors ?? []).map((e) => e.field))].filter((f) => f === 'email' || f === 'password');
      if (!fields.length) return [{ key: 'login.error.VALIDATION_FAILED', fieldId: 'email', alsoIds: ['password'] }];
      return fields.map((field) => ({ key: `login.field.${field}`, fieldId: field }));
    }
    case 'INVALID_CREDENTIALS':
      return [{ key: 'login.error.INVALID_CREDENTIALS', fieldId: 'email', alsoIds: ['password'] }];
    default:
      return [{ key: `login.error.${failure.code}` }];
  }
}

/** What the second step says: the code to enter again. */
export function secondStepMessages(failure: AppException): FormMessage[] {
  return [{ key: failure.code === 'VALIDATION_FAILED' ? 'mfa.error.VALIDATION_FAILED' : `login.error.${failure.code}`, fieldId: 'totp' }];
}

/**
 * Re-renders the sign-in form with a translated error (status 400/401/423) and the e-mail address
 * kept; any other failure goes to the usual error page.
 */
@Catch(AppException)
@Injectable()
export class LoginFailureFilter implements ExceptionFilter {
  private readonly problems = new ProblemFilter();

  constructor(
    private readonly flow: LoginFlow,
    private readonly pending: PendingLoginCookie,
  ) {}

  catch(exception: AppException, host: ArgumentsHost): void {
    if (!isFormError(exception)) return this.problems.catch(exception, host);
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    this.answer(exception, req, res).catch((error: unknown) => this.problems.catch(toAppException(error), host));
  }

  private async answer(failure: AppException, req: Request, res: Response): Promise<void> {
    const pending = this.pending.read(req);
    const onSecondStep = pathOf(req) === '/login/mfa' && pending !== null;
    if (onSecondStep && RETRY_SECOND_STEP.has(failure.code)) {
      try {
        return await this.flow.showSecondStep(req, res, pending, failure.status, secondStepMessages(failure));
      } catch (error) {
        if (!isFormError(error)) throw error;
        failure = error;
      }
    }
    if (pending) this.pending.clear(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = pending?.email ?? (typeof body.email === 'string' ? body.email : '');
    const seconds = failure.extra?.retryAfterSeconds;
    if (typeof seconds === 'number' && !res.headersSent) res.setHeader('Retry-After', String(seconds));
    const locale = (res.locals as { locale?: Locale }).locale ?? 'ja';
    this.flow.showForm(res, failure.status, { email, next: pending?.next ?? safeNext(body.next), errors: loginMessages(failure, locale) });
  }
}
