import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { IncidentQuery } from '../../incidents/dto/incident-query.dto.js';
import { IncidentsService } from '../../incidents/incidents.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import type { CountedRecordView, IndicatorRowView, IndicatorsView } from '../../indicators/dto/indicators.dto.js';
import { FiscalYearsService } from '../../indicators/fiscal-years.service.js';
import type { IndicatorUnit } from '../../indicators/indicator.entity.js';
import { IndicatorsService, yearDayOf } from '../../indicators/indicators.service.js';
import { INDICATORS } from '../../indicators/indicators.permissions.js';
import { PoliciesService } from '../../policies/policies.service.js';
import { STAFF } from '../../staff/staff.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { trendChart, type TrendYear } from './trend-chart.js';

/** The first fiscal year the pages offer (the plan's first). */
const FIRST_YEAR = 2019;
/** How many years the dashboard's small charts show (the year asked and those before it). */
const TREND_YEARS = 5;
/** How many of the records behind a figure an indicator's page lists (the feature's own pages list them all). */
const RECORDS_SHOWN = 50;

export const VALUE_FORM = 'indicatorValue';
export const CLOSE_FORM = 'yearClose';
export const REOPEN_FORM = 'yearReopen';

export const indicatorPath = (code: string, fiscalYear?: number): string =>
  `/indicators/${encodeURIComponent(code)}${fiscalYear === undefined ? '' : `?fiscalYear=${fiscalYear}`}`;

/** The plan item an indicator is grouped under: the first it names (「III-3, III-4」 → III-3). */
const groupOf = (planItem: string): string => planItem.split(',')[0]!.trim();

/** The plan's own measures (III-…) first, in order, then the other chapters' items. */
function compareGroups(a: string, b: string): number {
  const own = (item: string) => (item.startsWith('III-') ? 0 : 1);
  return own(a) - own(b) || a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The pages of the plan's indicators: the dashboard (each indicator against its target by plan item,
 * with its trend, the overdue work and the incidents open now), an indicator's page (its history,
 * the records counted, the values entered by hand and the form to enter one) and the fiscal years
 * with the CISO's close and reopen. Every figure comes from IndicatorsService; the overdue work from
 * the work queue's counts.
 */
