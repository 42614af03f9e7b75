import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { StaffImportRefused } from '../../staff/staff-import-csv.js';
import { DrillResultsRefused } from '../../training/mail-drills.service.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { ISSUES_ID, MailDrillPagesService } from './mail-drill-pages.service.js';

/** What the drill's upload and confirmation explain on the drill's page (with the problem's status), rather than the error page. */
export const DRILL_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'DRILL_RESULTS_INVALID',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'DRILL_UPLOAD_EXPIRED',
  'DRILL_UPLOAD_NOT_FOUND',
]);

/**
 * A refused upload or confirmation shows the drill's page again: bad rows (every one, by line and
 * column) in a list at the top that the error summary links to; a problem of the whole file beside
 * the file input; an expired or unknown checked file as the summary's one message.
 */
@Injectable()
@Catch()
export class MailDrillFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = DRILL_FORM_PROBLEMS;

  constructor(private readonly pages: MailDrillPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const issues = error instanceof DrillResultsRefused ? error.issues : [];
    let refused;
    if (issues.length) {
      const lines = new Set(issues.map((issue) => issue.line)).size;
      refused = formErrors(
        'upload',
        [{ key: 'mailDrills.refused.rows', values: { lines: String(lines) }, fieldId: ISSUES_ID }],
        {},
        'mailDrills.refused.heading',
      );
    } else if (error instanceof StaffImportRefused && error.issues.length) {
      refused = formErrors(
        'upload',
        error.issues.map((issue) => ({ key: `mailDrills.fileIssue.${issue.code}`, values: issue.values ?? {}, fieldId: 'file' })),
        {},
        'mailDrills.refused.heading',
      );
    } else {
      refused = formErrors('upload', [{ key: `mailDrills.refused.${error.code}`, fieldId: 'file' }], {}, 'mailDrills.refused.heading');
    }
    const format = typeof (req.body as { format?: unknown } | undefined)?.format === 'string' ? (req.body as { format: string }).format : undefined;
    const data = await this.pages.drill(actor, localeOf(req), String(req.params.id), {}, { formErrors: refused, issues, format });
    return { view: 'mail-drill', data: { ...data, formErrors: refused } };
  }
}
