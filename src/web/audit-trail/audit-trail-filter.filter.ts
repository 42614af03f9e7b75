import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { AuditTrailPagesService } from './audit-trail-pages.service.js';

/** What the filter form explains on its own page: a field that is not a date, a period that ends before it starts. */
export const AUDIT_TRAIL_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...FORM_PROBLEMS, 'AUDIT_TRAIL_RANGE_REVERSED']);

/** A refused filter shows the page again: the error summary, the message beside the field, the form as sent, no rows. */
@Injectable()
@Catch()
export class AuditTrailFilterErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = AUDIT_TRAIL_FORM_PROBLEMS;

  constructor(private readonly pages: AuditTrailPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const formErrors = formErrorsOf('auditFilter', error, req.query);
    return { view: 'audit-trail', data: { ...(await this.pages.page(actor, req.query as Record<string, unknown>, formErrors)), formErrors } };
  }
}
