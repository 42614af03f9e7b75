import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { localeOf } from '../locale.js';
import { FindingPagesService } from './finding-pages.service.js';

/** What the forms of the finding pages explain on their own page, rather than the error page. */
export const FINDING_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'FINDING_LINK_INVALID',
  'FINDING_TRANSITION_NOT_ALLOWED',
  'CORRECTIVE_ACTION_TRANSITION_NOT_ALLOWED',
  // someone who reads the finding but may not do this (an auditor reporting another's action done)
  'FORBIDDEN',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How one form of the finding pages names its fields' ids, and the field a problem without fields is about. */
interface FindingFormLayout {
  fieldId: (field: string) => string;
  /** the field the form's other problems are about (the summary links there) */
  mainField: string;
  values?: Record<string, string>;
}

/**
 * The messages of a refused form of the finding pages: each refused field by its own message
 * (`formField.<form>.<field>`); a department, control or assignee that is not one of ours by
 * `findingPage.error.FINDING_LINK_INVALID.<field>`; any other problem by
 * `findingPage.error.<CODE>` (FORBIDDEN by the form: `findingPage.error.FORBIDDEN.<form>`),
 * each linked to the field it is about.
 */
export function findingFormErrors(form: string, error: AppException, body: unknown, layout: FindingFormLayout): FormErrors {
  const values = layout.values ?? {};
  const fields = [...new Set((error.errors ?? []).map((e) => e.field))];
  if (error.code === 'VALIDATION_FAILED' && fields.length) {
    const refused = [...new Set(fields.map((f) => f.split('.')[0]!))];
    return formErrors(
      form,
      refused.map((field): FormMessage => ({ key: `formField.${form}.${field}`, values, fieldId: layout.fieldId(field) })),
      body,
    );
  }
  if (error.code === 'FINDING_LINK_INVALID' && fields.length) {
    // `ownerDepartmentId`, `controlIds`, `actions.0.assigneeId`: the last word names the field
    const refused = [...new Set(fields.map((f) => f.split('.').at(-1)!))];
    return formErrors(
      form,
      refused.map((field): FormMessage => ({ key: `findingPage.error.FINDING_LINK_INVALID.${field}`, values, fieldId: layout.fieldId(field) })),
      body,
    );
  }
  const key =
    error.code !== 'FORBIDDEN'
      ? `findingPage.error.${error.code}`
      : ownAction(error)
        ? 'findingPage.error.FORBIDDEN.ownAction'
        : `findingPage.error.FORBIDDEN.${form}`;
  // not about what was typed: the heading says what could not be done
  return formErrors(form, [{ key, values, fieldId: layout.mainField }], body, `findingPage.errorHeading.${form}`);
}

/** The refusal of someone verifying (or reopening) the corrective action they did themselves. */
export function ownAction(error: AppException): boolean {
  return error.code === 'FORBIDDEN' && (error.detail ?? '').startsWith('You did this corrective action');
}

/** The forms of a finding's page by the end of the address they post to, and the ids of their fields. */
const PAGE_FORMS: { pattern: RegExp; form: string; layout: (actionId: string) => FindingFormLayout }[] = [
  {
    pattern: /\/actions$/,
    form: 'findingPlan',
    layout: () => ({ fieldId: (f) => `plan-${f}`, mainField: 'plan-description' }),
  },
  {
    pattern: /\/actions\/[^/]+\/done$/,
    form: 'findingDone',
    layout: (actionId) => ({ fieldId: () => `done-${actionId}-note`, mainField: `done-${actionId}-note` }),
  },
  {
    pattern: /\/actions\/[^/]+\/verify$/,
    form: 'findingVerify',
    layout: (actionId) => ({
      fieldId: (f) => (f === 'dueDate' ? `verify-${actionId}-dueDate` : `verify-${actionId}-note`),
      mainField: `verify-${actionId}-note`,
    }),
  },
];

/**
 * A refused form of a finding's page (plan an action, report one done, verify or reopen) shows the
 * page again with the error summary at the top, the message beside the field and what was typed;
 * a step the action cannot take names, in words, where it is and what was asked.
 */
@Injectable()
@Catch()
export class FindingPageFormFilter extends FormErrorFilter {
  protected override readonly formProblems = FINDING_FORM_PROBLEMS;

  constructor(
    private readonly pages: FindingPagesService,
    private readonly i18n: I18nService,
  ) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const id = String(req.params.id);
    // a malformed address is the error page's (VALIDATION_FAILED of the path), not a form's
    if (!UUID.test(id)) throw error;
    const actionId = typeof req.params.actionId === 'string' ? req.params.actionId : '';
    const spec = PAGE_FORMS.find((f) => f.pattern.test(req.path)) ?? PAGE_FORMS[0]!;
    const locale = localeOf(req);
    const status = (value: unknown) => (typeof value === 'string' ? this.i18n.translate(locale, `findingPages.actionStatus.${value}`) : '');
    const layout = { ...spec.layout(actionId), values: { from: status(error.extra?.from), to: status(error.extra?.to) } };
    const body = { ...(req.body as object), _action: actionId };
    const errors = findingFormErrors(spec.form, error, body, layout);
    const data = await this.pages.finding(actor, id, errors);
    return { view: 'finding', data: { ...data, formErrors: errors } };
  }
}

/** A refused finding raised by hand shows the form again with the error summary and what was typed. */
@Injectable()
@Catch()
export class FindingRaiseFormFilter extends FormErrorFilter {
  protected override readonly formProblems = FINDING_FORM_PROBLEMS;

  constructor(private readonly pages: FindingPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const errors = findingFormErrors('findingRaise', error, req.body, {
      fieldId: (field) => (field === 'controlIds' ? 'controls' : field),
      mainField: 'title',
    });
    return { view: 'finding-new', data: { ...(await this.pages.raiseForm(actor, errors)), formErrors: errors } };
  }
}
