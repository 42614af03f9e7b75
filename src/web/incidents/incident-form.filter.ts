import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { localeOf } from '../locale.js';
import { formatBytes } from '../view-helpers.js';
import { IncidentPagesService } from './incident-pages.service.js';

/** Problems whose refused fields are each named beside the field (like invalid input): `formField.<form>.<field>`. */
const FIELD_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['VALIDATION_FAILED', 'INCIDENT_TRIAGE_INCOMPLETE']);

/** How a form of the incident pages names its fields' ids, and which field a problem is about. */
interface IncidentFormLayout {
  fieldId?: (field: string) => string;
  problemFields?: Partial<Record<ProblemCode, string>>;
  values?: Record<string, string>;
}

/**
 * The messages of a refused form of the incident pages: each refused field by its own message
 * (`formField.<form>.<field>`), any other problem by `incidentPage.error.<CODE>` (this folder's
 * catalogue), linked to the field it is about.
 */
export function incidentFormErrors(form: string, error: AppException, body: unknown, layout: IncidentFormLayout = {}): FormErrors {
  const idOf = layout.fieldId ?? ((field: string) => field);
  const values = layout.values ?? {};
  const refused = [...new Set((error.errors ?? []).map((e) => e.field.split('.')[0]!))];
  if (FIELD_PROBLEMS.has(error.code) && refused.length) {
    return formErrors(
      form,
      refused.map((field): FormMessage => ({ key: `formField.${form}.${field}`, values, fieldId: idOf(field) })),
      body,
    );
  }
  const field = layout.problemFields?.[error.code] ?? refused[0];
  return formErrors(form, [{ key: `incidentPage.error.${error.code}`, values, fieldId: field ? idOf(field) : undefined }], body);
}

/** What the report form explains on itself. */
export const REPORT_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'INCIDENT_OCCURRED_IN_FUTURE',
  'INCIDENT_DEPARTMENT_UNKNOWN',
  'INCIDENT_ATTACHMENT_REFUSED',
  'INCIDENT_ATTACHMENT_TOO_LARGE',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_INVALID',
]);

/** The message of a refused file: too large (naming the limit), or not kept (naming the kinds, or the extension to rename it to). */
function fileValues(error: AppException, maxBytes: number): Record<string, string> {
  const expected = error.extra?.expectedExtension;
  const fileName = error.extra?.fileName;
  return { max: formatBytes(maxBytes), expected: typeof expected === 'string' ? expected : '', fileName: typeof fileName === 'string' ? fileName : '' };
}

function fileProblemKey(error: AppException): string | null {
  if (error.code !== 'INCIDENT_ATTACHMENT_REFUSED') return null;
  const reason = error.extra?.reason;
  return typeof reason === 'string' ? `incidentPage.error.INCIDENT_ATTACHMENT_REFUSED.${reason}` : null;
}

/** A refused report shows the form again with the error summary, what was typed, and (unless it was spent) the same one-time token. */
@Injectable()
@Catch()
export class IncidentReportFormFilter extends FormErrorFilter {
  protected override readonly formProblems = REPORT_FORM_PROBLEMS;

  constructor(private readonly pages: IncidentPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    let errors = incidentFormErrors('incidentReport', error, req.body, {
      problemFields: {
        INCIDENT_OCCURRED_IN_FUTURE: 'occurredAt',
        INCIDENT_DEPARTMENT_UNKNOWN: 'departmentId',
        INCIDENT_ATTACHMENT_REFUSED: 'attachments',
        INCIDENT_ATTACHMENT_TOO_LARGE: 'attachments',
        // the form's one-time token is no field: the message is about sending the form again
        IDEMPOTENCY_KEY_REUSED: 'report-submit',
        IDEMPOTENCY_KEY_INVALID: 'report-submit',
      },
      values: fileValues(error, this.pages.maxAttachmentBytes),
    });
    const fileKey = fileProblemKey(error);
    if (fileKey)
      errors = formErrors('incidentReport', [{ key: fileKey, values: fileValues(error, this.pages.maxAttachmentBytes), fieldId: 'attachments' }], req.body);
    // a token spent on another report, or not one of ours: the form gets a fresh one
    const fresh = error.code === 'IDEMPOTENCY_KEY_REUSED' || error.code === 'IDEMPOTENCY_KEY_INVALID';
    // a token spent on another report: the page says where the first one is
    const form: object = { ...(await this.pages.reportForm(actor, errors, fresh)), alreadySent: error.code === 'IDEMPOTENCY_KEY_REUSED' };
    return { view: 'incident-report', data: { ...form, formErrors: errors } };
  }
}

