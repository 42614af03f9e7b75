import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { CSV_BOM, CSV_CONTENT_TYPE, csvLine } from '../audit-trail/audit-trail-csv.js';
import type { Actor } from '../common/actor.js';
import { EXCEL_DATE_FORMAT, excelDate, formatFiscalYear } from '../common/dates.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { XLSX_CONTENT_TYPE } from '../controls/statement-of-applicability.service.js';
import type {
  CompletionCountsView,
  CompletionExportQuery,
  CompletionRowView,
  CompletionView,
  NotCompletedExportQuery,
  NotCompletedRowView,
} from './dto/figures.dto.js';
import { TrainingFiguresService } from './training-figures.service.js';

export { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE };
export type ExportFormat = 'xlsx' | 'csv';

/** The language a reader set for themselves (their staff record's), else Japanese. */
export function localeOfReader(actor: Actor): Locale {
  const locale = (actor.person as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** One column of an export: its header key, width, and the cell of a row. */
interface Column<R> {
  key: string;
  width: number;
  value: (row: R) => string | number | null;
  /** says what the row is about (department, course…), rather than a count */
  group?: boolean;
  /** a calendar date `YYYY-MM-DD`: a real date cell in the workbook, `YYYY/MM/DD` in the CSV (Excel reads both as dates) */
  date?: boolean;
  /** a share 0–1: a percentage cell in the workbook, a percentage number in the CSV */
  percent?: boolean;
}

/** The rows of an export, and the names of rows that stand for no group (the total): those fill the first column, and leave the others of the group empty. */
interface Rows<R> {
  rows: readonly R[];
  labels?: Map<R, string>;
}

/** A row's value in a column: a labelled row (the total) has its label in the first column and nothing else but counts. */
function valueOf<R>(columns: Column<R>[], column: Column<R>, row: R, labels: Map<R, string> | undefined): string | number | null {
  const label = labels?.get(row);
  if (label === undefined || !column.group) return column.value(row);
  return column === columns[0] ? label : null;
}

/** A file to send. */
export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** `2023-03-31` → `2023/03/31`, as Excel reads a date in either language. */
const csvDate = (day: string | null): string => (day ? day.replace(/-/g, '/') : '');

/**
 * The exports of the completion figures and the not-completed list (XLSX, and CSV in UTF-8 with a
 * byte-order mark), headers and words in the reader's language; each export is recorded in the
 * audit trail with its filters and row count (the not-completed list names people).
 */
@Injectable()
export class TrainingFiguresExport {
  constructor(
    private readonly figures: TrainingFiguresService,
    private readonly uow: UnitOfWork,
  ) {}

  async completion(actor: Actor, query: CompletionExportQuery, format: ExportFormat): Promise<ExportFile> {
    const locale = query.lang ?? localeOfReader(actor);
    const view = await this.figures.completion(actor, { ...query, groupBy: query.groupBy ?? 'department' });
    const t = (key: string, values?: Record<string, unknown>) => message(locale, `trainingFigures.${key}`, values);
    const columns: Column<CompletionRowView>[] = [...groupColumns(view, locale), ...countColumns<CompletionRowView>()];
    const totalRow: CompletionRowView = { ...view.totals };
    const rows: Rows<CompletionRowView> = { rows: [...view.items, totalRow], labels: new Map([[totalRow, t('total')]]) };
    const name = `training-completion-${view.fiscalYear}-${view.groupBy.replace('_', '-')}-${view.asOf}`;
    const conditions: [string, string | Date][] = [
      [t('cond.fiscalYear'), formatFiscalYear(view.fiscalYear, locale)],
      [t('cond.asOf'), excelDate(view.asOf)!],
      [t('cond.groupBy'), t(`group.${view.groupBy}`)],
      [t('cond.kinds'), view.kinds.map((kind) => t(`kind.${kind}`)).join(locale === 'ja' ? '、' : ', ')],
      [t('cond.scope'), t(`scope.${view.scope}`)],
    ];
    const file =
      format === 'csv' ? csvOf(columns, rows, locale) : await workbookOf(t('sheet.completion'), columns, rows, locale, t('sheet.conditions'), conditions);
    await this.audit(actor, {
      report: 'completion',
      format,
      locale,
      fiscalYear: view.fiscalYear,
      asOf: view.asOf,
      groupBy: view.groupBy,
      rows: view.items.length,
    });
    return { fileName: `${name}.${format}`, contentType: format === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE, body: file };
  }

  async notCompleted(actor: Actor, query: NotCompletedExportQuery, format: ExportFormat): Promise<ExportFile> {
    const locale = query.lang ?? localeOfReader(actor);
    const { lang: _lang, page: _page, pageSize: _pageSize, ...filter } = query;
    const page = await this.figures.notCompleted(actor, { ...filter, page: 1, pageSize: null });
    const t = (key: string, values?: Record<string, unknown>) => message(locale, `trainingFigures.${key}`, values);
    const exempt = page.state === 'exempt';
    const columns: Column<NotCompletedRowView>[] = [
      { key: 'employeeNumber', width: 14, value: (row) => row.employeeNumber },
      { key: 'name', width: 18, value: (row) => row.name },
      { key: 'departmentCode', width: 12, value: (row) => row.departmentCode },
      { key: 'departmentName', width: 24, value: (row) => (locale === 'en' && row.departmentNameEn) || row.departmentName || t('noDepartment') },
      { key: 'course', width: 36, value: (row) => (locale === 'en' && row.courseTitleEn) || row.courseTitle },
      { key: 'kind', width: 20, value: (row) => t(`kind.${row.courseKind}`) },
      { key: 'dueDate', width: 16, value: (row) => row.dueDate, date: true },
      ...(exempt
        ? [
            { key: 'exemptOn', width: 16, value: (row: NotCompletedRowView) => (row.exemptAt ? tokyoDay(row.exemptAt) : null), date: true },
            { key: 'exemptionKind', width: 16, value: (row: NotCompletedRowView) => (row.exemptionKind ? t(`exemptionKind.${row.exemptionKind}`) : '') },
            ...(page.items.some((row) => row.exemptionReason !== undefined)
              ? [{ key: 'exemptionReason', width: 36, value: (row: NotCompletedRowView) => row.exemptionReason ?? '' }]
              : []),
          ]
        : [{ key: 'overdueDays', width: 12, value: (row: NotCompletedRowView) => row.overdueDays }]),
    ];
    const name = `training-${exempt ? 'exempt' : 'not-completed'}-${page.fiscalYear}-${page.asOf}`;
    const conditions: [string, string | Date][] = [
      [t('cond.fiscalYear'), formatFiscalYear(page.fiscalYear, locale)],
      [t('cond.asOf'), excelDate(page.asOf)!],
      [t('cond.state'), t(`state.${page.state}`)],
      [t('cond.count'), String(page.total)],
    ];
    const file =
      format === 'csv'
        ? csvOf(columns, { rows: page.items }, locale)
        : await workbookOf(t(exempt ? 'sheet.exempt' : 'sheet.notCompleted'), columns, { rows: page.items }, locale, t('sheet.conditions'), conditions);
    await this.audit(actor, {
      report: exempt ? 'exempt' : 'not_completed',
      format,
      locale,
      fiscalYear: page.fiscalYear,
      asOf: page.asOf,
      ...(filter.departmentId ? { departmentId: filter.departmentId } : {}),
      ...(filter.courseId ? { courseId: filter.courseId } : {}),
      rows: page.total,
    });
    return { fileName: `${name}.${format}`, contentType: format === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE, body: file };
  }

  /** The file as an HTTP attachment (API and pages alike). */
  static streamable(file: ExportFile): StreamableFile {
    return new StreamableFile(file.body, { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` });
  }

  private async audit(actor: Actor, context: Record<string, unknown>): Promise<void> {
    await this.uow.run(actor, async (tx) => tx.audit({ action: 'training.export', entityType: 'enrolment', entityId: null, context }));
  }
}

/** The day in Tokyo of a moment. */
function tokyoDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** The columns that say what a row of figures is about. */
function groupColumns(view: CompletionView, locale: Locale): Column<CompletionRowView>[] {
  const t = (key: string) => message(locale, `trainingFigures.${key}`);
  switch (view.groupBy) {
    case 'department':
      return [
        { key: 'departmentName', width: 24, group: true, value: (row) => (locale === 'en' && row.departmentNameEn) || row.departmentName || t('noDepartment') },
        { key: 'departmentCode', width: 12, group: true, value: (row) => row.departmentCode ?? '' },
      ];
    case 'course':
      return [
        { key: 'course', width: 36, group: true, value: (row) => (locale === 'en' && row.courseTitleEn) || row.courseTitle || '' },
        { key: 'kind', width: 20, group: true, value: (row) => (row.courseKind ? t(`kind.${row.courseKind}`) : '') },
        { key: 'dueDate', width: 16, group: true, value: (row) => row.dueDate ?? null, date: true },
      ];
    case 'role':
      return [{ key: 'role', width: 30, group: true, value: (row) => (row.role ? message(locale, `role.${row.role}`) : '') }];
    case 'employment_type':
      return [
        { key: 'employmentType', width: 24, group: true, value: (row) => (row.employmentType ? message(locale, `employmentType.${row.employmentType}`) : '') },
      ];
    case 'fiscal_year':
      return [{ key: 'fiscalYear', width: 30, group: true, value: (row) => (row.fiscalYear ? formatFiscalYear(row.fiscalYear, locale) : '') }];
  }
}

function countColumns<R extends CompletionCountsView>(): Column<R>[] {
  return [
    { key: 'enrolled', width: 10, value: (row) => row.enrolled },
    { key: 'exempt', width: 10, value: (row) => row.exempt },
    { key: 'owed', width: 12, value: (row) => row.enrolled - row.exempt },
    { key: 'completed', width: 10, value: (row) => row.completed },
    { key: 'late', width: 12, value: (row) => row.late },
    { key: 'rate', width: 10, value: (row) => row.rate, percent: true },
  ];
}

function header<R>(column: Column<R>, locale: Locale, csv: boolean): string {
  return message(locale, `trainingFigures.col.${column.key}${csv && column.percent ? 'Percent' : ''}`);
}

/** A CSV that Excel opens as UTF-8 (a byte-order mark first), lines ended with CRLF. */
function csvOf<R>(columns: Column<R>[], { rows, labels }: Rows<R>, locale: Locale): Buffer {
  const cell = (column: Column<R>, row: R): string | number => {
    const value = valueOf(columns, column, row, labels);
    if (value === null) return '';
    if (column.date) return csvDate(String(value));
    if (column.percent) return typeof value === 'number' ? Math.round(value * 10_000) / 100 : '';
    return value;
  };
  const lines = [CSV_BOM + csvLine(columns.map((column) => header(column, locale, true)))];
  for (const row of rows) lines.push(csvLine(columns.map((column) => cell(column, row))));
  return Buffer.from(lines.join(''), 'utf8');
}

/** A workbook: the rows (a frozen header, filters, real dates and percentages) and a sheet of the conditions. */
async function workbookOf<R>(
  sheetName: string,
  columns: Column<R>[],
  { rows, labels }: Rows<R>,
  locale: Locale,
  conditionsName: string,
  conditions: [string, string | Date][],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mamori';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: header(column, locale, false),
    key: column.key,
    width: column.width,
    ...(column.date ? { style: { numFmt: EXCEL_DATE_FORMAT[locale] } } : column.percent ? { style: { numFmt: '0.0%' } } : {}),
  }));
  for (const row of rows) {
    const values: Record<string, unknown> = {};
    for (const column of columns) {
      const value = valueOf(columns, column, row, labels);
      values[column.key] = column.date ? (excelDate(value === null ? null : String(value)) ?? '') : (value ?? '');
    }
    const added = sheet.addRow(values);
    if (labels?.has(row)) added.font = { bold: true };
  }
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  const about = workbook.addWorksheet(conditionsName);
  about.columns = [
    { key: 'name', width: 20 },
    { key: 'value', width: 40 },
  ];
  for (const [name, value] of conditions) {
    const added = about.addRow({ name, value });
    if (value instanceof Date) added.getCell('value').numFmt = EXCEL_DATE_FORMAT[locale];
  }
  about.getColumn('name').font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
