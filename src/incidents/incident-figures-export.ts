import { Injectable, StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Actor } from '../common/actor.js';
import { formatFiscalYear } from '../common/dates.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { message } from '../common/messages.js';
import { XLSX_CONTENT_TYPE } from '../controls/statement-of-applicability.service.js';
import {
  INCIDENT_FIGURE_GROUPS,
  type IncidentCountsView,
  type IncidentFiguresExportQuery,
  type IncidentFiguresRowView,
  type IncidentFiguresView,
} from './dto/figures.dto.js';
import { IncidentFiguresService } from './incident-figures.service.js';

export { XLSX_CONTENT_TYPE };

/** The language a reader set for themselves (their staff record's), else Japanese. */
function localeOfReader(actor: Actor): Locale {
  const locale = (actor.person as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** One column of a sheet: its header key, width and the cell of a row. */
interface Column {
  key: string;
  width: number;
  value: (row: IncidentFiguresRowView) => string | number | null;
}

/** What a row is about, in the reader's words (「重大度 L2」「情報漏えい」「総務課」; the unassessed named as such). */
export function groupLabel(view: Pick<IncidentFiguresView, 'groupBy'>, row: IncidentFiguresRowView, locale: Locale): string {
  const t = (key: string) => message(locale, `incidentFigures.${key}`);
  switch (view.groupBy) {
    case 'severity':
      return row.severity ? t(`severity.${row.severity}`) : t('untriaged');
    case 'category':
      return row.category ? t(`category.${row.category}`) : t('untriaged');
    case 'department':
      return (locale === 'en' && row.departmentNameEn) || row.departmentName || t('noDepartment');
  }
}

/** The counts and durations, as the pages and the workbook show them. */
const COUNT_COLUMNS: Column[] = [
  { key: 'incidents', width: 10, value: (row) => row.incidents },
  { key: 'counted', width: 12, value: (row) => row.counted },
  { key: 'open', width: 10, value: (row) => row.open },
  { key: 'nearMisses', width: 12, value: (row) => row.nearMisses },
  { key: 'rejected', width: 10, value: (row) => row.rejected },
  { key: 'ackMedian', width: 16, value: (row) => row.timeToAcknowledge.medianMinutes },
  { key: 'ackP90', width: 16, value: (row) => row.timeToAcknowledge.p90Minutes },
  { key: 'containMedian', width: 16, value: (row) => row.timeToContain.medianMinutes },
  { key: 'containP90', width: 16, value: (row) => row.timeToContain.p90Minutes },
  { key: 'closeMedian', width: 16, value: (row) => row.timeToClose.medianMinutes },
  { key: 'closeP90', width: 16, value: (row) => row.timeToClose.p90Minutes },
];

/**
 * The incident figures of a fiscal year as a workbook: a sheet per grouping (severity, category,
 * department), each with the total last, and a sheet of the conditions; headers and words in the
 * reader's language (Japanese unless `lang=en` or their setting says English).
 */
@Injectable()
export class IncidentFiguresExport {
  constructor(private readonly figures: IncidentFiguresService) {}

  async workbook(actor: Actor, query: IncidentFiguresExportQuery): Promise<{ fileName: string; body: Buffer }> {
    const locale = query.lang ?? localeOfReader(actor);
    const t = (key: string, values?: Record<string, unknown>) => message(locale, `incidentFigures.${key}`, values);
    const views: IncidentFiguresView[] = [];
    for (const groupBy of INCIDENT_FIGURE_GROUPS) views.push(await this.figures.figures(actor, { fiscalYear: query.fiscalYear, groupBy }));
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Mamori';
    workbook.created = new Date();
    for (const view of views) {
      const sheet = workbook.addWorksheet(t(`sheet.${view.groupBy}`), { views: [{ state: 'frozen', ySplit: 1 }] });
      const columns: Column[] = [{ key: `group.${view.groupBy}`, width: 26, value: (row) => groupLabel(view, row, locale) }, ...COUNT_COLUMNS];
      sheet.columns = columns.map((column) => ({ header: t(`col.${column.key}`), key: column.key, width: column.width }));
      for (const row of view.items) sheet.addRow(Object.fromEntries(columns.map((column) => [column.key, column.value(row) ?? ''])));
      const totals: IncidentCountsView = view.totals;
      const total = sheet.addRow(
        Object.fromEntries(columns.map((column, i) => [column.key, i === 0 ? t('total') : (column.value(totals as IncidentFiguresRowView) ?? '')])),
      );
      total.font = { bold: true };
      sheet.getRow(1).font = { bold: true };
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    }
    const first = views[0]!;
    const about = workbook.addWorksheet(t('sheet.conditions'));
    about.columns = [
      { key: 'name', width: 24 },
      { key: 'value', width: 60 },
    ];
    const conditions: [string, string][] = [
      [t('cond.fiscalYear'), formatFiscalYear(first.fiscalYear, locale)],
      [t('cond.scope'), t(`scope.${first.scope}`)],
      [t('cond.counted'), first.countedSeverities.join(locale === 'ja' ? '、' : ', ')],
      [t('cond.rules'), t('cond.rulesText')],
    ];
    for (const [name, value] of conditions) about.addRow({ name, value });
    about.getColumn('name').font = { bold: true };
    return { fileName: `incident-figures-${first.fiscalYear}.xlsx`, body: Buffer.from(await workbook.xlsx.writeBuffer()) };
  }

  /** The workbook as an HTTP attachment (API and pages alike). */
  static streamable(file: { fileName: string; body: Buffer }): StreamableFile {
    return new StreamableFile(file.body, { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${file.fileName}"` });
  }
}
