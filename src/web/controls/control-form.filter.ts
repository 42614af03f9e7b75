import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { formatBytes } from '../view-helpers.js';
import { ControlPagesService } from './control-pages.service.js';

/** What the status and evidence forms explain on the control page. */
export const CONTROL_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'EVIDENCE_TOO_LARGE',
  'EVIDENCE_TYPE_NOT_ALLOWED',
  'CONTROL_RETIRED',
]);

/** A refused status change or evidence upload shows the control page again with the error summary. */
@Injectable()
@Catch()
export class ControlFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = CONTROL_FORM_PROBLEMS;

  constructor(private readonly pages: ControlPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const form = req.path.endsWith('/evidence') ? 'evidence' : 'status';
    const formErrors = formErrorsOf(form, error, req.body, {
      problemFields: { EVIDENCE_TOO_LARGE: 'file', EVIDENCE_TYPE_NOT_ALLOWED: 'file' },
      values: { max: formatBytes(this.pages.maxEvidenceBytes) },
    });
    return { view: 'control', data: { ...(await this.pages.control(actor, String(req.params.id), formErrors)), formErrors } };
  }
}
