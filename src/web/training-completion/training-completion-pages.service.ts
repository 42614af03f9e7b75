import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf, formatDate, formatFiscalYear } from '../../common/dates.js';
import type { Locale } from '../../common/locale.js';
import { message } from '../../common/messages.js';
import type { CompletionRowView } from '../../training/dto/figures.dto.js';
import { defaultAsOf, TrainingFiguresService } from '../../training/training-figures.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import { formatPercent } from '../view-helpers.js';
import { completionChart } from './completion-chart.js';
import { COMPLETION_FILTERS, NOT_COMPLETED_FILTERS, type CompletionPageQuery, type NotCompletedPageQuery } from './training-completion-page.dto.js';

/** Rows the not-completed page shows. */
export const PAGE_SIZE = 50;

type Filter = Record<string, string | undefined>;

/** `?fiscalYear=…&asOf=…` of the filters set, in the order given. */
export function queryOf(filter: Filter, names: readonly string[]): string {
  const params = new URLSearchParams();
  for (const name of names) if (filter[name]) params.set(name, filter[name]);
  const query = params.toString();
  return query ? `?${query}` : '';
}

const text = (value: unknown): string | undefined =>
  typeof value === 'number' ? String(value) : typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** 受講状況: the data of the completion board and the not-completed list. */
@Injectable()
export class TrainingCompletionPagesService {
  constructor(private readonly figures: TrainingFiguresService) {}

  /** The board: the year's figures by department as a chart and a table, the totals, the links. */
  async board(actor: Actor, input: CompletionPageQuery | Record<string, unknown>, locale: Locale, formErrors?: FormErrors): Promise<object> {
    const query = input as Record<string, unknown>;
    const filter = this.filterOf(query, COMPLETION_FILTERS);
    const fiscalYear = this.fiscalYearOf(query);
    const common = await this.common(actor, fiscalYear, filter, query);
    if (formErrors) return { ...common, title: 'trainingCompletion.title', formErrors, refused: true };

    const view = await this.figures.completion(actor, {
      fiscalYear,
      asOf: typeof query.asOf === 'string' ? query.asOf : undefined,
      courseId: typeof query.courseId === 'string' ? query.courseId : undefined,
      groupBy: 'department',
    });
    const name = (row: CompletionRowView) => (locale === 'en' && row.departmentNameEn) || row.departmentName || message(locale, 'trainingFigures.noDepartment');
    const listFilter = { fiscalYear: String(fiscalYear), asOf: view.asOf, courseId: filter.courseId };
    const rows = view.items.map((row) => ({
      ...row,
      name: name(row),
      owed: row.enrolled - row.exempt,
      notCompleted: row.enrolled - row.exempt - row.completed,
      full: row.rate !== null && row.rate >= 1,
      href: `/training/completion/not-completed${queryOf({ ...listFilter, departmentId: row.departmentId ?? undefined }, NOT_COMPLETED_FILTERS)}`,
    }));
    const chart = completionChart(
      rows.map((row) => ({ label: name(row), rate: row.rate, completed: row.completed, owed: row.owed })),
      formatPercent,
    );
    const describe = (row: (typeof rows)[number]) =>
      message(locale, 'trainingCompletion.chart.row', { name: row.name, rate: formatPercent(row.rate), completed: row.completed, owed: row.owed });
    const below = rows.filter((row) => row.rate !== null && row.rate < 1).length;
    const exportQuery = queryOf({ ...filter, fiscalYear: String(fiscalYear) }, COMPLETION_FILTERS);
    return {
      ...common,
      title: 'trainingCompletion.title',
      asOf: view.asOf,
      defaultAsOf: !filter.asOf,
      scope: view.scope,
      rows,
      totals: {
        ...view.totals,
        owed: view.totals.enrolled - view.totals.exempt,
        notCompleted: view.totals.enrolled - view.totals.exempt - view.totals.completed,
      },
      chart,
      chartTitle: message(locale, 'trainingCompletion.chart.title', { year: formatFiscalYear(fiscalYear, locale), date: formatDate(view.asOf, locale) }),
      chartDescription: [
        ...rows.map(describe),
        message(locale, 'trainingCompletion.chart.summary', { below, total: rows.length, rate: formatPercent(view.totals.rate) }),
      ].join(locale === 'ja' ? '。' : '. '),
      notCompletedHref: `/training/completion/not-completed${queryOf(listFilter, NOT_COMPLETED_FILTERS)}`,
      exemptHref: `/training/completion/not-completed${queryOf({ ...listFilter, state: 'exempt' }, NOT_COMPLETED_FILTERS)}`,
      xlsxHref: `/training/completion.xlsx${exportQuery}`,
      csvHref: `/training/completion.csv${exportQuery}`,
    };
  }

