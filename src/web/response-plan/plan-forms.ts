import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { IsString, Length, Matches } from 'class-validator';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { MAX_PLAN_CHANGE_NOTE, MAX_PLAN_TEXT } from '../../response-plan/dto/plan-version.dto.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { ResponsePlanPagesService } from './response-plan-pages.service.js';

/** The approval form of the draft page: the version the CISO saw (so a newer draft is not approved unseen). */
export class PlanApprovalForm {
  @Matches(/^[1-9][0-9]{0,5}$/)
  version!: string;
}

/** The plan's text edited on its page. */
export class PlanTextForm {
  @IsString()
  @Length(1, MAX_PLAN_TEXT)
  body!: string;

  @IsString()
  @Length(1, MAX_PLAN_CHANGE_NOTE)
  changeNote!: string;
}

/** What the draft page explains at its top when the approval is refused. */
export const PLAN_APPROVAL_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'PLAN_APPROVAL_REQUIRES_SECOND_FACTOR',
  'RESPONSE_PLAN_OWN_DRAFT',
  'RESPONSE_PLAN_VERSION_NOT_DRAFT',
  'RESPONSE_PLAN_VERSION_NOT_FOUND',
]);

/** A refused approval shows the draft page again with the reason at the top (the error summary takes the focus). */
@Injectable()
@Catch()
export class PlanApprovalErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = PLAN_APPROVAL_PROBLEMS;

  constructor(private readonly pages: ResponsePlanPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    // the problem's own message, linked to the approve button
    const errors = formErrors('planApprove', [{ key: `formError.${error.code}`, fieldId: 'approve-submit' }], req.body, 'responsePlanDraft.cannotApprove');
    return { view: 'response-plan-draft', data: { ...(await this.pages.draft(actor, localeOf(req), errors)), formErrors: errors } };
  }
}

/** What the edit page explains on its own page. */
export const PLAN_TEXT_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...FORM_PROBLEMS, 'RESPONSE_PLAN_TEXT_UNCHANGED']);

/** A refused edit shows the edit page again with what was typed and the message beside the field. */
@Injectable()
@Catch()
export class PlanTextErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = PLAN_TEXT_PROBLEMS;

  constructor(private readonly pages: ResponsePlanPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const errors = formErrorsOf('planEdit', error, req.body, { problemFields: { RESPONSE_PLAN_TEXT_UNCHANGED: 'body' } });
    const body = req.body as { body?: unknown; changeNote?: unknown } | undefined;
    return { view: 'response-plan-edit', data: { ...(await this.pages.editing(actor, body)), formErrors: errors } };
  }
}
