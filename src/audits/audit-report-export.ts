import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '../common/actor.js';
import { EXCEL_DATE_FORMAT, excelDate, formatDateTime, formatFiscalYear } from '../common/dates.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { assertMay } from '../common/permissions.js';
import { XLSX_CONTENT_TYPE } from '../controls/statement-of-applicability.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import {
  AuditReportService,
  type AuditReport,
  type ConformanceFigures,
  type DepartmentConformance,
  type ReportAction,
  type ReportFinding,
  type ReportItem,
  type ReportSnapshot,
} from './audit-report.service.js';
import { AUDITS } from './audits.permissions.js';
import { CHECKLIST_RESULTS } from './checklist-item.entity.js';

export { XLSX_CONTENT_TYPE };

/** The 監査項目 sheet's items read at a time (one keyset statement each). */
export const EXPORT_BATCH = 2_000;
/** The sheet's bytes written but not yet taken into the zip beyond which the next batch waits (a slow download holds it back). */
const MAX_BACKLOG = 1024 * 1024;
/** A download that takes nothing for this long is ended (it would hold its transaction, and a connection, open). */
const STALL_LIMIT_MS = 120_000;

/** The workbook being written: its name, and its bytes as they come. */
export interface AuditReportFile {
  fileName: string;
  stream: Readable;
}

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
 *
 * It is written as it is sent (exceljs's streaming writer, each row committed as it is made): the
 * items come from the database EXPORT_BATCH at a time, and the next batch waits while the download
 * has not taken the last, so an audit of 100,000 items is never held in memory. Everything the
 * workbook shows is read in one read-only REPEATABLE READ transaction (AuditReportService.snapshot),
 * which lasts as long as the download: the figures and the rows agree while the audit is answered.
 */
@Injectable()
export class AuditReportExport {
  private readonly logger = new Logger(AuditReportExport.name);

  constructor(
    private readonly reports: AuditReportService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Checks the reader may see the audit (404 otherwise), reads its figures, records the export and
   * returns the workbook's stream; the rest is written while it is read.
   */
  async workbook(actor: Actor, auditId: string, lang?: Locale): Promise<AuditReportFile> {
    assertMay(actor, AUDITS.read);
    const locale = lang ?? localeOfReader(actor);
    const snapshot = await this.reports.snapshot();
    let report: AuditReport;
    try {
      report = await this.reports.reportIn(actor, snapshot.manager, auditId, 0);
      await this.uow.run(actor, async (tx) =>
        tx.audit({
          action: 'audit.report_export',
          entityType: 'audit',
          entityId: report.audit.id,
          context: {
            locale,
            items: report.overall.items,
            findings: report.findings.length,
            ...(report.departmentId ? { departmentId: report.departmentId } : {}),
          },
        }),
      );
    } catch (error) {
      await snapshot.close();
      throw error;
    }
    const stream = new PassThrough();
    this.write(stream, report, snapshot, locale)
      .catch((error: unknown) => {
        if (stream.destroyed && !stream.writableFinished) return; // the reader went away: nothing to tell
        this.logger.error(`the workbook of audit ${report.audit.id} failed while it was written`, error instanceof Error ? error.stack : String(error));
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => snapshot.close().catch((error: unknown) => this.logger.error('closing the report snapshot failed', String(error))));
    return { fileName: `audit-report-${report.audit.reference}.xlsx`, stream };
  }

  /** The workbook as an HTTP attachment (API and pages alike). */
  static streamable(file: AuditReportFile): StreamableFile {
    return new StreamableFile(file.stream, { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${file.fileName}"` });
  }

  /** Writes the sheets into `out`, one row at a time; stops when `out` is destroyed (the reader went away). */
  private async write(out: PassThrough, report: AuditReport, snapshot: ReportSnapshot, locale: Locale): Promise<void> {
    const t = (key: string, values?: Record<string, unknown>) => message(locale, `auditReport.${key}`, values);
    const list = (names: string[]) => names.join(locale === 'ja' ? '、' : ', ');
    const department = (name: string | null, nameEn: string | null) => (locale === 'en' && nameEn) || name || '';

    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = 'Mamori';
    workbook.created = new Date();
    // the zip's errors end the download (an 'error' without a listener would end the process)
    (workbook as unknown as { zip?: NodeJS.EventEmitter }).zip?.on('error', (error: Error) => out.destroy(error));

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
      row.getCell('name').font = { bold: true };
      setCell(row.getCell('value'), value, locale);
      row.getCell('value').alignment = { wrapText: true, vertical: 'top' };
      row.commit();
    }
    summary.commit();

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
    const byChapter = sheet<ConformanceFigures & { chapter?: number; total?: true }>(
      workbook,
      t('sheet.byChapter'),
      [{ key: 'chapter', width: 36, value: (r) => (r.total ? t('total') : message(locale, `chapter.${r.chapter}`)) }, ...counts()],
      header,
      locale,
    );
    for (const row of report.byChapter) byChapter.add(row);
    byChapter.add(total, true);
    byChapter.commit();
    const byDepartment = sheet<
      ConformanceFigures & Partial<Pick<DepartmentConformance, 'departmentCode' | 'departmentName' | 'departmentNameEn'>> & { total?: true }
    >(
      workbook,
      t('sheet.byDepartment'),
      [
        { key: 'departmentCode', width: 12, value: (r) => (r.total ? '' : (r.departmentCode ?? '')) },
        { key: 'department', width: 26, value: (r) => (r.total ? t('total') : department(r.departmentName ?? null, r.departmentNameEn ?? null)) },
        ...counts(),
      ],
      header,
      locale,
    );
    for (const row of report.byDepartment) byDepartment.add(row);
    byDepartment.add(total, true);
    byDepartment.commit();

    // 指摘事項: a row per corrective action (a finding without one: a row of its own)
    type FindingRow = { finding: ReportFinding; action: ReportAction | null };
    const findings = sheet<FindingRow>(
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
      (key) => t(`col.${key}`),
      locale,
    );
    for (const finding of report.findings) {
      if (finding.actions.length) for (const action of finding.actions) findings.add({ finding, action });
      else findings.add({ finding, action: null });
    }
    findings.commit();

    // 監査項目: every item, a batch at a time; the next batch is read while the last one is zipped and sent
    const items = sheet<ReportItem>(
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
      (key) => t(`col.${key}`),
      locale,
    );
    const batches = this.reports.itemBatches(snapshot.manager, report, EXPORT_BATCH);
    try {
      let next = batches.next();
      for (;;) {
        const batch = await next;
        if (batch.done) break;
        next = batches.next(); // read ahead while this batch is written and zipped
        next.catch(() => undefined); // awaited on the next turn; not left unhandled if this one fails first
        for (const item of batch.value) items.add(item);
        await taken(out, items.worksheet);
        if (out.destroyed) return;
      }
    } finally {
      await batches.return(undefined);
    }
    items.commit();
    // the reader going away now would leave the writer waiting for an end that never comes
    await Promise.race([workbook.commit(), once(out, 'close')]);
  }
}

/**
 * Waits while the download has not taken what was written: the response's buffer is full, or the
 * sheet's bytes not yet taken into the zip are more than MAX_BACKLOG (exceljs's sheet stream takes
 * every write at once, so the wait is here). Returns at once when the reader has gone; ends a
 * download that took nothing for STALL_LIMIT_MS.
 */
async function taken(out: PassThrough, worksheet: ExcelJS.Worksheet): Promise<void> {
  const since = Date.now();
  while (!out.destroyed && (out.writableNeedDrain || backlog(worksheet) > MAX_BACKLOG)) {
    if (Date.now() - since > STALL_LIMIT_MS) out.destroy(new Error(`the download took nothing for ${STALL_LIMIT_MS / 1000} s`));
    else await sleep(2);
  }
}

/** The bytes of a streamed sheet written but not yet taken into the zip (0 when exceljs's inner parts are not as expected). */
function backlog(worksheet: ExcelJS.Worksheet): number {
  const buffer = (worksheet as unknown as { stream?: { buffers?: unknown[]; bufSize?: number; pipes?: { writableLength?: number }[] } }).stream;
  if (!buffer) return 0;
  if (buffer.pipes?.length) return buffer.pipes.reduce((sum, pipe) => sum + (pipe.writableLength ?? 0), 0);
  // not yet piped into the zip: it holds everything written so far
  return (buffer.buffers?.length ?? 0) * (buffer.bufSize ?? 0);
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

/** A sheet of rows being written: a frozen bold header with filters; each row committed as it is added, the row of the total in bold. */
function sheet<R>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column<R>[], header: (key: string) => string, locale: Locale) {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((column) => ({ header: header(column.key), key: column.key, width: column.width }));
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return {
    worksheet: ws,
    add(values: R, total = false): void {
      const row = ws.addRow([]);
      columns.forEach((column, i) => setCell(row.getCell(i + 1), column.value(values), locale));
      if (total) row.font = { bold: true };
      row.commit();
    },
    commit(): void {
      ws.commit();
    },
  };
}
