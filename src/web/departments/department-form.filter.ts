import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors as messagesOf, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { DepartmentPagesService } from './department-pages.service.js';

/** What the departments forms explain on their own page. */
export const DEPARTMENT_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'DEPARTMENT_CODE_TAKEN',
  'DEPARTMENT_CYCLE',
  'DEPARTMENT_CLOSED',
  'DEPARTMENT_HEAD_INVALID',
  'DEPARTMENT_HAS_MEMBERS',
  'DEPARTMENT_IN_USE',
  'DEPARTMENT_NOT_CLOSED',
]);

/** The ids of the create form's fields on the tree page (the department's page uses the fields' names). */
export const createFieldId = (field: string): string => `new-${field}`;

/** A refused department form shows its page again, with the error summary and the message beside the field. */
@Injectable()
@Catch()
export class DepartmentFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = DEPARTMENT_FORM_PROBLEMS;

  constructor(private readonly pages: DepartmentPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const id = req.params.id ? String(req.params.id) : null;
    const extra = error.extra as { department?: { name?: string }; memberCount?: number } | undefined;
    if (!id || req.path.endsWith('/reopen')) {
      // reopening is a button on the tree page: a refusal shows the tree with the closed ones
      if (id) {
        // the button has no field: the message says why (its parent is closed, or it is open already)
        const key = error.code === 'DEPARTMENT_CLOSED' ? 'departments.reopenParentClosed' : `formError.${error.code}`;
        const refused = messagesOf('reopen', [{ key }], req.body, 'departments.reopenRefused');
        return { view: 'departments', data: { ...(await this.pages.tree(actor, refused, 'all')), formErrors: refused } };
      }
      const formErrors = formErrorsOf('create', error, req.body, { fieldId: createFieldId });
      return { view: 'departments', data: { ...(await this.pages.tree(actor, formErrors)), formErrors } };
    }
    if (req.path.endsWith('/close')) {
      const values = { name: extra?.department?.name ?? '', count: String(extra?.memberCount ?? '') };
      // not a matter of what was typed: the summary says the department cannot be closed
      const formErrors = { ...formErrorsOf('close', error, req.body, { values }), heading: 'departmentClose.refused' };
      return { view: 'department-close', data: { ...(await this.pages.closing(actor, id, formErrors)), formErrors } };
    }
    const formErrors = formErrorsOf('edit', error, req.body);
    return { view: 'department', data: { ...(await this.pages.department(actor, id, formErrors)), formErrors } };
  }
}
