import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrorOf, type FormPage } from '../forms/form-error.js';

/** What the review and approval forms explain on the review queue. */
export const REVIEW_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...FORM_PROBLEMS, 'POLICY_VERSION_NOT_DRAFT', 'POLICY_VERSION_NOT_LATEST']);
import { PolicyPagesService } from './policy-pages.service.js';

/** A refused review or approval shows the review queue again, the message beside the policy's form. */
@Injectable()
@Catch()
export class ReviewFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = REVIEW_FORM_PROBLEMS;

  constructor(private readonly pages: PolicyPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const form = req.path.endsWith('/approve') ? 'approve' : 'review';
    const formError = { ...formErrorOf(form, error, req.body), policyKey: String(req.params.key) };
    return { view: 'reviews', data: await this.pages.reviewQueue(actor, { error: formError }) };
  }
}
