import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { MAX_IMPORT_SIZE_TEXT } from '../../staff/staff-import-upload.interceptor.js';
import { DRILL_FORMATS, GOPHISH_STATUSES, type DrillIssue } from '../../training/mail-drill-csv.js';
import { DRILL_UPLOAD_TTL_MINUTES, MailDrillUploadsService } from '../../training/mail-drill-uploads.service.js';
import { MailDrillResultsService } from '../../training/mail-drill-results.service.js';
import { type DrillImportResult } from '../../training/mail-drills.service.js';
import { TRAINING } from '../../training/training.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { pagerFor } from '../pagination.js';

/** The page's id of the list of bad rows (the error summary links to it, and it takes the focus from there). */
export const ISSUES_ID = 'drill-issues';

/** What the results list can be narrowed to. */
export const DRILL_SHOWS = ['all', 'clickedNotReported', 'clicked', 'reported', 'notReported'] as const;
export type DrillShow = (typeof DRILL_SHOWS)[number];

const FILTERS: Record<DrillShow, { clicked?: boolean; reported?: boolean }> = {
  all: {},
  clickedNotReported: { clicked: true, reported: false },
  clicked: { clicked: true },
  reported: { reported: true },
  notReported: { reported: false },
};

/** The counts a preview or a finished import shows, in the order of the page. */
export function importCounts(result: DrillImportResult): { key: string; count: number }[] {
  return [
    { key: 'mailDrills.count.rows', count: result.rows },
    { key: 'mailDrills.count.sent', count: result.sent },
    { key: 'mailDrills.count.opened', count: result.opened },
    { key: 'mailDrills.count.clicked', count: result.clicked },
    { key: 'mailDrills.count.submittedData', count: result.submittedData },
    { key: 'mailDrills.count.reported', count: result.reported },
    { key: 'mailDrills.count.clickedNotReported', count: result.clickedNotReported },
  ];
}

/**
 * 標的型メール訓練: the data of the drill pages: the drills, one drill's page (upload form, figures by
 * department, results per person), and the preview of a checked file. Every problem of a refused
 * file is worded here from its stable code: 「12行目 状態：…」 (an ideographic space after the line).
 */
@Injectable()
export class MailDrillPagesService {
  constructor(
    private readonly drills: MailDrillResultsService,
    private readonly uploads: MailDrillUploadsService,
    private readonly i18n: I18nService,
  ) {}

  /** The targeted-mail drills, newest fiscal year first, with their rates. */
  async list(actor: Actor): Promise<object> {
    const drills = await this.drills.drills(actor);
    return {
      title: 'mailDrills.title',
      drills: drills.map((drill) => ({
        href: `/training/courses/${drill.id}/drill-results`,
        title: drill.title,
        titleEn: drill.titleEn,
        fiscalYear: drill.fiscalYear,
        recipients: drill.recipients,
        reportRate: drill.recipients ? drill.reported / drill.recipients : null,
        clickRate: drill.recipients ? drill.clicked / drill.recipients : null,
      })),
    };
  }

  /**
   * One drill's page: the upload form (the security office), the figures by department and the
   * results per person (a manager: their department's), and, when a file was refused, its bad rows.
   */
  async drill(
    actor: Actor,
    locale: Locale,
    courseId: string,
    query: { show?: DrillShow; page?: number },
    refused: { formErrors?: FormErrors; issues?: readonly DrillIssue[]; format?: string } = {},
  ): Promise<object> {
    const show = query.show ?? 'all';
    const page = await this.drills.results(actor, courseId, { page: query.page ?? 1, pageSize: 50, ...FILTERS[show] });
    const figures = await this.drills.drillFigures(actor, { fiscalYear: page.course.fiscalYear, courseId });
    const path = `/training/courses/${courseId}/drill-results`;
    const issues = refused.issues ?? [];
    const chosenFormat = refused.format && (DRILL_FORMATS as readonly string[]).includes(refused.format) ? refused.format : 'auto';
    return {
      title: 'mailDrill.title',
      titleDetail: { ja: page.course.title, en: page.course.titleEn ?? page.course.title },
      course: page.course,
      action: path,
      canImport: may(actor, TRAINING.import_drill_results),
      maxSize: MAX_IMPORT_SIZE_TEXT,
      ttlMinutes: DRILL_UPLOAD_TTL_MINUTES,
      formats: ['auto', ...DRILL_FORMATS].map((value) => ({ value, checked: value === chosenFormat })),
      statuses: Object.keys(GOPHISH_STATUSES).join('、'),
      issues: issues.map((issue) => this.sentence(locale, issue)),
      issueLines: new Set(issues.map((issue) => issue.line)).size,
      issuesId: ISSUES_ID,
      figures: { departments: figures.departments, total: figures.total },
      shows: DRILL_SHOWS.map((value) => ({ value, selected: value === show })),
      show,
      rows: page.items.map((item) => ({
        ...item,
        name: `${item.familyName} ${item.givenName}`,
        followUp: item.followUpCompleted ? 'completed' : item.followUpEnrolled ? 'enrolled' : null,
      })),
      pager: pagerFor(page, path, { show: show === 'all' ? undefined : show }),
      ...(refused.formErrors ? { formErrors: refused.formErrors } : {}),
    };
  }

  /** The preview of a checked file: what the import will do. */
  async preview(actor: Actor, courseId: string, uploadId: string): Promise<object> {
    const upload = await this.uploads.find(actor, courseId, uploadId);
    const course = await this.drills.drill(actor, courseId);
    const p = upload.preview;
    return {
      title: 'mailDrillPreview.title',
      titleDetail: { ja: course.title, en: course.titleEn ?? course.title },
      course,
      upload,
      counts: importCounts(p),
      back: `/training/courses/${courseId}/drill-results`,
      action: `/training/courses/${courseId}/drill-results/uploads/${upload.id}`,
    };
  }

  /** One problem as a sentence: where (line, column) and what, in the page's language. */
  sentence(locale: Locale, issue: DrillIssue): string {
    const t = (key: string, values: Record<string, unknown> = {}, fallback?: string) => this.i18n.translate(locale, key, values, fallback);
    const message = t(`mailDrills.issue.${issue.code}`, { ...issue.values }, 'mailDrills.issue.malformed');
    const column = t(`mailDrills.column.${issue.field}`, {}, 'mailDrills.column.file');
    return t('mailDrills.issueAt', { line: issue.line, column, message });
  }
}
