import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { IncidentQuery } from '../../incidents/dto/incident-query.dto.js';
import { IncidentsService } from '../../incidents/incidents.service.js';
import { IncidentFiguresService } from '../../incidents/incident-figures.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import type { CountedRecordView, IndicatorRowView, IndicatorsView } from '../../indicators/dto/indicators.dto.js';
import { FiscalYearsService } from '../../indicators/fiscal-years.service.js';
import type { IndicatorUnit } from '../../indicators/indicator.entity.js';
import { IndicatorsService, yearDayOf } from '../../indicators/indicators.service.js';
import { counterWord, noTarget } from '../../indicators/indicator-words.js';
import { INDICATORS } from '../../indicators/indicators.permissions.js';
import { PoliciesService } from '../../policies/policies.service.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { AUDIT_READ_ALL } from '../../audits/audits.permissions.js';
import { FINDING_SCOPE, FINDINGS } from '../../findings/findings.permissions.js';
import { DRILL_READ_ALL } from '../../response-plan/response-plan.permissions.js';
import { TRAINING } from '../../training/training.permissions.js';
import type { IndicatorStatus } from '../../indicators/indicator-status.js';
import { WEB } from '../web.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { findingWorkCounts } from '../findings/finding-work-items.js';
import { trendChart, type TrendYear } from './trend-chart.js';

/** The first fiscal year the pages offer (the plan's first). */
const FIRST_YEAR = 2019;
/** How many years the dashboard's small charts show (the year asked and those before it). */
const TREND_YEARS = 5;
/** How many of the records behind a figure an indicator's page lists (the feature's own pages list them all). */
const RECORDS_SHOWN = 50;

export const VALUE_FORM = 'indicatorValue';

