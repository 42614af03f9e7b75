import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, formErrorsOf, type FormErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { IncidentReportPagesService, REVIEW_FORM, SENT_FORM, sentFieldId } from './incident-report-pages.service.js';

/** What the "record sent" form explains on the checklist page rather than the error page. */
export const SENT_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'EXTERNAL_REPORT_SENT_AT_INVALID',
  'EXTERNAL_REPORT_ALREADY_SENT',
  'EXTERNAL_REPORT_CANCELLED',
]);

/** A refused "record sent" form shows the checklist again, the messages beside the fields of that report's form. */
@Injectable()
@Catch()
export class RecordSentFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = SENT_FORM_PROBLEMS;

  constructor(private readonly pages: IncidentReportPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const reportId = String(req.params.reportId);
    const errors = formErrorsOf(SENT_FORM, error, req.body, { fieldId: (field) => sentFieldId(field, reportId) });
    const data = (await this.pages.checklist(actor, String(req.params.id), localeOf(req), { reportId, errors })) as { formErrors: FormErrors };
    return { view: 'incident-external-reports', data };
  }
}

/** What the review form explains on its own page. */
export const REVIEW_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...FORM_PROBLEMS, 'FINDING_LINK_INVALID', 'INCIDENT_REVIEW_NOT_ALLOWED']);

/** The form's field a refused field of the review is about: `findings.0.actions.0.assigneeId` → `assignee`. */
export function reviewFieldId(field: string): string {
  const last = field.split('.').at(-1)!;
  if (field.includes('.actions.')) return last === 'assigneeId' ? 'assignee' : last === 'dueDate' ? 'actionDueDate' : 'actionDescription';
  if (field.startsWith('findings.')) return last === 'title' ? 'findingTitle' : last === 'description' ? 'findingDescription' : last;
  return last;
}

/** The messages of a refused review: each refused field beside its input (`formField.incidentReview.<id>`), or the problem. */
export function reviewMessages(error: AppException): FormMessage[] {
  const ids = [...new Set((error.errors ?? []).map((e) => reviewFieldId(e.field)))];
  if ((error.code === 'VALIDATION_FAILED' || error.code === 'FINDING_LINK_INVALID') && ids.length) {
    return ids.map((id) => ({ key: `formField.${REVIEW_FORM}.${id}`, fieldId: id }));
  }
  return [{ key: `formError.${error.code}` }];
}

/** A refused review shows its page again with the error summary and the form as it was sent. */
@Injectable()
@Catch()
export class ReviewFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = REVIEW_FORM_PROBLEMS;

  constructor(private readonly pages: IncidentReportPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const errors = formErrors(REVIEW_FORM, reviewMessages(error), req.body);
    const data = (await this.pages.review(actor, String(req.params.id), errors)) as { formErrors: FormErrors };
    return { view: 'incident-review', data };
  }
}
