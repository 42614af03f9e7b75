import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormPage } from '../forms/form-error.js';
import { AuditReportPagesService } from './audit-report-pages.service.js';

/** What the acceptance form explains on the report page itself. */
const ACCEPTANCE_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...FORM_PROBLEMS, 'AUDIT_TRANSITION_NOT_ALLOWED']);

/** The fields of the form by name, and their element ids. */
const FIELD_IDS: Record<string, string> = { decision: 'decision', note: 'acceptance-note', accepted: 'decision' };

/**
 * A refused acceptance (no decision, a return without a note, a report no longer waiting) shows the
 * report page again with the error summary, the message beside the field and what was typed.
 */
@Injectable()
@Catch()
export class AuditAcceptanceFormFilter extends FormErrorFilter {
  protected override readonly formProblems = ACCEPTANCE_PROBLEMS;

  constructor(private readonly pages: AuditReportPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const refused = [...new Set((error.errors ?? []).map((e) => e.field.split('.')[0]!))];
    // a malformed address is the error page's, not the form's
    if (refused.includes('id')) throw error;
    const errors =
      error.code === 'VALIDATION_FAILED' && refused.length
        ? formErrors(
            'auditAcceptance',
            refused.map((field) => ({ key: `formField.auditAcceptance.${field}`, fieldId: FIELD_IDS[field] ?? 'decision' })),
            req.body,
          )
        : formErrors('auditAcceptance', [{ key: `auditReportPage.error.${error.code}`, fieldId: 'decision' }], req.body, 'auditReportPage.error.heading');
    const data = await this.pages.report(actor, String(req.params.id), errors);
    return { view: 'audit-report-page', data: { ...data, formErrors: errors } };
  }
}
