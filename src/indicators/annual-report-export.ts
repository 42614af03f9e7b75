import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { CSV_BOM, CSV_CONTENT_TYPE, csvLine } from '../audit-trail/audit-trail-csv.js';
import type { Actor } from '../common/actor.js';
import { EXCEL_DATE_FORMAT, excelDate, formatDateTime } from '../common/dates.js';
import type { Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { XLSX_CONTENT_TYPE } from '../controls/statement-of-applicability.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { localeOfReader } from '../training/training-figures-export.js';
import { AnnualReportService } from './annual-report.service.js';
import type { AnnualIndicatorView, AnnualReportView } from './dto/annual-report.dto.js';
import { counterOf, noTarget } from './indicator-words.js';

export { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE };
export type AnnualReportFileFormat = 'xlsx' | 'csv';

/** A file to send. */
export interface AnnualReportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** A cell: text, a number, a calendar day `{ day }` (a real date in the workbook, `YYYY/MM/DD` in the CSV), nothing. */
type Cell = string | number | null | { day: string | null };

/** One table of the report: a heading (its sheet), the column headers and the rows. */
export interface ReportTable {
  key: string;
  /** the sheet it is on (its plan item) */
  title: string;
  /** what the table holds */
  caption: string;
  headers: string[];
  widths: number[];
  rows: Cell[][];
}

const csvCell = (cell: Cell): string | number => (cell === null ? '' : typeof cell === 'object' ? (cell.day ?? '').replace(/-/g, '/') : cell);

/** The words of the report in a language. */
export function annualReportWords(locale: Locale) {
  const t = (key: string, values?: Record<string, unknown>) => message(locale, `annualReport.${key}`, values);
  const status = (value: string) => t(`status.${value}`);
  /** a figure's status word: 目標なし for a value without a target (the API's `no_data`) */
  const statusOf = (value: AnnualIndicatorView['status'], figure: number | null, target: number | null) =>
    noTarget(value, figure, target) ? t('status.no_target') : status(value);
  /** the unit's word: ％, the indicator's counter word of a count (人, 回, 件), はい／いいえ */
  const unitOf = (row: Pick<AnnualIndicatorView, 'unit' | 'code'>) => (row.unit === 'count' ? counterOf(row.code, locale) : t(`unit.${row.unit}`));
  const title = (ja: string, en: string | null) => (locale === 'en' && en) || ja;
  const yearLabel = (labels: AnnualReportView['labels']) => (locale === 'ja' ? labels.ja : labels.en);
  return { t, status, statusOf, unitOf, title, yearLabel, list: (items: string[]) => items.join(locale === 'ja' ? '、' : ', ') };
}

/** The indicators table: one row per indicator of the year with last year's beside it. */
export function indicatorTable(report: AnnualReportView, locale: Locale): ReportTable {
  const { t, statusOf, unitOf, title, yearLabel } = annualReportWords(locale);
  const columns: [string, number, (row: AnnualIndicatorView) => Cell][] = [
    ['planItem', 8, (r) => r.planItem],
    ['code', 28, (r) => r.code],
    ['indicator', 40, (r) => title(r.title, r.titleEn)],
    ['unit', 10, (r) => unitOf(r)],
    ['target', 10, (r) => r.target],
    ['value', 10, (r) => r.value],
    ['status', 12, (r) => statusOf(r.status, r.value, r.target)],
    ['previousTarget', 12, (r) => r.previousTarget],
    ['previousValue', 12, (r) => r.previousValue],
    ['previousStatus', 12, (r) => statusOf(r.previousStatus, r.previousValue, r.previousTarget)],
    ['frozen', 10, (r) => (r.frozen ? t('yes') : t('no'))],
    ['currentValue', 12, (r) => (r.changedSinceClose ? r.currentValue : null)],
    ['sourceNote', 40, (r) => r.sourceNote],
  ];
  return {
    key: 'indicators',
    title: t('sheet.indicators'),
    caption: t('page.indicatorsCaption', { year: yearLabel(report.labels), previous: yearLabel(report.previousLabels) }),
    headers: columns.map(([key]) => t(`col.${key}`)),
    widths: columns.map(([, width]) => width),
    rows: report.indicators.map((row) => columns.map(([, , value]) => value(row))),
  };
}

/** The tables of what was done per plan item, III-1 … III-5 (a plan item may have several). */
export function planItemTables(report: AnnualReportView, locale: Locale): ReportTable[] {
  const { t, title, yearLabel } = annualReportWords(locale);
  const m = (key: string) => message(locale, key);
  const year = { year: yearLabel(report.labels) };
  const p = report.planItems;
  const table = (key: string, sheet: string, cols: [string, number][], rows: Cell[][]): ReportTable => ({
    key,
    title: t(`sheet.${sheet}`),
    caption: t(`page.${key}Caption`, year),
    headers: cols.map(([c]) => t(`col.${c}`)),
    widths: cols.map(([, w]) => w),
    rows,
  });
  const planState = p.plan.version === null ? t('plan.none') : p.plan.inForce ? t('plan.inForce') : t('plan.overdue');
  return [
    table(
      'controls',
      'iii1',
      [
        ['controlStatus', 20],
        ['count', 10],
      ],
      [...p.controls.map((r) => [t(`controlStatus.${r.key}`), r.count]), [t('total'), p.controls.reduce((s, r) => s + r.count, 0)]],
    ),
    table(
      'courses',
      'iii2',
      [
        ['course', 40],
        ['kind', 20],
        ['dueOn', 16],
        ['enrolled', 10],
        ['exempt', 10],
        ['completed', 10],
        ['rate', 10],
      ],
      p.courses.map((r) => [title(r.title, r.titleEn), m(`trainingFigures.kind.${r.kind}`), { day: r.dueOn }, r.enrolled, r.exempt, r.completed, r.rate]),
    ),
    table(
      'mailDrills',
      'iii2',
      [
        ['mailDrill', 40],
        ['dueOn', 16],
        ['recipients', 10],
        ['reported', 10],
        ['clicked', 12],
      ],
      p.mailDrills.map((r) => [title(r.title, r.titleEn), { day: r.dueOn }, r.recipients, r.reported, r.clicked]),
    ),
    table(
      'audits',
      'iii3',
      [
        ['reference', 14],
        ['audit', 36],
        ['kind', 16],
        ['auditStatus', 16],
        ['plannedStart', 16],
        ['plannedEnd', 16],
        ['reportedOn', 16],
        ['findingsHigh', 10],
        ['findingsMedium', 10],
        ['findingsLow', 10],
      ],
      p.audits.map((r) => [
        r.reference,
        r.title,
        m(`auditReport.kind.${r.kind}`),
        m(`auditReport.status.${r.status}`),
        { day: r.plannedStart },
        { day: r.plannedEnd },
        { day: r.reportedOn },
        r.findings.high ?? 0,
        r.findings.medium ?? 0,
        r.findings.low ?? 0,
      ]),
    ),
    table(
      'findings',
      'iii3',
      [
        ['findingsRaised', 16],
        ['findingsVerified', 14],
        ['findingsOpen', 10],
      ],
      [[p.findings.raised, p.findings.verified, p.findings.open]],
    ),
    table(
      'reviews',
      'iii4',
      [
        ['policy', 40],
        ['dueOn', 16],
        ['reviewedOn', 16],
        ['outcome', 12],
      ],
      p.reviews.map((r) => [title(r.policy, r.policyEn), { day: r.dueOn }, { day: r.reviewedOn }, t(`outcome.${r.outcome}`)]),
    ),
    table(
      'incidents',
      'iii4',
      [
        ['severity', 24],
        ['count', 10],
      ],
      [
        ...p.incidents.map((r): Cell[] => [r.key === 'unassessed' ? t('severity.unassessed') : m(`incident.severity.${r.key}`), r.count]),
        [t('total'), p.incidents.reduce((s, r) => s + r.count, 0)],
        [t('nearMisses'), p.nearMisses],
      ],
    ),
    table(
      'plan',
      'iii5',
      [
        ['planVersion', 18],
        ['approvedOn', 16],
        ['nextReview', 16],
        ['planInForce', 30],
      ],
      [[p.plan.version, { day: p.plan.approvedOn }, { day: p.plan.nextReviewDue }, planState]],
    ),
    table(
      'drills',
      'iii5',
      [
        ['drill', 36],
        ['kind', 14],
        ['date', 16],
        ['drillStatus', 12],
        ['invited', 10],
        ['present', 10],
        ['attendanceRate', 10],
        ['stepsOnTime', 12],
        ['stepsLate', 12],
        ['stepsNotDone', 12],
      ],
      p.drills.map((r) => [
        r.title,
        m(`drills.kind.${r.kind}`),
        { day: r.date },
        m(`drills.status.${r.status}`),
        r.invited,
        r.present,
        r.attendanceRate,
        r.stepsOnTime,
        r.stepsLate,
        r.stepsNotDone,
      ]),
    ),
  ];
}

/** The summary rows: the year both ways, the close (when, by whom, the audit trail's hash). */
function summaryRows(report: AnnualReportView, locale: Locale): [string, Cell][] {
  const { t } = annualReportWords(locale);
  const c = report.closed;
  return [
    [t('field.era'), report.labels.era],
    [t('field.western'), report.labels.western],
    [t('field.fiscalYear'), locale === 'ja' ? report.labels.ja : report.labels.en],
    [t('field.previousYear'), locale === 'ja' ? report.previousLabels.ja : report.previousLabels.en],
    [t('field.asOf'), { day: report.asOf }],
    [t('field.closed'), c ? t('closed.yes') : t('closed.no')],
    ...(c
      ? ([
          [t('field.closedAt'), formatDateTime(c.closedAt, locale)],
          [t('field.closedBy'), c.closedBy],
          [t('field.auditTrailSeq'), c.auditTrailSeq],
          [t('field.auditTrailHash'), c.auditTrailHash],
        ] as [string, Cell][])
      : []),
    ...(report.changedSinceClose ? ([[t('col.currentValue'), t('changed.notice')]] as [string, Cell][]) : []),
    [t('field.generatedAt'), formatDateTime(report.generatedAt, locale)],
  ];
}

/**
 * The annual report as a workbook (概要, 指標, then a sheet per plan item III-1 … III-5 with its
 * tables one under the other; real dates) or as CSV (UTF-8 with a byte-order mark, CRLF): the
 * indicators table first, then each plan item's table after a blank line and a heading row, and last
 * the summary (the year both ways, the close and the audit trail's hash) as name/value rows. Headers
 * and words in the reader's language; each export is recorded in the audit trail.
 */
@Injectable()
export class AnnualReportExport {
  constructor(
    private readonly reports: AnnualReportService,
    private readonly uow: UnitOfWork,
  ) {}

  async file(actor: Actor, fiscalYear: number, format: AnnualReportFileFormat, lang?: Locale): Promise<AnnualReportFile> {
    const locale = lang ?? localeOfReader(actor);
    const report = await this.reports.report(actor, fiscalYear);
    const body = format === 'csv' ? annualReportCsv(report, locale) : await annualReportWorkbook(report, locale);
    await this.uow.run(actor, async (tx) =>
      tx.audit({
        action: 'annual_report.export',
        entityType: 'fiscal_year_close',
        entityId: null,
        context: { fiscalYear, format, locale, closed: report.closed !== null },
      }),
    );
    return annualReportFile(report, format, body);
  }

  static streamable(file: AnnualReportFile): StreamableFile {
    return new StreamableFile(file.body, { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` });
  }
}

export function annualReportFile(report: AnnualReportView, format: AnnualReportFileFormat, body: Buffer): AnnualReportFile {
  return { fileName: `annual-report-FY${report.fiscalYear}.${format}`, contentType: format === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE, body };
}

/** The CSV: the indicators table, then each plan item's table after a blank line and a heading row, the summary last. */
export function annualReportCsv(report: AnnualReportView, locale: Locale): Buffer {
  const main = indicatorTable(report, locale);
  const lines = [CSV_BOM + csvLine(main.headers), ...main.rows.map((row) => csvLine(row.map(csvCell)))];
  for (const table of planItemTables(report, locale)) {
    lines.push('\r\n', csvLine([`${table.title}：${table.caption}`]), csvLine(table.headers), ...table.rows.map((row) => csvLine(row.map(csvCell))));
  }
  // last, the summary: the year both ways, the close (when, the audit trail's hash)
  lines.push(
    '\r\n',
    csvLine([annualReportWords(locale).t('sheet.summary')]),
    ...summaryRows(report, locale).map(([name, value]) => csvLine([name, csvCell(value)])),
  );
  return Buffer.from(lines.join(''), 'utf8');
}

/** The workbook: 概要, 指標, then a sheet per plan item. */
export async function annualReportWorkbook(report: AnnualReportView, locale: Locale): Promise<Buffer> {
  const { t } = annualReportWords(locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mamori';
  workbook.created = new Date();
  const put = (sheet: ExcelJS.Worksheet, values: Cell[]): ExcelJS.Row => {
    const row = sheet.addRow(values.map((cell) => (cell !== null && typeof cell === 'object' ? (excelDate(cell.day) ?? '') : (cell ?? ''))));
    values.forEach((cell, i) => {
      if (cell !== null && typeof cell === 'object') row.getCell(i + 1).numFmt = EXCEL_DATE_FORMAT[locale];
    });
    return row;
  };

  const summary = workbook.addWorksheet(t('sheet.summary'));
  summary.columns = [{ width: 34 }, { width: 80 }];
  put(summary, [`${t('title')} ${locale === 'ja' ? report.labels.ja : report.labels.en}`]).font = { bold: true, size: 14 };
  for (const [name, value] of summaryRows(report, locale)) put(summary, [name, value]).getCell(1).font = { bold: true };

  const main = indicatorTable(report, locale);
  const indicators = workbook.addWorksheet(main.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  indicators.columns = main.widths.map((width) => ({ width }));
  put(indicators, main.headers).font = { bold: true };
  for (const row of main.rows) put(indicators, row);
  indicators.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: main.headers.length } };

  const sheets = new Map<string, ExcelJS.Worksheet>();
  for (const table of planItemTables(report, locale)) {
    let sheet = sheets.get(table.title);
    if (!sheet) {
      sheet = workbook.addWorksheet(table.title);
      sheets.set(table.title, sheet);
    } else sheet.addRow([]);
    table.widths.forEach((width, i) => {
      const column = sheet!.getColumn(i + 1);
      column.width = Math.max(column.width ?? 0, width);
    });
    put(sheet, [table.caption]).font = { bold: true, size: 12 };
    put(sheet, table.headers).font = { bold: true };
    for (const row of table.rows) put(sheet, row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
