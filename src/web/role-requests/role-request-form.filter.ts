import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { PRIVILEGED_ROLE_NAMES } from '../../common/roles.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { RoleRequestPagesService } from './role-request-pages.service.js';

/** What the request form explains on its page. */
export const ROLE_REQUEST_NEW_PROBLEMS: readonly ProblemCode[] = [
  'STAFF_OWN_ROLES',
  'ROLE_REQUEST_NO_CHANGE',
  'ROLE_REQUEST_OPEN_EXISTS',
  'ROLE_REQUEST_TARGET_RETIRED',
];

/** What a refused decision explains at the top of the request's page (who decides which step: role-request-rules.ts). */
export const ROLE_REQUEST_DECISION_PROBLEMS: readonly ProblemCode[] = [
  'ROLE_REQUEST_OWN',
  'ROLE_REQUEST_APPROVER_ROLE',
  'ROLE_REQUEST_SECOND_FACTOR',
  'ROLE_REQUEST_NOT_CONCERNED',
  'ROLE_REQUEST_NOT_REQUESTER',
  'ROLE_REQUEST_TRANSITION_NOT_ALLOWED',
  'ROLE_REQUEST_EXPIRED',
  'ROLE_REQUEST_TARGET_RETIRED',
  'ROLE_REQUEST_LAST_ADMIN',
];

export const ROLE_REQUEST_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  ...ROLE_REQUEST_NEW_PROBLEMS,
  ...ROLE_REQUEST_DECISION_PROBLEMS,
]);

/** The ids of the request form's fields: the first radio button of a group (the summary links there), else the field's name. */
export const newRequestFieldId = (field: string): string =>
  field === 'change' ? 'change-grant' : field === 'role' ? `role-${PRIVILEGED_ROLE_NAMES[0]}` : field === 'staffId' ? 'person' : field;

/**
 * A refused request form shows the form again, with the summary and the message beside the field; a
 * refused decision shows the request's page again with the reason at the top (and, for a rejection
 * without a reason, beside the reason's field).
 */
@Injectable()
@Catch()
export class RoleRequestFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = ROLE_REQUEST_FORM_PROBLEMS;

  constructor(private readonly pages: RoleRequestPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const id = req.params.id ? String(req.params.id) : null;
    if (!id) {
      const staffId = typeof body.staffId === 'string' ? body.staffId : undefined;
      const errors =
        error.code === 'STAFF_OWN_ROLES'
          ? formErrors('roleRequestNew', [{ key: 'roleRequestNew.ownRoles' }], body)
          : formErrorsOf('roleRequestNew', error, body, {
              fieldId: newRequestFieldId,
              alsoIds: (field) => (field === 'change' || field === 'role' ? [field] : []),
              problemFields: { ROLE_REQUEST_TARGET_RETIRED: 'change' },
            });
      const data = await this.pages.newRequest(actor, isUuid(staffId) ? staffId : undefined, errors);
      return { view: 'role-request-new', data: { ...data, formErrors: errors } };
    }
    const rejecting = req.path.endsWith('/reject');
    const errors = formErrorsOf(rejecting ? 'roleRequestReject' : 'roleRequestDecision', error, body, { fieldId: (field) => `reject-${field}` });
    // a decision refused is not a matter of what was typed: the summary says it cannot be done
    if (error.code !== 'VALIDATION_FAILED') errors.heading = 'roleRequest.refused';
    const data = await this.pages.request(actor, id, errors);
    return { view: 'role-request', data: { ...data, formErrors: errors } };
  }
}

const isUuid = (value: string | undefined): value is string => !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
