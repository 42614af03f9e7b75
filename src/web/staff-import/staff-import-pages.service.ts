import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import type { Locale } from '../../common/locale.js';
import { IMPORT_COLUMNS, type ImportIssue } from '../../staff/staff-import-csv.js';
import { MAX_IMPORT_SIZE_TEXT } from '../../staff/staff-import-upload.interceptor.js';
import { StaffImportUploadsService, UPLOAD_TTL_MINUTES } from '../../staff/staff-import-uploads.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';

/** The pages' id of the list of bad rows (the error summary links to it). */
export const ISSUES_ID = 'import-issues';

/**
 * 職員の一括取り込み: the data of the import pages. Every problem of a refused file is worded here,
 * from its stable code, in the page's language: 「12行目 メールアドレス：…」 (an ideographic space after the line).
 */
@Injectable()
export class StaffImportPagesService {
  constructor(
    private readonly uploads: StaffImportUploadsService,
    private readonly i18n: I18nService,
  ) {}

  /** The upload form, and what was wrong with the last file if it was refused. */
  form(locale: Locale, refused: { formErrors?: FormErrors; issues?: readonly ImportIssue[] } = {}): object {
    const issues = refused.issues?.filter((issue) => issue.line !== undefined) ?? [];
    return {
      title: 'staffImport.title',
      maxSize: MAX_IMPORT_SIZE_TEXT,
      ttlMinutes: UPLOAD_TTL_MINUTES,
      columns: IMPORT_COLUMNS.map((column) => ({
        label: `staffImport.column.${column.name}`,
        hint: `staffImport.columnHint.${column.name}`,
        headers: column.headers.join('、'),
        required: !!column.required,
      })),
      issues: issues.map((issue) => this.sentence(locale, issue)),
      issueLines: new Set(issues.map((issue) => issue.line)).size,
      issuesId: ISSUES_ID,
      ...(refused.formErrors ? { formErrors: refused.formErrors } : {}),
    };
  }

  /** The preview of an uploaded file (or, once imported, what the import did). */
  async preview(actor: Actor, id: string): Promise<object> {
    const upload = await this.uploads.find(actor, id);
    const changes = upload.created + upload.updated;
    return {
      title: upload.usedAt ? 'staffImport.done.title' : 'staffImport.preview.title',
      upload,
      changes,
      action: `/staff/import/${upload.id}`,
    };
  }

  /** One problem as a sentence: where (line, column) and what, in the page's language. */
  sentence(locale: Locale, issue: ImportIssue): string {
    const t = (key: string, values: Record<string, unknown> = {}, fallback?: string) => this.i18n.translate(locale, key, values, fallback);
    const values = { ...issue.values, max: issue.values?.max ?? '' };
    const message =
      issue.code === 'invalid'
        ? t(`staffImport.invalid.${issue.field}`, values, 'staffImport.issue.invalid')
        : issue.code === 'unknownColumn'
          ? t('staffImport.issue.unknownColumn', values)
          : t(`staffImport.issue.${issue.code}`, values);
    const column = issue.code === 'unknownColumn' ? t('staffImport.column.header') : t(`staffImport.column.${issue.field}`, {}, 'staffImport.column.file');
    return issue.line !== undefined ? t('staffImport.issueAt', { line: issue.line, column, message }) : t('staffImport.issueOf', { column, message });
  }
}
