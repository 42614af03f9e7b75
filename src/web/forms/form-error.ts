import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { ProblemFilter, toAppException } from '../../common/errors/problem.filter.js';
import { formatBytes } from '../view-helpers.js';

/**
 * Problems every form answers by showing its page again with a message, rather than the error page;
 * a feature's form filter adds its own (`formProblems`).
 */
export const FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['VALIDATION_FAILED']);

/** What a page shows about a refused form (partial `form-alert`). */
export interface FormError {
  /** which form of the page was refused */
  form: string;
  /** message key of the headline: `formError.<CODE>` */
  message: string;
  /** values of the headline's placeholders */
  values: Record<string, string>;
  /** each refused field, with the message key explaining it: `formField.<form>.<field>` */
  fields: { field: string; message: string }[];
  /** field name → true, for aria-invalid */
  invalid: Record<string, boolean>;
  /** what was typed, to fill the form again */
  submitted: Record<string, unknown>;
}

/** The message keys and placeholders a page needs to explain `error`, refused in form `form`. */
export function formErrorOf(form: string, error: AppException, body: unknown, limits: { maxBytes?: number } = {}): FormError {
  const fields = [...new Set((error.errors ?? []).map((e) => e.field.split('.')[0]!))];
  return {
    form,
    message: `formError.${error.code}`,
    values: { max: formatBytes(limits.maxBytes) },
    fields: fields.map((field) => ({ field, message: `formField.${form}.${field}` })),
    invalid: Object.fromEntries(fields.map((field) => [field, true])),
    submitted: body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {},
  };
}

/** A page to show again, with the form's error. */
export interface FormPage {
  view: string;
  data: object;
}

/**
 * Base of the filters that show a form's page again when the form is refused (400, 409, 413, 415:
 * FORM_PROBLEMS), with the message in role="alert" and the status of the problem; everything else
 * goes to the global filter (the error page, or the sign-in redirect).
 */
@Catch()
export abstract class FormErrorFilter implements ExceptionFilter {
  private readonly fallback = new ProblemFilter();

  /** the problems this filter's forms answer on their own page (VALIDATION_FAILED and the feature's) */
  protected readonly formProblems: ReadonlySet<ProblemCode> = FORM_PROBLEMS;

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toAppException(exception);
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (!this.formProblems.has(error.code) || res.headersSent || !(req as Request & { user?: unknown }).user) return this.fallback.catch(exception, host);
    this.page(req, error).then(
      ({ view, data }) => res.status(error.status).render(view, data),
      (failure: unknown) => this.fallback.catch(failure, host),
    );
  }

  /** The page that holds the refused form, with the error to show. */
  protected abstract page(req: Request, error: AppException): Promise<FormPage>;
}
