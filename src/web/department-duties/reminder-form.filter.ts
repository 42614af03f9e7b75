import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { DepartmentDutyPagesService } from './department-duty-pages.service.js';

/** What the remind buttons explain on the department's page. */
export const REMINDER_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...FORM_PROBLEMS, 'REMINDER_NOT_A_MEMBER']);

/** The element the refusal is shown beside: the list of people. */
export const PEOPLE_ID = 'people';

/** A refused reminder shows the department's page again, with the error summary above and the message beside the list. */
@Injectable()
@Catch()
export class ReminderFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = REMINDER_FORM_PROBLEMS;

  constructor(private readonly pages: DepartmentDutyPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    // not a matter of what was typed: the summary says no reminder was sent
    const formErrors = { ...formErrorsOf('remind', error, req.body, { fieldId: () => PEOPLE_ID }), heading: 'departmentDuty.refused' };
    return { view: 'department-duty', data: { ...(await this.pages.department(actor, String(req.params.id), formErrors)), formErrors } };
  }
}