@Injectable()
export class IndicatorPagesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly indicators: IndicatorsService,
    private readonly fiscalYears: FiscalYearsService,
    private readonly workQueue: WorkQueueService,
    private readonly incidents: IncidentsService,
    private readonly policies: PoliciesService,
    private readonly i18n: I18nService,
  ) {}

  // ---------------------------------------------------------------- words

  /** A figure in its unit: 95.2%, 1,234, はい/いいえ (— for none). */
  formatValue(unit: IndicatorUnit, value: number | null, locale: Locale): string {
    if (value === null) return '—';
    if (unit === 'yes_no') return this.i18n.translate(locale, value >= 1 ? 'indicators.yes' : 'indicators.no');
    const number = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 1 }).format(value);
    return unit === 'percent' ? `${number}%` : number;
  }

  /** A target in words: 100%以上, 0以下, はい. */
  formatTarget(row: Pick<IndicatorRowView, 'unit' | 'direction'>, target: number | null, locale: Locale): string {
    if (target === null) return this.i18n.translate(locale, 'indicators.noTarget');
    const value = this.formatValue(row.unit, target, locale);
    if (row.unit === 'yes_no') return value;
    return this.i18n.translate(locale, `indicators.target.${row.direction}`, { value });
  }

  private yearsOffered(selected: number): { value: number; selected: boolean }[] {
    const current = fiscalYearOf(tokyoToday());
    const years = new Set<number>([selected]);
    for (let y = FIRST_YEAR; y <= current; y++) years.add(y);
    return [...years].sort((a, b) => b - a).map((value) => ({ value, selected: value === selected }));
  }

  private yearAsked(query: { fiscalYear?: string; asOf?: string }): number {
    return query.fiscalYear ? Number(query.fiscalYear) : fiscalYearOf(query.asOf ?? tokyoToday());
  }

  /** The chart's words: its title and each year's figure (the SVG's text alternative). */
  private chartWords(row: IndicatorRowView, years: readonly TrendYear[], locale: Locale): { title: string; description: string } {
    const title = this.i18n.translate(locale, 'indicators.chart.title', { title: locale === 'en' && row.titleEn ? row.titleEn : row.title });
    const description = years
      .map((y) =>
        this.i18n.translate(locale, 'indicators.chart.year', {
          year: this.i18n.translate(locale, 'indicators.fyShort', { year: y.fiscalYear }),
          value: this.formatValue(row.unit, y.value, locale),
          status: this.i18n.translate(locale, `indicators.status.${y.status}`),
        }),
      )
      .join(locale === 'ja' ? '、' : '; ');
    return { title, description };
  }

  /** A row as the pages show it: figures in words, its status word, its link. */
  private rowOf(row: IndicatorRowView, fiscalYear: number, locale: Locale) {
    return {
      ...row,
      href: indicatorPath(row.code, fiscalYear),
      valueText: this.formatValue(row.unit, row.value, locale),
      targetText: this.formatTarget(row, row.target, locale),
      currentValueText: row.currentValue === null ? null : this.formatValue(row.unit, row.currentValue, locale),
      projectedText: row.projected === null || row.projected === undefined ? null : this.formatValue(row.unit, row.projected, locale),
      hasFraction: row.numerator !== null && row.denominator !== null,
      planItems: row.planItem,
    };
  }

  // ---------------------------------------------------------------- the dashboard

  async dashboard(actor: Actor, query: { fiscalYear?: string; asOf?: string }, locale: Locale): Promise<object> {
    const fiscalYear = this.yearAsked(query);
    const view = await this.indicators.figures(actor, { fiscalYear, asOf: query.asOf });
    const earlier = Array.from({ length: TREND_YEARS - 1 }, (_, i) => fiscalYear - TREND_YEARS + 1 + i).filter((y) => y >= FIRST_YEAR);
    const [past, work, openIncidents] = await Promise.all([
      // a year's figures in one go for every indicator (frozen when the year is closed), rather than each indicator's history
      Promise.all(earlier.map((y) => this.indicators.yearFigures(this.uow.manager, actor.organizationId, yearDayOf(y)))),
      this.workQueue.items(actor),
      this.openIncidents(actor),
    ]);
    const byYear = new Map<number, IndicatorsView>(past.map((year) => [year.fiscalYear, year]));
    byYear.set(fiscalYear, view);
    const years = [...earlier, fiscalYear];

    const groups = new Map<string, object[]>();
    for (const row of view.items) {
      const trend: TrendYear[] = years.map((y) => {
        const found = byYear.get(y)?.items.find((item) => item.code === row.code);
        return { fiscalYear: y, value: found?.value ?? null, target: found?.target ?? null, status: found?.status ?? 'no_data' };
      });
      const group = groupOf(row.planItem);
      if (!groups.has(group)) groups.set(group, []);
      groups
        .get(group)!
        .push({ ...this.rowOf(row, fiscalYear, locale), chart: trendChart(trend, row.unit, fiscalYear), chartWords: this.chartWords(row, trend, locale) });
    }
    const overdue = work.items.filter((item) => item.overdue > 0);
    return {
      title: 'indicators.dashboard.title',
      chartFirst: years[0],
      chartLast: fiscalYear,
      fiscalYear,
      asOf: view.asOf,
      asOfField: query.asOf ?? '',
      today: tokyoToday(),
      yearOver: view.yearOver,
      closed: view.closed,
      years: this.yearsOffered(fiscalYear),
      groups: [...groups.entries()].sort(([a], [b]) => compareGroups(a, b)).map(([planItem, items]) => ({ planItem, id: `plan-${planItem}`, items })),
      overdue,
      overdueTotal: overdue.reduce((sum, item) => sum + item.overdue, 0),
      showWork: work.items.length > 0,
      openIncidents,
      mayFiscalYears: may(actor, INDICATORS.read),
    };
  }

  /** The incidents open now (not closed nor rejected), for those who see every incident. */
  private async openIncidents(actor: Actor): Promise<{ count: number; href: string } | null> {
    if (!may(actor, INCIDENTS.read_all)) return null;
    const page = await this.incidents.list(actor, Object.assign(new IncidentQuery(), { open: true, page: 1, pageSize: 1 }));
    return { count: page.total, href: '/incidents?status=open' };
  }

  // ---------------------------------------------------------------- an indicator's page

  async detail(actor: Actor, code: string, query: { fiscalYear?: string; asOf?: string }, locale: Locale, formErrors?: FormErrors): Promise<object> {
    const fiscalYear = this.yearAsked(query);
    const detail = await this.indicators.detail(actor, code, { fiscalYear, asOf: query.asOf, limit: RECORDS_SHOWN });
    const row = detail.indicator;
    const history = detail.history.filter((y) => y.fiscalYear <= Math.max(fiscalYear, fiscalYearOf(tokyoToday())));
    const trend: TrendYear[] = history.map((y) => ({ fiscalYear: y.fiscalYear, value: y.value, target: y.target, status: y.status }));
    const close = (await this.indicators.yearFigures(this.uow.manager, actor.organizationId, yearDayOf(fiscalYear, query.asOf))).closed;
    const mayEnter = row.source === 'manual' && may(actor, INDICATORS.enter_value) && !close;
    return {
      title: 'indicators.detail.title',
      titleDetail: { ja: row.title, en: row.titleEn ?? row.title },
      indicator: this.rowOf(row, fiscalYear, locale),
      fiscalYear,
      asOf: close ? close.asOf : (query.asOf ?? tokyoToday()),
      asOfField: query.asOf ?? '',
      closed: close,
      years: this.yearsOffered(fiscalYear),
      baselineText: row.baseline ? this.formatValue(row.unit, row.baseline.value, locale) : null,
      chart: trendChart(trend, row.unit, fiscalYear, 120),
      chartWords: this.chartWords(row, trend, locale),
      history: history.map((y) => ({
        ...y,
        href: indicatorPath(row.code, y.fiscalYear),
        current: y.fiscalYear === fiscalYear,
        valueText: this.formatValue(row.unit, y.value, locale),
        targetText: this.formatTarget(row, y.target, locale),
      })),
      records: await this.records(actor, detail.records, locale),
      recordsHidden: detail.recordsHidden,
      recordsCut: detail.records.length >= RECORDS_SHOWN ? RECORDS_SHOWN : null,
      manual: row.source === 'manual',
      entries: detail.entries.map((entry) => ({ ...entry, valueText: this.formatValue(row.unit, entry.value, locale) })),
      mayEnter,
      valueAction: `${indicatorPath(row.code)}/values/${fiscalYear}`,
      unitHint: `indicators.form.valueHint.${row.unit}`,
      form: formErrors?.form === VALUE_FORM ? formErrors.submitted : {},
    };
  }

  /** The records behind a figure, each with the page it is on. */
  private async records(actor: Actor, records: readonly CountedRecordView[], locale: Locale) {
    const policyKeys = records.some((r) => r.kind === 'policy')
      ? new Map((await this.policies.list(actor)).items.map((p) => [p.id, p.key]))
      : new Map<string, string>();
    const staffPages = may(actor, STAFF.list);
    const hrefOf = (record: CountedRecordView): string | null => {
      const id = record.linkId ? encodeURIComponent(record.linkId) : null;
      if (!id) return null;
      switch (record.kind) {
        case 'incident':
          return `/incidents/${id}`;
        case 'enrolment':
          return staffPages ? `/staff/${id}` : '/training/completion/not-completed';
        case 'drill':
          return `/drills/${id}`;
        case 'audit':
          return `/audits/${id}`;
        case 'finding':
          return `/findings/${id}`;
        case 'policy': {
          const key = policyKeys.get(record.linkId!);
          return key ? `/policies/${encodeURIComponent(key)}` : '/reviews';
        }
        case 'control':
          return `/controls/${id}`;
        case 'plan_version':
          return '/response-plan';
        case 'mail_drill':
          return `/training/courses/${id}/drill-results`;
        default:
          return null;
      }
    };
    const word = (prefix: string, value: string) => {
      const key = `${prefix}.${value}`;
      return this.i18n.has(locale, key) ? this.i18n.translate(locale, key) : value;
    };
    return records.map((record) => ({
      ...record,
      href: hrefOf(record),
      kindText: word('indicators.recordKind', record.kind),
      stateText: word('indicators.recordState', record.state),
      flagged: ['overdue', 'late', 'not_completed', 'not_implemented'].includes(record.state),
    }));
  }

  // ---------------------------------------------------------------- the fiscal years

  async years(actor: Actor, formErrors?: FormErrors): Promise<object> {
    const years = await this.fiscalYears.list(actor);
    const mayClose = may(actor, INDICATORS.close_year);
    const mayReopen = may(actor, INDICATORS.reopen_year);
    const refusedYear = formErrors ? Number((formErrors.submitted as { fiscalYear?: string }).fiscalYear) : null;
    return {
      title: 'fiscalYears.title',
      current: fiscalYearOf(tokyoToday()),
      secondFactor: actor.mfa,
      years: years.map((year) => ({
        ...year,
        href: `/dashboard?fiscalYear=${year.fiscalYear}`,
        mayClose: mayClose && year.over && !year.closed,
        mayReopen: mayReopen && !!year.closed,
        open: refusedYear === year.fiscalYear,
        submitted: refusedYear === year.fiscalYear ? formErrors!.submitted : {},
      })),
    };
  }
}
