import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppException } from '../../common/errors/app.exception.js';
import { ProblemFilter } from '../../common/errors/problem.filter.js';
import { formErrors, type FormMessage } from '../forms/form-error.js';
import { pathOf } from '../navigation.js';

/**
 * Too many requests from the address (the rate limit of the password pages): the form again, with
 * status 429, Retry-After and, at the top, how long to wait; anything else goes to the usual error
 * page.
 */
@Catch(AppException)
export class PasswordRefusalFilter implements ExceptionFilter {
  private readonly problems = new ProblemFilter();

  catch(exception: AppException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception.code !== 'TOO_MANY_REQUESTS' || res.headersSent) return this.problems.catch(exception, host);
    const seconds = exception.extra?.retryAfterSeconds;
    if (typeof seconds === 'number') res.setHeader('Retry-After', String(seconds));
    const message: FormMessage = { key: 'password.error.TOO_MANY_REQUESTS', values: { seconds: String(typeof seconds === 'number' ? seconds : 60) } };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (field: string): string => (typeof body[field] === 'string' ? (body[field] as string) : '');
    if (pathOf(req) === '/password/forgot') {
      res.status(429).render('password-forgot', {
        title: 'password.forgot.title',
        email: text('email'),
        formErrors: formErrors('forgot', [message], { email: text('email') }, 'password.error.tooManyHeading'),
      });
      return;
    }
    res.set('Cache-Control', 'no-store');
    res.status(429).render('password-set', {
      title: 'password.set.title',
      token: text('token'),
      usable: true,
      formErrors: formErrors('set', [message], {}, 'password.error.tooManyHeading'),
    });
  }
}
