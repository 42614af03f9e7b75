import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { INVITE_FORM, RETIRE_FORM, STAFF_FORM, StaffPagesService } from './staff-pages.service.js';

/** What the staff forms explain on their own page. */
export const STAFF_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'STAFF_EMAIL_TAKEN',
  'STAFF_EMPLOYEE_NUMBER_TAKEN',
  'STAFF_OWN_ROLES',
  'PRIVILEGED_EMAIL_CHANGE',
  'ROLE_CHANGE_NEEDS_APPROVAL',
  'DEPARTMENT_NOT_FOUND',
  'ACCOUNT_RETIRED',
]);

/** A refused staff form shows its page again, with the error summary and the message beside the field. */
@Injectable()
@Catch()
export class StaffFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = STAFF_FORM_PROBLEMS;

  constructor(private readonly pages: StaffPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const id = req.params.id ? String(req.params.id) : null;
    if (!id) {
      const formErrors = formErrorsOf(STAFF_FORM, error, req.body);
      return { view: 'staff-new', data: { ...(await this.pages.newPerson(actor, formErrors)), formErrors } };
    }
    if (req.path.endsWith('/retire')) {
      const formErrors = formErrorsOf(RETIRE_FORM, error, req.body);
      return { view: 'staff-retire', data: { ...(await this.pages.retiring(actor, id, formErrors)), formErrors } };
    }
    // the invitation form has no fields: its refusal (the person has retired) is said at the top only
    const formErrors = req.path.endsWith('/invitation') ? formErrorsOf(INVITE_FORM, error, {}) : formErrorsOf(STAFF_FORM, error, req.body);
    return { view: 'staff-person', data: { ...(await this.pages.person(actor, id, formErrors)), formErrors } };
  }
}
