import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { ProblemFilter, toAppException } from '../../common/errors/problem.filter.js';

/**
 * The one pattern of a refused form (GOV.UK's "error summary"):
 * - at the top of the page an error summary (`role="alert"`, heading 「入力内容を確認してください」) lists
 *   every message, each a link to its field (`href="#field-id"`); it takes the focus on load
 *   (`autofocus`, and /static/mamori.js where autofocus does not apply);
 * - each field it is about gets `aria-invalid="true"` and `aria-describedby` to its message, shown
 *   beside it (partial `field-error`, helper `fieldAria`);
 * - the page title starts with 「エラー：」 ("Error: ").
 * The layout does the summary and the title when the page's data holds `formErrors` (from
 * `formErrors()` or, in a form's exception filter, `formErrorsOf()`); a view adds, per field:
 *
 *   <input id="reason" name="reason"{{fieldAria "reason" hint="reason-hint"}}>
 *   {{> field-error for="reason"}}
 */

/** One message about a refused form. */
export interface FormMessage {
  /** message key */
  key: string;
  /** values of its placeholders */
  values?: Record<string, string>;
  /** the id of the field it is about: the summary links to it, the field is marked invalid and shows the message beside it */
  fieldId?: string;
  /** further fields the message is about (marked invalid and described by the same message, e.g. the password of a failed sign-in) */
  alsoIds?: string[];
}

/** What a page shows about a refused form (the layout reads `formErrors`). */
export interface FormErrors {
  /** which form of the page was refused */
  form: string;
  /** message key of the summary's heading: 「入力内容を確認してください」 unless the refusal is about something else (an expired link) */
  heading: string;
  /** the summary: every message, with the link to its field when it has one */
  messages: { key: string; values: Record<string, string>; href: string | null }[];
  /** element id → the message describing it; `inline` for the field that shows it */
  fields: Record<string, { messageId: string; key: string; values: Record<string, string>; inline: boolean }>;
  /** what was sent, to fill the form again */
  submitted: Record<string, unknown>;
}

/** The id of the inline message of a field. */
export const messageIdOf = (fieldId: string): string => `${fieldId}-error`;

/** A refused form's messages, for the page that shows it again. */
export function formErrors(form: string, messages: FormMessage[], submitted: unknown = {}, heading = 'errorSummary.heading'): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const message of messages) {
    if (!message.fieldId || fields[message.fieldId]) continue;
    const entry = { messageId: messageIdOf(message.fieldId), key: message.key, values: message.values ?? {} };
    fields[message.fieldId] = { ...entry, inline: true };
    for (const also of message.alsoIds ?? []) fields[also] ??= { ...entry, inline: false };
  }
  return {
    form,
    heading,
    messages: messages.map((m) => ({ key: m.key, values: m.values ?? {}, href: m.fieldId ? `#${m.fieldId}` : null })),
    fields,
    submitted: submitted && typeof submitted === 'object' ? { ...(submitted as Record<string, unknown>) } : {},
  };
}

/** How a form names its fields' ids, and which field a problem of the form is about. */
export interface FormLayout {
  /** the element id of a field (default: the field's name) */
  fieldId?: (field: string) => string;
  /** further elements a field's message describes (e.g. the fieldset of a group of radio buttons) */
  alsoIds?: (field: string) => string[];
  /** the field a problem without refused fields is about (e.g. EVIDENCE_TOO_LARGE → the file input) */
  problemFields?: Partial<Record<ProblemCode, string>>;
  /** values of the messages' placeholders (e.g. `max`) */
  values?: Record<string, string>;
}

/**
 * The messages of a form refused with `error`: invalid input gives for each refused field
 * `formField.<form>.<field>` (linked to it); any other problem its own `formError.<CODE>`, linked
 * to the field it is about (the layout's `problemFields`, else the field the problem names).
 */
export function formErrorsOf(form: string, error: AppException, body: unknown, layout: FormLayout = {}): FormErrors {
  const idOf = layout.fieldId ?? ((field: string) => field);
  const values = layout.values ?? {};
  const refused = [...new Set((error.errors ?? []).map((e) => e.field.split('.')[0]!))];
  if (error.code === 'VALIDATION_FAILED' && refused.length) {
    return formErrors(
      form,
      refused.map((field) => ({ key: `formField.${form}.${field}`, values, fieldId: idOf(field), alsoIds: layout.alsoIds?.(field) })),
      body,
    );
  }
  const field = layout.problemFields?.[error.code] ?? refused[0];
  return formErrors(
    form,
    [{ key: `formError.${error.code}`, values, fieldId: field ? idOf(field) : undefined, alsoIds: field ? layout.alsoIds?.(field) : undefined }],
    body,
  );
}

/**
 * Problems every form answers by showing its page again with the error summary, rather than the
 * error page; a feature's form filter adds its own (`formProblems`).
 */
export const FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['VALIDATION_FAILED']);

/** A page to show again, with the form's errors in `data.formErrors`. */
export interface FormPage {
  view: string;
  data: { formErrors: FormErrors } & object;
}

/**
 * Base of the filters that show a form's page again when the form is refused (FORM_PROBLEMS and the
 * feature's: 400, 409, 413, 415), with the status of the problem and the error summary; everything
 * else goes to the global filter (the error page, or the sign-in redirect).
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

  /** The page that holds the refused form, with its errors. */
  protected abstract page(req: Request, error: AppException): Promise<FormPage>;
}
