import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf, formatDate, formatDateTime } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';
import { message } from '../../common/messages.js';
import { indicatorTable, planItemTables, type ReportTable } from '../../indicators/annual-report-export.js';
import { AnnualReportService } from '../../indicators/annual-report.service.js';
import type { AnnualIndicatorView } from '../../indicators/dto/annual-report.dto.js';
import { counterOf, noTarget } from '../../indicators/indicator-words.js';

/** The first fiscal year offered (the plan's first). */
const FIRST_YEAR = 2019;

/** The year the report opens on: the last one that is over. */
export const defaultReportYear = (): number => fiscalYearOf(tokyoToday()) - 1;

/** A value in its unit, for people: `98.5%`, `3件` / `1,200人` / `3`, `はい` / `Yes`. */
function shown(unit: string, value: number | null, locale: Locale, code: string): string {
  if (value === null) return '—';
  if (unit === 'percent') return `${value}%`;
  if (unit === 'yes_no') return message(locale, value ? 'annualReport.yes' : 'annualReport.no');
  if (unit === 'count') return locale === 'ja' ? `${value.toLocaleString('ja-JP')}${counterOf(code, locale)}` : value.toLocaleString('en-GB');
  return value.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-GB');
}

/** A table of the page: the export's table with each cell as text (a day in words, a rate with %). */
function pageTable(table: ReportTable, locale: Locale, rateColumns: readonly number[] = []) {
  return {
    ...table,
    // a column of figures is right-aligned, its header too
    headerCells: table.headers.map((text, i) => ({ text, numeric: table.rows.some((row) => typeof row[i] === 'number') })),
    rows: table.rows.map((row) =>
      row.map((cell, i) => ({
        text:
          cell === null
            ? '—'
            : typeof cell === 'object'
              ? cell.day
                ? formatDate(cell.day, locale)
                : '—'
              : rateColumns.includes(i) && typeof cell === 'number'
                ? `${cell}%`
                : typeof cell === 'number'
                  ? cell.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-GB')
                  : cell,
        numeric: typeof cell === 'number',
        day: cell !== null && typeof cell === 'object' ? cell.day : null,
      })),
    ),
  };
}

/** 年次報告: the annual report as one printable page for the committee. */
@Injectable()
export class AnnualReportPagesService {
  constructor(private readonly reports: AnnualReportService) {}

  async page(actor: Actor, fiscalYear: number | undefined, locale: Locale): Promise<object> {
    const year = fiscalYear ?? defaultReportYear();
    const report = await this.reports.report(actor, year);
    const current = fiscalYearOf(tokyoToday());
    const years = [];
    for (let y = Math.max(current, year); y >= Math.min(FIRST_YEAR, year); y--) years.push({ value: y, selected: y === year });
    const t = (key: string, values?: Record<string, unknown>) => message(locale, `annualReport.${key}`, values);
    const indicator = (row: AnnualIndicatorView) => ({
      ...row,
      name: (locale === 'en' && row.titleEn) || row.title,
      targetText: shown(row.unit, row.target, locale, row.code),
      valueText: shown(row.unit, row.value, locale, row.code),
      previousText: shown(row.unit, row.previousValue, locale, row.code),
      previousTargetText: shown(row.unit, row.previousTarget, locale, row.code),
      statusKey: noTarget(row.status, row.value, row.target) ? 'annualReport.status.no_target' : `annualReport.status.${row.status}`,
      previousStatusKey: noTarget(row.previousStatus, row.previousValue, row.previousTarget)
        ? 'annualReport.status.no_target'
        : `annualReport.status.${row.previousStatus}`,
      changedText: row.changedSinceClose ? t('changedCell', { value: shown(row.unit, row.currentValue, locale, row.code) }) : null,
    });
    const tables = planItemTables(report, locale);
    const byKey = new Map(tables.map((table) => [table.key, table]));
    const table = (key: string, rates: number[] = []) => pageTable(byKey.get(key)!, locale, rates);
    // the indicators grouped by plan item, in the file's order
    const items = report.indicators.map(indicator);
    const planItems = [...new Set(items.map((row) => row.planItem))];
    return {
      title: 'annualReport.page.heading',
      titleDetail: { ja: report.labels.ja, en: report.labels.en },
      report,
      years,
      labelJa: report.labels.ja,
      labelEn: report.labels.en,
      previousLabel: locale === 'ja' ? report.previousLabels.ja : report.previousLabels.en,
      closedNotice: report.closed
        ? t('closed.notice', { closedAt: formatDateTime(report.closed.closedAt, locale), hash: report.closed.auditTrailHash ?? '—' })
        : null,
      openNotice: report.closed ? null : t('open.notice', { asOf: formatDate(report.asOf, locale) }),
      indicatorGroups: planItems.map((planItem) => ({ planItem, rows: items.filter((row) => row.planItem === planItem) })),
      indicatorHeaders: indicatorTable(report, locale).headers,
      indicatorsCaption: indicatorTable(report, locale).caption,
      controls: table('controls'),
      courses: table('courses', [6]),
      mailDrills: table('mailDrills'),
      audits: table('audits'),
      findings: table('findings'),
      reviews: table('reviews'),
      incidents: table('incidents'),
      plan: table('plan'),
      drills: table('drills', [6]),
      xlsxHref: `/reports/annual.xlsx?fiscalYear=${year}`,
      csvHref: `/reports/annual.csv?fiscalYear=${year}`,
      generatedAt: report.generatedAt,
    };
  }
}
