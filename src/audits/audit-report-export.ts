import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Actor } from '../common/actor.js';
import { EXCEL_DATE_FORMAT, excelDate, formatDateTime, formatFiscalYear } from '../common/dates.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { XLSX_CONTENT_TYPE } from '../controls/statement-of-applicability.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import {
  AuditReportService,
  type ConformanceFigures,
  type DepartmentConformance,
  type ReportAction,
  type ReportFinding,
  type ReportItem,
} from './audit-report.service.js';
import { CHECKLIST_RESULTS } from './checklist-item.entity.js';

export { XLSX_CONTENT_TYPE };

/** The language a reader set for themselves (their staff record's), else Japanese. */
function localeOfReader(actor: Actor): Locale {
  const locale = (actor.person as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** A cell of the workbook: text, a count, a share (a percentage cell), a calendar day (a date cell). */
type Cell = string | number | null | { percent: number | null } | { day: string | null };

interface Column<R> {
  key: string;
  width: number;
  value: (row: R) => Cell;
}

/**
 * The audit report as a workbook, holding everything the report page shows and every checklist item:
 * 概要 (the audit, scope, team, dates, status, overall rate and counts, the auditors' notes, the
 * CISO's acceptance), 章別 and 課別 (conformance by chapter and department, with the total),
 * 指摘事項 (each finding with each of its corrective actions), 監査項目 (every item with its result
 * and note). Headers and words in the reader's language; moments in Asia/Tokyo. The export is
 * recorded in the audit trail.
 */
@Injectable()
export class AuditReportExport {
  constructor(
    private readonly reports: AuditReportService,
    private readonly uow: UnitOfWork,
  ) {}

  async workbook(actor: Actor, auditId: string, lang?: Locale): Promise<{ fileName: string; body: Buffer }> {
    const locale = lang ?? localeOfReader(actor);
    const report = await this.reports.report(actor, auditId);
    const items = await this.reports.everyItem(actor, report);
    const t = (key: string, values?: Record<string, unknown>) => message(locale, `auditReport.${key}`, values);
    const list = (names: string[]) => names.join(locale === 'ja' ? '、' : ', ');
    const department = (name: string | null, nameEn: string | null) => (locale === 'en' && nameEn) || name || '';

    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Mamori';
    workbook.created = new Date();

    // 概要
    const { audit } = report;
    const summary = workbook.addWorksheet(t('sheet.summary'));
    summary.columns = [
      { key: 'name', width: 26 },
      { key: 'value', width: 80 },
    ];
    const chapters = audit.scope.chapters?.length ? list(audit.scope.chapters.map((c) => message(locale, `chapter.${c}`))) : t('scope.allChapters');
    const scope = [
      chapters,
      ...(audit.scope.essentialOnly ? [t('scope.essentialOnly')] : []),
      ...(audit.scope.controlIds?.length ? [t('scope.named', { count: audit.scope.controlIds.length })] : []),
    ];
    const rows: [string, Cell][] = [
      [t('field.audit'), `${audit.reference} ${audit.title}`],
      [t('field.kind'), t(`kind.${audit.kind}`)],
      [t('field.fiscalYear'), formatFiscalYear(audit.fiscalYear, locale)],
      [t('field.status'), t(`status.${audit.status}`)],
      [t('field.scopeControls'), list(scope)],
      [t('field.scopeDepartments'), list(report.departmentNames.map((d) => department(d.name, d.nameEn)))],
      ...(report.departmentId ? ([[t('field.heldTo'), t('heldTo')]] as [string, Cell][]) : []),
      [t('field.leadAuditor'), report.leadAuditor.name],
      [t('field.auditors'), report.auditors.length ? list(report.auditors.map((p) => p.name)) : t('none')],
      [t('field.plannedStart'), { day: audit.plannedStart }],
      [t('field.plannedEnd'), { day: audit.plannedEnd }],
      [t('field.startedAt'), formatDateTime(audit.startedAt, locale)],
      [t('field.reportedAt'), formatDateTime(audit.reportedAt, locale)],
      [t('col.items'), report.overall.items],
      [t('col.answered'), report.overall.answered],
      ...CHECKLIST_RESULTS.map((result): [string, Cell] => [t(`result.${result}`), report.overall.byResult[result]]),
      [t('col.applicable'), report.overall.applicable],
      [t('field.overallRate'), { percent: report.overall.rate }],
      [t('field.rateRule'), t('rateRule')],
      [t('field.findings'), report.findings.length],
      [t('field.summary'), audit.summary || t('none')],
      [t('field.acceptedAt'), formatDateTime(audit.acceptedAt, locale)],
      [t('field.acceptedBy'), report.acceptedBy?.name ?? ''],
      [t('field.acceptanceNote'), audit.acceptanceNote ?? ''],
    ];
    for (const [name, value] of rows) {
      const row = summary.addRow({ name });
      setCell(row.getCell('value'), value, locale);
      row.getCell('value').alignment = { wrapText: true, vertical: 'top' };
    }
    summary.getColumn('name').font = { bold: true };

    // 章別, 課別
    const counts = <R extends ConformanceFigures>(): Column<R>[] => [
      { key: 'items', width: 10, value: (r) => r.items },
      { key: 'answered', width: 10, value: (r) => r.answered },
      ...CHECKLIST_RESULTS.map((result) => ({ key: result, width: 14, value: (r: R) => r.byResult[result] })),
      { key: 'applicable', width: 12, value: (r) => r.applicable },
      { key: 'rate', width: 10, value: (r) => ({ percent: r.rate }) },
    ];
    const header = (key: string) => (CHECKLIST_RESULTS.includes(key as never) ? t(`result.${key}`) : t(`col.${key}`));
    const total = { ...report.overall, total: true as const };
    sheet<ConformanceFigures & { chapter?: number; total?: true }>(
      workbook,
      t('sheet.byChapter'),
      [{ key: 'chapter', width: 36, value: (r) => (r.total ? t('total') : message(locale, `chapter.${r.chapter}`)) }, ...counts()],
      [...report.byChapter, total],
      header,
      locale,
      total,
    );
    sheet<ConformanceFigures & Partial<Pick<DepartmentConformance, 'departmentCode' | 'departmentName' | 'departmentNameEn'>> & { total?: true }>(
      workbook,
      t('sheet.byDepartment'),
      [
        { key: 'departmentCode', width: 12, value: (r) => (r.total ? '' : (r.departmentCode ?? '')) },
        { key: 'department', width: 26, value: (r) => (r.total ? t('total') : department(r.departmentName ?? null, r.departmentNameEn ?? null)) },
        ...counts(),
      ],
      [...report.byDepartment, total],
      header,
      locale,
      total,
    );

    // 指摘事項: a row per corrective action (a finding without one: a row of its own)
    type FindingRow = { finding: ReportFinding; action: ReportAction | null };
    const findingRows = report.findings.flatMap((finding): FindingRow[] =>
      finding.actions.length ? finding.actions.map((action) => ({ finding, action })) : [{ finding, action: null }],
    );
    sheet<FindingRow>(
      workbook,
      t('sheet.findings'),
      [
        { key: 'reference', width: 16, value: (r) => r.finding.reference },
        { key: 'title', width: 40, value: (r) => r.finding.title },
        { key: 'description', width: 50, value: (r) => r.finding.description },
        { key: 'severity', width: 10, value: (r) => t(`severity.${r.finding.severity}`) },
        { key: 'findingStatus', width: 14, value: (r) => t(`findingStatus.${r.finding.status}`) },
        { key: 'ownerDepartment', width: 20, value: (r) => department(r.finding.ownerDepartmentName, r.finding.ownerDepartmentNameEn) },
        { key: 'control', width: 10, value: (r) => r.finding.controlCode ?? '' },
        { key: 'origin', width: 16, value: (r) => t(r.finding.checklistItemId ? 'origin.checklist' : 'origin.manual') },
        { key: 'findingDue', width: 16, value: (r) => ({ day: r.finding.dueDate }) },
        { key: 'action', width: 40, value: (r) => r.action?.description ?? t('noAction') },
        { key: 'assignee', width: 16, value: (r) => r.action?.assigneeName ?? '' },
        { key: 'actionDue', width: 16, value: (r) => ({ day: r.action?.dueDate ?? null }) },
        { key: 'actionStatus', width: 12, value: (r) => (r.action ? t(`actionStatus.${r.action.status}`) : '') },
        { key: 'verifiedAt', width: 18, value: (r) => formatDateTime(r.action?.verifiedAt ?? null, locale) },
      ],
      findingRows,
      (key) => t(`col.${key}`),
      locale,
    );

    // 監査項目: every item
    sheet<ReportItem>(
      workbook,
      t('sheet.items'),
      [
        { key: 'control', width: 10, value: (r) => r.controlCode },
        { key: 'chapter', width: 8, value: (r) => r.chapter },
        { key: 'controlTitle', width: 40, value: (r) => (locale === 'en' && r.controlTitleEn) || r.controlTitle },
        { key: 'departmentCode', width: 12, value: (r) => r.departmentCode },
        { key: 'department', width: 20, value: (r) => department(r.departmentName, r.departmentNameEn) },
        { key: 'result', width: 16, value: (r) => (r.result ? t(`result.${r.result}`) : t('unanswered')) },
        { key: 'note', width: 60, value: (r) => r.note ?? '' },
        { key: 'answeredBy', width: 16, value: (r) => r.answeredByName ?? '' },
        { key: 'answeredAt', width: 18, value: (r) => formatDateTime(r.answeredAt, locale) },
        { key: 'reference', width: 16, value: (r) => r.findingReference ?? '' },
      ],
      items,
      (key) => t(`col.${key}`),
      locale,
    );

    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.uow.run(actor, async (tx) =>
      tx.audit({
        action: 'audit.report_export',
        entityType: 'audit',
        entityId: audit.id,
        context: { locale, items: items.length, findings: report.findings.length, ...(report.departmentId ? { departmentId: report.departmentId } : {}) },
      }),
    );
    return { fileName: `audit-report-${audit.reference}.xlsx`, body };
  }

  /** The workbook as an HTTP attachment (API and pages alike). */
  static streamable(file: { fileName: string; body: Buffer }): StreamableFile {
    return new StreamableFile(file.body, { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${file.fileName}"` });
  }
}

function setCell(cell: ExcelJS.Cell, value: Cell, locale: Locale): void {
  if (value !== null && typeof value === 'object' && 'percent' in value) {
    cell.value = value.percent ?? '—';
    if (value.percent !== null) cell.numFmt = '0.0%';
  } else if (value !== null && typeof value === 'object' && 'day' in value) {
    const day = excelDate(value.day);
    cell.value = day ?? '';
    if (day) cell.numFmt = EXCEL_DATE_FORMAT[locale];
  } else cell.value = value ?? '';
}

/** A sheet of rows: a frozen bold header with filters; the row of the total (`total`) in bold. */
function sheet<R>(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: Column<R>[],
  rows: readonly R[],
  header: (key: string) => string,
  locale: Locale,
  total?: R,
): void {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((column) => ({ header: header(column.key), key: column.key, width: column.width }));
  for (const values of rows) {
    const row = ws.addRow([]);
    columns.forEach((column, i) => setCell(row.getCell(i + 1), column.value(values), locale));
    if (values === total) row.font = { bold: true };
  }
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}
