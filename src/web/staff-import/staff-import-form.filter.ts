import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { StaffImportRefused } from '../../staff/staff-import-csv.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { ISSUES_ID, StaffImportPagesService } from './staff-import-pages.service.js';

/** What the import forms explain on the upload page (with the problem's status), rather than the error page. */
export const STAFF_IMPORT_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'STAFF_IMPORT_INVALID',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'STAFF_IMPORT_UPLOAD_EXPIRED',
  'STAFF_IMPORT_UPLOAD_USED',
  'CONFLICT',
]);

/**
 * A refused upload or confirmation shows the upload page again: a problem of the whole file beside
 * the file input; bad rows (every one, by line and column) in a list the error summary links to;
 * an expired or used upload, or a change that collided with another, as the summary's one message.
 */
@Injectable()
@Catch()
export class StaffImportFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = STAFF_IMPORT_FORM_PROBLEMS;

  constructor(private readonly pages: StaffImportPagesService) {
    super();
  }

  protected page(req: Request, error: AppException): Promise<FormPage> {
    const locale = localeOf(req);
    const issues = error instanceof StaffImportRefused ? error.issues : [];
    const lines = issues.filter((issue) => issue.line !== undefined);
    let refused;
    if (lines.length) {
      const count = new Set(lines.map((issue) => issue.line)).size;
      refused = formErrors(
        'upload',
        [{ key: 'staffImport.refused.rows', values: { lines: String(count) }, fieldId: ISSUES_ID }],
        {},
        'staffImport.refused.heading',
      );
    } else if (issues.length) {
      refused = formErrors(
        'upload',
        issues.map((issue) => ({ key: `staffImport.issue.${issue.code}`, values: issue.values ?? {}, fieldId: 'file' })),
        {},
        'staffImport.refused.heading',
      );
    } else {
      refused = formErrors('upload', [{ key: `staffImport.refused.${error.code}`, fieldId: 'file' }], {}, 'staffImport.refused.heading');
    }
    return Promise.resolve({ view: 'staff-import', data: { ...this.pages.form(locale, { formErrors: refused, issues: lines }), formErrors: refused } });
  }
}
