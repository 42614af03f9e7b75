import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, formErrorsOf, type FormErrors, type FormPage } from '../forms/form-error.js';
import { formatBytes } from '../view-helpers.js';
import { ControlPagesService } from './control-pages.service.js';

/** What the status and evidence forms explain on the control page. */
export const CONTROL_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'EVIDENCE_EMPTY',
  'EVIDENCE_TOO_LARGE',
  'EVIDENCE_TYPE_NOT_ALLOWED',
  'CONTROL_RETIRED',
]);

/**
 * The one message of a refused evidence upload, at the top of the page and beside the file field:
 * no file chosen (`formField.evidence.file`), an empty file, a file over the limit (naming it), a
 * kind of file not accepted (naming the accepted kinds), or a name that disagrees with the content
 * (naming the extension to rename it to).
 */
export function evidenceFormErrors(error: AppException, body: unknown, maxBytes: number): FormErrors {
  const expected = error.extra?.expectedExtension;
  if (error.code === 'EVIDENCE_TYPE_NOT_ALLOWED' && typeof expected === 'string') {
    return formErrors('evidence', [{ key: 'control.evidenceForm.misnamed', values: { expected }, fieldId: 'file' }], body);
  }
  return formErrorsOf('evidence', error, body, {
    problemFields: { EVIDENCE_EMPTY: 'file', EVIDENCE_TOO_LARGE: 'file', EVIDENCE_TYPE_NOT_ALLOWED: 'file' },
    values: { max: formatBytes(maxBytes) },
  });
}

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
    const formErrors = req.path.endsWith('/evidence')
      ? evidenceFormErrors(error, req.body, this.pages.maxEvidenceBytes)
      : formErrorsOf('status', error, req.body);
    return { view: 'control', data: { ...(await this.pages.control(actor, String(req.params.id), formErrors)), formErrors } };
  }
}