/** What a year's close would freeze (the fiscal years' page, before the close button). */
interface ClosePreview {
  met: number;
  notMet: number;
  noTarget: number;
  noData: number;
  other: number;
  openFindings: number;
  incidentsToTriage: number;
  findingsHref: string | null;
  incidentsHref: string | null;
}
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
    private readonly incidentFigures: IncidentFiguresService,
    private readonly policies: PoliciesService,
    private readonly i18n: I18nService,
  ) {}

  // ---------------------------------------------------------------- words

  /** A figure in its unit: 95.2%, 1,234件 / 1,234人 (the indicator's counter word, in Japanese), はい/いいえ (— for none). */
  formatValue(unit: IndicatorUnit, value: number | null, locale: Locale, code?: string): string {
    if (value === null) return '—';
    if (unit === 'yes_no') return this.i18n.translate(locale, value >= 1 ? 'indicators.yes' : 'indicators.no');
    const number = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 1 }).format(value);
    if (unit === 'percent') return `${number}%`;
    return locale === 'ja' && code
      ? `${number}${counterWord(
          code,
          (key) => this.i18n.has(locale, key),
          (key) => this.i18n.translate(locale, key),
        )}`
      : number;
  }

  /** The status word's key: 目標なし for a figure with a value and no target (the API's `no_data`), else the status's. */
  statusKey(status: IndicatorStatus, value: number | null, target: number | null): string {
    return noTarget(status, value, target) ? 'indicators.status.no_target' : `indicators.status.${status}`;
  }

  /** A target in words: 100%以上, 0件以下, はい. */
  formatTarget(row: Pick<IndicatorRowView, 'unit' | 'direction' | 'code'>, target: number | null, locale: Locale): string {
    if (target === null) return this.i18n.translate(locale, 'indicators.noTarget');
    const value = this.formatValue(row.unit, target, locale, row.code);
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
          value: this.formatValue(row.unit, y.value, locale, row.code),
          status: this.i18n.translate(locale, this.statusKey(y.status, y.value, y.target)),
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
      valueText: this.formatValue(row.unit, row.value, locale, row.code),
      targetText: this.formatTarget(row, row.target, locale),
      statusKey: this.statusKey(row.status, row.value, row.target),
      currentValueText: row.currentValue === null ? null : this.formatValue(row.unit, row.currentValue, locale, row.code),
      projectedText: row.projected === null || row.projected === undefined ? null : this.formatValue(row.unit, row.projected, locale, row.code),
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
      this.overdueWork(actor),
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
    const overdue = work.filter((item) => item.overdue > 0);
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
      showWork: work.length > 0 || openIncidents !== null,
      mayWorkQueue: may(actor, WEB.work_queue),
      openIncidents,
      mayFiscalYears: may(actor, INDICATORS.read),
    };
  }

  /**
   * The overdue work the reader may see: the work queue's items (those who work them), and for the
   * CISO the same counts of what others work on, each linked to the list they may open: findings past
   * their due date and corrective actions waiting for verification, reports waiting for triage, audits
   * past their planned end. A count without a page the reader may open is not shown.
   */
  private async overdueWork(actor: Actor): Promise<{ label: string; overdue: number; href: string }[]> {
    const queue = may(actor, WEB.work_queue) || may(actor, FINDINGS.verify) ? (await this.workQueue.items(actor)).items : [];
    const items: { label: string; overdue: number; href: string; order: number }[] = queue.map(({ label, overdue, href, order }) => ({
      label,
      overdue,
      href,
      order,
    }));
    const has = (label: string) => items.some((item) => item.label === label);
    const today = tokyoToday();
    const readsAllFindings = may(actor, FINDINGS.read) && actor.roles.some((role) => FINDING_SCOPE.all.includes(role));
    if (readsAllFindings && !has('work.findingsOverdue')) {
      const row = await findingWorkCounts(this.uow.manager, actor.organizationId, today);
      items.push({ label: 'work.findingActionsToVerify', overdue: row.awaitingLate, href: '/findings?awaiting=true', order: 25 });
      items.push({ label: 'work.findingsOverdue', overdue: row.overdue, href: '/findings?overdue=true', order: 26 });
    }
    if (may(actor, INCIDENTS.read_all) && !has('work.incidentsToTriage')) {
      const counts = await this.incidentFigures.deskCounts(actor);
      items.push({ label: 'work.incidentsToTriage', overdue: counts.toTriageLate, href: '/incidents?status=reported', order: 1 });
    }
    if (actor.roles.some((role) => AUDIT_READ_ALL.includes(role)) && !has('work.auditsEnding')) {
      const [row] = (await this.uow.manager.query(
        `SELECT count(*)::int AS late FROM audits WHERE organization_id = $1 AND status = 'in_progress' AND planned_end < $2::date`,
        [actor.organizationId, today],
      )) as { late: number }[];
      items.push({ label: 'work.auditsEnding', overdue: row?.late ?? 0, href: '/audits?fiscalYear=all&status=in_progress', order: 25 });
    }
    return items.sort((a, b) => a.order - b.order);
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
        valueText: this.formatValue(row.unit, y.value, locale, row.code),
        targetText: this.formatTarget(row, y.target, locale),
        statusKey: this.statusKey(y.status, y.value, y.target),
      })),
      chartYears: history.map((y) => ({ label: String(y.fiscalYear), current: y.fiscalYear === fiscalYear })),
      records: await this.records(actor, detail.records, locale),
      recordsHidden: detail.recordsHidden,
      recordsCut: detail.records.length >= RECORDS_SHOWN ? RECORDS_SHOWN : null,
      fullList: this.fullList(actor, row, fiscalYear),
      manual: row.source === 'manual',
      entries: detail.entries.map((entry) => ({ ...entry, valueText: this.formatValue(row.unit, entry.value, locale, row.code) })),
      mayEnter,
      valueAction: `${indicatorPath(row.code)}/values/${fiscalYear}`,
      unitHint: `indicators.form.valueHint.${row.unit}`,
      form: formErrors?.form === VALUE_FORM ? formErrors.submitted : {},
    };
  }

  /**
   * Where all the records behind a figure are listed, when the page lists only the first ones: the
   * training's not-completed list of the year (those owed and not completed: denominator − numerator),
   * for those who may open it.
   */
  private fullList(actor: Actor, row: IndicatorRowView, fiscalYear: number): { href: string | null; count: number } | null {
    if (row.code !== 'training_completion' || row.numerator === null || row.denominator === null) return null;
    const count = Math.max(0, row.denominator - row.numerator);
    return { href: may(actor, TRAINING.read_figures) ? `/training/completion/not-completed?fiscalYear=${fiscalYear}` : null, count };
  }

  /** The records behind a figure, each with the page it is on. */
  private async records(actor: Actor, records: readonly CountedRecordView[], locale: Locale) {
    const policyKeys = records.some((r) => r.kind === 'policy')
      ? new Map((await this.policies.list(actor)).items.map((p) => [p.id, p.key]))
      : new Map<string, string>();
    const staffPages = may(actor, STAFF.list);
    const readsAll = (roles: readonly string[]) => actor.roles.some((role) => roles.includes(role));
    // a record's page only for those who may open it (an auditor may not open an incident, an audit they are not on, the training figures)
    const hrefOf = (record: CountedRecordView): string | null => {
      const id = record.linkId ? encodeURIComponent(record.linkId) : null;
      if (!id) return null;
      switch (record.kind) {
        case 'incident':
          return may(actor, INCIDENTS.read_all) ? `/incidents/${id}` : null;
        case 'enrolment':
          return staffPages ? `/staff/${id}` : may(actor, TRAINING.read_figures) ? '/training/completion/not-completed' : null;
        case 'drill':
          return readsAll(DRILL_READ_ALL) ? `/drills/${id}` : null;
        case 'audit':
          return readsAll(AUDIT_READ_ALL) ? `/audits/${id}` : null;
        case 'finding':
          return may(actor, FINDINGS.read) && readsAll(FINDING_SCOPE.all) ? `/findings/${id}` : null;
        case 'policy': {
          const key = policyKeys.get(record.linkId!);
          return key ? `/policies/${encodeURIComponent(key)}` : '/reviews';
        }
        case 'control':
          return `/controls/${id}`;
        case 'plan_version':
          return '/response-plan';
        case 'mail_drill':
          return may(actor, TRAINING.read_figures) ? `/training/courses/${id}/drill-results` : null;
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
      label:
        record.kind === 'plan_version' && /^\d+$/.test(record.label)
          ? this.i18n.translate(locale, 'indicators.planVersion', { version: record.label })
          : record.label,
      detail: record.kind === 'drill' && record.detail ? word('drills.kind', record.detail) : record.detail,
      href: hrefOf(record),
      kindText: word('indicators.recordKind', record.kind),
      stateText: word('indicators.recordState', record.state),
      flagged: ['overdue', 'late', 'not_completed', 'not_implemented'].includes(record.state),
    }));
  }

  // ---------------------------------------------------------------- the fiscal years

  /**
   * What closing a year would freeze, shown before the close button: how many indicators are met, not
   * met or without data (or without a target) today, and what is still open in that year: findings due
   * within it and not verified, incidents reported in it still waiting for triage.
   */
  private async closePreview(actor: Actor, fiscalYear: number): Promise<ClosePreview> {
    const figures = await this.indicators.yearFigures(this.uow.manager, actor.organizationId, yearDayOf(fiscalYear));
    const count = (test: (row: IndicatorRowView) => boolean) => figures.items.filter(test).length;
    const [row] = (await this.uow.manager.query(
      `SELECT (SELECT count(*)::int FROM findings f
                WHERE f.organization_id = $1 AND f.status <> 'verified' AND f.due_date >= $2::date AND f.due_date <= $3::date) AS findings,
              (SELECT count(*)::int FROM incidents i WHERE i.organization_id = $1 AND i.fiscal_year = $4 AND i.status = 'reported') AS incidents`,
      [actor.organizationId, `${fiscalYear}-04-01`, `${fiscalYear + 1}-03-31`, fiscalYear],
    )) as { findings: number; incidents: number }[];
    return {
      met: count((r) => r.status === 'met'),
      notMet: count((r) => r.status === 'not_met'),
      noTarget: count((r) => noTarget(r.status, r.value, r.target)),
      noData: count((r) => r.status === 'no_data' && !noTarget(r.status, r.value, r.target)),
      other: count((r) => !['met', 'not_met', 'no_data'].includes(r.status)),
      openFindings: row?.findings ?? 0,
      incidentsToTriage: row?.incidents ?? 0,
      findingsHref: may(actor, FINDINGS.read) ? '/findings?overdue=true' : null,
      incidentsHref: may(actor, INCIDENTS.read_all) ? '/incidents?status=reported' : null,
    };
  }

  async years(actor: Actor, formErrors?: FormErrors): Promise<object> {
    const years = await this.fiscalYears.list(actor);
    const mayClose = may(actor, INDICATORS.close_year);
    const mayReopen = may(actor, INDICATORS.reopen_year);
    const refusedYear = formErrors ? Number((formErrors.submitted as { fiscalYear?: string }).fiscalYear) : null;
    const previews = new Map<number, ClosePreview>();
    for (const year of years) if (mayClose && year.over && !year.closed) previews.set(year.fiscalYear, await this.closePreview(actor, year.fiscalYear));
    return {
      title: 'fiscalYears.title',
      current: fiscalYearOf(tokyoToday()),
      secondFactor: actor.mfa,
      years: years.map((year) => ({
        ...year,
        href: `/dashboard?fiscalYear=${year.fiscalYear}`,
        reportHref: may(actor, INDICATORS.read_report) ? `/reports/annual?fiscalYear=${year.fiscalYear}` : null,
        preview: previews.get(year.fiscalYear) ?? null,
        mayClose: mayClose && year.over && !year.closed,
        mayReopen: mayReopen && !!year.closed,
        open: refusedYear === year.fiscalYear,
        submitted: refusedYear === year.fiscalYear ? formErrors!.submitted : {},
      })),
    };
  }
}