  /** The not-completed list (or the exempt), a page at a time, with its filters and exports. */
  async notCompleted(actor: Actor, input: NotCompletedPageQuery | Record<string, unknown>, locale: Locale, formErrors?: FormErrors): Promise<object> {
    const query = input as Record<string, unknown>;
    const filter = this.filterOf(query, NOT_COMPLETED_FILTERS);
    const fiscalYear = this.fiscalYearOf(query);
    const common = await this.common(actor, fiscalYear, filter, query);
    const state = filter.state === 'exempt' ? 'exempt' : 'open';
    const departments = await this.figures.departments(actor);
    const withDepartments = {
      ...common,
      title: state === 'exempt' ? 'trainingNotCompleted.titleExempt' : 'trainingNotCompleted.title',
      state,
      exempt: state === 'exempt',
      departments: departments.map((department) => ({ ...department, selected: department.id === filter.departmentId })),
      chooseDepartment: departments.length > 1,
    };
    if (formErrors) return { ...withDepartments, formErrors, refused: true };

    const page = typeof query.page === 'number' ? query.page : 1;
    const result = await this.figures.notCompleted(actor, {
      fiscalYear,
      asOf: filter.asOf,
      courseId: filter.courseId,
      departmentId: filter.departmentId,
      state,
      page,
      pageSize: PAGE_SIZE,
    });
    const keep = { ...filter, fiscalYear: String(fiscalYear) };
    const exportQuery = queryOf(keep, NOT_COMPLETED_FILTERS);
    const other = { ...keep, state: state === 'exempt' ? undefined : 'exempt' };
    return {
      ...withDepartments,
      asOf: result.asOf,
      defaultAsOf: !filter.asOf,
      items: result.items.map((item) => ({
        ...item,
        exemptOn: item.exemptAt ? tokyoToday(new Date(item.exemptAt)) : null,
        showReason: item.exemptionReason !== undefined,
      })),
      showReason: result.items.some((item) => item.exemptionReason !== undefined),
      pager: pagerFor(result, '/training/completion/not-completed', keep),
      otherHref: `/training/completion/not-completed${queryOf(other, NOT_COMPLETED_FILTERS)}`,
      boardHref: `/training/completion${queryOf(keep, COMPLETION_FILTERS)}`,
      xlsxHref: `/training/completion/not-completed.xlsx${exportQuery}`,
      csvHref: `/training/completion/not-completed.csv${exportQuery}`,
    };
  }

  /** What both pages' filter forms show: the fiscal years, the day, the courses. */
  private async common(actor: Actor, fiscalYear: number, filter: Filter, query: Record<string, unknown>): Promise<object> {
    const years = await this.figures.fiscalYears(actor);
    if (!years.includes(fiscalYear)) years.push(fiscalYear);
    years.sort((a, b) => b - a);
    const courses = await this.figures.courses(actor, fiscalYear);
    return {
      fiscalYear,
      filter: { ...filter, asOf: text(query.asOf) ?? '' },
      years: years.map((year) => ({ year, selected: year === fiscalYear })),
      courses: courses.map((course) => ({ ...course, selected: course.id === filter.courseId })),
      asOfPlaceholder: defaultAsOf(fiscalYear),
    };
  }

  private fiscalYearOf(query: Record<string, unknown>): number {
    const year = typeof query.fiscalYear === 'number' ? query.fiscalYear : Number(text(query.fiscalYear));
    return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : fiscalYearOf(tokyoToday());
  }

  private filterOf(query: Record<string, unknown>, names: readonly string[]): Filter {
    return Object.fromEntries(names.flatMap((name) => (text(query[name]) ? [[name, text(query[name])]] : [])));
  }
}
