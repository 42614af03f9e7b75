import { Catch, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { ProblemFilter, toAppException } from '../../common/errors/problem.filter.js';
import { formErrors, type FormMessage } from '../forms/form-error.js';
import { IncidentDeskPagesService } from './incident-desk-pages.service.js';

/** What the residents' page answers with the form again (the rest: the error page). */
const FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'VALIDATION_FAILED',
  'RESIDENT_REPORT_RATE_LIMITED',
  'IDEMPOTENCY_KEY_INVALID',
  'IDEMPOTENCY_KEY_REUSED',
]);

/** The fields a resident fills in (their ids are their names). */
const FIELDS = new Set(['title', 'description', 'name', 'email', 'phone']);
const FORM_TOKEN = /^[A-Za-z0-9_-]{16,100}$/;

/**
 * The messages of a refused report, each linked to its field, and whether the form needs a new
 * one-time token (the old one is spent or spoilt).
 */
export function residentReportMessages(error: AppException): { messages: FormMessage[]; heading: string; newToken: boolean } {
  switch (error.code) {
    case 'RESIDENT_REPORT_RATE_LIMITED': {
      const seconds = typeof error.extra?.retryAfterSeconds === 'number' ? error.extra.retryAfterSeconds : 3600;
      return {
        messages: [{ key: 'residentReport.error.limited', values: { minutes: String(Math.max(1, Math.ceil(seconds / 60))) } }],
        heading: 'residentReport.error.limitedHeading',
        newToken: false,
      };
    }
    case 'IDEMPOTENCY_KEY_REUSED':
      return { messages: [{ key: 'residentReport.error.alreadySent', fieldId: 'submit' }], heading: 'residentReport.error.alreadySentHeading', newToken: true };
    case 'IDEMPOTENCY_KEY_INVALID':
      return { messages: [{ key: 'residentReport.error.expired', fieldId: 'submit' }], heading: 'errorSummary.heading', newToken: true };
    default: {
      const refused = [...new Set((error.errors ?? []).map((e) => e.field.split('.')[0]!))];
      const messages: FormMessage[] = refused
        .filter((field) => FIELDS.has(field))
        .map((field) => ({ key: `formField.residentReport.${field}`, fieldId: field }));
      const spoilt = refused.some((field) => !FIELDS.has(field));
      if (spoilt || messages.length === 0) messages.push({ key: 'residentReport.error.expired', fieldId: 'submit' });
      return { messages, heading: 'errorSummary.heading', newToken: spoilt };
    }
  }
}

/**
 * A refused report shows the residents' page again (no sign-in needed, unlike the app's forms): the
 * error summary at the top, each message beside its field, what was typed kept; too many reports
 * from the address is 429 with Retry-After and how long to wait. Anything else: the error page.
 */
@Injectable()
@Catch()
export class ResidentReportFormFilter implements ExceptionFilter {
  private readonly fallback = new ProblemFilter();

  constructor(private readonly pages: IncidentDeskPagesService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toAppException(exception);
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (!FORM_PROBLEMS.has(error.code) || res.headersSent) return this.fallback.catch(exception, host);
    this.answer(req, res, error).catch((failure: unknown) => this.fallback.catch(failure, host));
  }

  private async answer(req: Request, res: Response, error: AppException): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { messages, heading, newToken } = residentReportMessages(error);
    const seconds = error.extra?.retryAfterSeconds;
    if (typeof seconds === 'number') res.setHeader('Retry-After', String(seconds));
    const token = typeof body.formToken === 'string' && FORM_TOKEN.test(body.formToken) && !newToken ? body.formToken : undefined;
    const organization = typeof body.organization === 'string' && body.organization.trim() ? body.organization.trim() : undefined;
    const data = await this.pages.residentForm({
      organization,
      submitted: body,
      formToken: token,
      formErrors: formErrors('residentReport', messages, body, heading),
    });
    res.set('Cache-Control', 'no-store');
    res.status(error.status).render('resident-report', data);
  }
}
