import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { PolicyPagesService } from './policy-pages.service.js';

/** What the review and approval forms explain on the review queue. */
export const REVIEW_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'POLICY_VERSION_NOT_DRAFT',
  'POLICY_VERSION_NOT_LATEST',
  'POLICY_OWN_DRAFT',
]);

/** The ids of a policy's review and approval fields on the review queue (each policy has its forms). */
export const reviewFieldId = (key: string, field: string): string => (field === 'outcome' ? `review-${key}-outcome-no_change` : `review-${key}-${field}`);
export const approveFieldId = (key: string, field: string): string => (field === 'requireAcknowledgement' ? `approve-${key}-ack` : `approve-${key}-due`);

/** A refused review or approval shows the review queue again, with the error summary and the message beside the policy's field. */
@Injectable()
@Catch()
export class ReviewFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = REVIEW_FORM_PROBLEMS;

  constructor(private readonly pages: PolicyPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const key = String(req.params.key);
    const form = req.path.endsWith('/approve') ? 'approve' : 'review';
    const formErrors = formErrorsOf(form, error, req.body, {
      fieldId: (field) => (form === 'approve' ? approveFieldId(key, field) : reviewFieldId(key, field)),
      // the radio buttons' fieldset is described by the message too
      alsoIds: (field) => (form === 'review' && field === 'outcome' ? [`review-${key}-outcome`] : []),
    });
    return { view: 'reviews', data: { ...(await this.pages.reviewQueue(actor, { key, errors: formErrors })), formErrors } };
  }
}