/** What the forms of an incident's page explain on the page itself. */
export const INCIDENT_PAGE_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'INCIDENT_TRANSITION_NOT_ALLOWED',
  'INCIDENT_TRIAGE_INCOMPLETE',
  'INCIDENT_DUPLICATE_OF_REQUIRED',
  'INCIDENT_DUPLICATE_OF_INVALID',
  'INCIDENT_REVIEW_REQUIRED',
  'INCIDENT_CLOSED',
  'INCIDENT_ASSIGNEE_UNKNOWN',
  'INCIDENT_VERSION_CONFLICT',
  'INCIDENT_NOTHING_TO_ACKNOWLEDGE',
  'TASK_TRANSITION_NOT_ALLOWED',
  'INCIDENT_ATTACHMENT_REFUSED',
  'INCIDENT_ATTACHMENT_TOO_LARGE',
]);

/** The forms of the incident page by the end of the address they post to, and the ids of their fields. */
const PAGE_FORMS: { pattern: RegExp; form: string; fieldId: (field: string, taskId?: string) => string }[] = [
  {
    pattern: /\/transitions$/,
    form: 'transition',
    fieldId: (f) =>
      ({ to: 'transition-to', reason: 'transition-reason', version: 'transition-to', affectedPeople: 'triage-affectedPeople', duplicateOfId: 'duplicateOf' })[
        f
      ] ?? f,
  },
  { pattern: /\/acknowledge$/, form: 'acknowledge', fieldId: () => 'ack-note' },
  {
    pattern: /\/tasks$/,
    form: 'task',
    fieldId: (f) => ({ assigneeId: 'task-assigneeId', formToken: 'task-submit', 'Idempotency-Key': 'task-submit' })[f] ?? `task-${f}`,
  },
  { pattern: /\/tasks\/[^/]+$/, form: 'taskStatus', fieldId: (f, taskId) => (f === 'note' ? `task-${taskId}-note` : `task-${taskId}-status`) },
  { pattern: /\/attachments$/, form: 'attachment', fieldId: () => 'attachment-file' },
  { pattern: /\/timeline$/, form: 'timeline', fieldId: (f) => ({ formToken: 'note-submit', 'Idempotency-Key': 'note-submit' })[f] ?? `note-${f}` },
];

/**
 * A refused form of an incident's page (a transition, the acknowledgement, a task, a file, a note)
 * shows the page again with the error summary at the top, the message beside the field and what
 * was typed; a transition the table does not allow names, in words, the states it may go to.
 */
@Injectable()
@Catch()
export class IncidentPageFormFilter extends FormErrorFilter {
  protected override readonly formProblems = INCIDENT_PAGE_PROBLEMS;

  constructor(
    private readonly pages: IncidentPagesService,
    private readonly i18n: I18nService,
  ) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const locale = localeOf(req);
    const id = String(req.params.id);
    const taskId = typeof req.params.taskId === 'string' ? req.params.taskId : undefined;
    const spec = PAGE_FORMS.find((f) => f.pattern.test(req.path)) ?? PAGE_FORMS[0]!;
    const status = (value: unknown) => (typeof value === 'string' ? this.i18n.translate(locale, `incident.status.${value}`) : '');
    const allowed = Array.isArray(error.extra?.allowedTransitions) ? (error.extra.allowedTransitions as unknown[]) : [];
    const values = {
      ...fileValues(error, this.pages.maxAttachmentBytes),
      from: status(error.extra?.from),
      to: status(error.extra?.to),
      allowed: allowed.map((s) => `「${status(s)}」`).join(this.i18n.translate(locale, 'incidentPage.listSeparator')),
    };
    let errors = incidentFormErrors(spec.form, error, req.body, {
      fieldId: (field) => spec.fieldId(field, taskId),
      problemFields: {
        INCIDENT_TRANSITION_NOT_ALLOWED: 'to',
        INCIDENT_REVIEW_REQUIRED: 'to',
        INCIDENT_ATTACHMENT_REFUSED: 'file',
        INCIDENT_ATTACHMENT_TOO_LARGE: 'file',
      },
      values,
    });
    const fileKey = fileProblemKey(error);
    if (fileKey) errors = formErrors(spec.form, [{ key: fileKey, values, fieldId: 'attachment-file' }], req.body);
    const data = await this.pages.incident(actor, id, locale, errors);
    return { view: 'incident', data: { ...data, formErrors: errors } };
  }
}
