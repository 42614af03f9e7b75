import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { addMonths, tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Severity } from '../incidents/incident.entity.js';
import { fiscalYearDays } from '../training/courses.service.js';
import { COMPUTED_SOURCES, type ComputeContext, type ComputedFigure, type CountedRecord } from './computed-sources.js';
import type {
  IndicatorDetailView,
  IndicatorHistoryYearView,
  IndicatorRowView,
  IndicatorsView,
  ManualValueDto,
  ManualValueEntryView,
  YearCloseSummaryView,
} from './dto/indicators.dto.js';
import { FiscalYearClose, type FrozenIndicator } from './fiscal-year-close.entity.js';
import { Indicator, targetOf } from './indicator.entity.js';
import { indicatorStatus } from './indicator-status.js';
import { IndicatorValue } from './indicator-value.entity.js';
import { INDICATORS } from './indicators.permissions.js';

/** Whether the manager is a transaction's (one connection: one statement at a time). */
const inTransaction = (manager: EntityManager): boolean => !!manager.queryRunner?.isTransactionActive;

/** How to run independent statements: side by side on the pool, one after the other in a transaction. */
function eachOn(manager: EntityManager): <T>(tasks: readonly (() => Promise<T>)[]) => Promise<T[]> {
  return inTransaction(manager) ? inTurn : (tasks) => Promise.all(tasks.map((task) => task()));
}

/** A computed percentage judged on its exact ratio (the value shown is rounded); other figures as they are. */
const exact = (figure: ComputedFigure): number | null =>
  figure.value !== null && figure.numerator !== null && figure.denominator ? (figure.numerator / figure.denominator) * 100 : figure.value;

/** Runs the tasks one after the other. */
async function inTurn<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const task of tasks) out.push(await task());
  return out;
}

/** The first fiscal year the history goes back to when an indicator names none (the plan's first year). */
const FIRST_YEAR_FALLBACK = 2019;

/** A manual indicator's latest value of a year, with who entered it. */
interface LatestValue {
  value: IndicatorValue;
}

/** What the figures of a year are taken from: the day, and whether the year is over by then. */
export interface YearDay {
  fiscalYear: number;
  asOf: string;
  yearOver: boolean;
}

/**
 * The figures of a year as of a day: the year is over once its last day (31 March) has ended, i.e.
 * asked as of a later day, or as of 31 March once that day is past.
 */
export function yearDayOf(fiscalYear: number, asOf: string = tokyoToday()): YearDay {
  const { last } = fiscalYearDays(fiscalYear);
  return { fiscalYear, asOf, yearOver: asOf > last || (asOf === last && last < tokyoToday()) };
}

/** The fiscal year asked (or that of the day asked, or today's), refused with a 400 naming the field when out of 2000–2100. */
export function askedYear(query: { fiscalYear?: number; asOf?: string }): number {
  if (query.asOf !== undefined) {
    // fiscal years 2000–2100: 1 April 2000 to 31 March 2101
    if (query.asOf < '2000-04-01' || query.asOf > '2101-03-31')
      throw new AppException('VALIDATION_FAILED', 'asOf is out of range', [{ field: 'asOf', messages: ['asOf must fall in fiscal years 2000–2100'] }]);
  }
  return query.fiscalYear ?? fiscalYearOf(query.asOf ?? tokyoToday());
}

export const closeSummary = (close: FiscalYearClose, names: Map<string, string>): YearCloseSummaryView => ({
  fiscalYear: close.fiscalYear,
  closedAt: close.closedAt.toISOString(),
  closedBy: close.closedById ? (names.get(close.closedById) ?? null) : null,
  asOf: close.asOf,
  auditTrailSeq: close.auditTrailSeq,
  auditTrailHash: close.auditTrailHash,
  note: close.note,
  reopenedAt: close.reopenedAt?.toISOString() ?? null,
  reopenedBy: close.reopenedById ? (names.get(close.reopenedById) ?? null) : null,
  reopenReason: close.reopenReason,
});

/** Staff names by id (`姓 名`). */
export async function staffNames(manager: EntityManager, organizationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const found = (await manager.query(`SELECT id, family_name || ' ' || given_name AS name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
    organizationId,
    wanted,
  ])) as { id: string; name: string }[];
  return new Map(found.map((row) => [row.id, row.name]));
}

/**
 * The plan's indicators (指標, plan chapter 5) per fiscal year: each against its target, computed
 * from the other modules' records in the database as the records stood at the end of the day asked
 * (no cache: a change shows in the next request), or entered by hand with a source note. A closed
 * year answers from its frozen snapshot, with what the records give now beside it.
 */
@Injectable()
export class IndicatorsService {
  private readonly countedSeverities: readonly Severity[];

  constructor(
    private readonly uow: UnitOfWork,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.countedSeverities = config.get('incidents', { infer: true }).countedSeverities;
  }

  /** The indicators of a year (DESIGN.md §6 indicator rows), in the file's order. */
  async figures(actor: Actor, query: { fiscalYear?: number; asOf?: string } = {}): Promise<IndicatorsView> {
    assertMay(actor, INDICATORS.read);
    const fiscalYear = askedYear(query);
    return this.yearFigures(this.uow.manager, actor.organizationId, yearDayOf(fiscalYear, query.asOf));
  }

  /**
   * The figures of a year, frozen when it is closed (internal: for the API, the report and the year
   * close, which check their own permission). A closed year lists its snapshot's rows as they were
   * frozen (an indicator retired since included), each with what the records give now when that
   * differs; indicators added since follow the records.
   */
  async yearFigures(manager: EntityManager, organizationId: string, day: YearDay): Promise<IndicatorsView> {
    const [close, active] = (await eachOn(manager)<FiscalYearClose | Indicator[] | null>([
      () => this.closeInForce(manager, organizationId, day.fiscalYear),
      () => this.active(manager, organizationId),
    ])) as [FiscalYearClose | null, Indicator[]];
    if (!close) {
      const live = await this.liveRows(manager, organizationId, active, day);
      return { fiscalYear: day.fiscalYear, asOf: day.asOf, yearOver: day.yearOver, closed: null, items: live, total: live.length };
    }
    const snapshotCodes = close.indicators.map((row) => row.code);
    const indicators = (await manager.getRepository(Indicator).find({ where: { organizationId }, order: { position: 'ASC', code: 'ASC' } })).filter(
      (i) => i.retiredAt === null || snapshotCodes.includes(i.code),
    );
    const live = new Map((await this.liveRows(manager, organizationId, indicators, yearDayOf(day.fiscalYear))).map((row) => [row.code, row]));
    const names = await staffNames(manager, organizationId, [close.closedById, close.reopenedById]);
    const frozen = close.indicators.map((kept): IndicatorRowView => {
      const now = live.get(kept.code);
      const changed = !!now && (now.value !== kept.value || now.numerator !== kept.numerator || now.denominator !== kept.denominator);
      return {
        code: kept.code,
        title: kept.title,
        titleEn: kept.titleEn,
        definition: now?.definition ?? '',
        definitionEn: now?.definitionEn ?? null,
        unit: kept.unit as IndicatorRowView['unit'],
        direction: kept.direction as IndicatorRowView['direction'],
        planItem: kept.planItem,
        source: kept.source,
        target: kept.target,
        value: kept.value,
        status: kept.status as IndicatorRowView['status'],
        numerator: kept.numerator,
        denominator: kept.denominator,
        projected: null,
        baseline: now?.baseline ?? null,
        frozen: true,
        changedSinceClose: changed,
        currentValue: changed ? (now?.value ?? null) : null,
        sourceNote: kept.sourceNote,
        measuredOn: null,
        enteredAt: null,
        nextValueDue: null,
        stale: false,
      };
    });
    const added = [...live.values()].filter((row) => !snapshotCodes.includes(row.code));
    const items = [...frozen, ...added];
    return { fiscalYear: day.fiscalYear, asOf: close.asOf, yearOver: true, closed: closeSummary(close, names), items, total: items.length };
  }

  /** One indicator of a year with its history across years, the records behind it, and (manual) every value entered. */
  async detail(actor: Actor, code: string, query: { fiscalYear?: number; asOf?: string; limit?: number } = {}): Promise<IndicatorDetailView> {
    assertMay(actor, INDICATORS.read);
    const manager = this.uow.manager;
    const org = actor.organizationId;
    const indicator = await this.indicator(manager, org, code);
    const fiscalYear = askedYear(query);
    const year = await this.yearFigures(manager, org, yearDayOf(fiscalYear, query.asOf));
    const row = year.items.find((item) => item.code === code) ?? (await this.liveRows(manager, org, [indicator], yearDayOf(fiscalYear, query.asOf)))[0]!;
    // the years up to the one asked, or up to next year at most (one statement set per year)
    const current = fiscalYearOf(tokyoToday());
    const history = await this.history(manager, org, indicator, Math.min(Math.max(fiscalYear, current), current + 1));
    let records: CountedRecord[] = [];
    const source = this.sourceOf(indicator);
    // the records themselves only for those the owning module lets see them (an auditor reads the figure, not incident titles or names)
    const recordsHidden = !!source && !may(actor, source.recordsReadBy);
    if (source && !recordsHidden)
      records = await source.records(this.context(manager, org, yearDayOf(fiscalYear, year.closed ? year.asOf : query.asOf)), query.limit ?? 200);
    const entries = indicator.source === 'manual' ? await this.entries(manager, org, indicator.id, fiscalYear) : [];
    return { indicator: row, fiscalYear, history, records, recordsHidden, entries };
  }

  /** The indicator's value every year from its first target (or baseline) to `lastYear`. */
  async history(manager: EntityManager, organizationId: string, indicator: Indicator, lastYear: number): Promise<IndicatorHistoryYearView[]> {
    const first = Math.min(
      lastYear,
      indicator.targets[0]?.from ?? FIRST_YEAR_FALLBACK,
      indicator.baseline ? Math.max(indicator.baseline.fiscalYear, FIRST_YEAR_FALLBACK) : FIRST_YEAR_FALLBACK,
    );
    const years = Array.from({ length: lastYear - first + 1 }, (_, i) => first + i);
    const closes = (await manager.getRepository(FiscalYearClose).find({ where: { organizationId } })).filter((c) => c.reopenedAt === null);
    const frozen = new Map(closes.map((c) => [c.fiscalYear, c.indicators.find((row) => row.code === indicator.code)]));
    return Promise.all(
      years.map(async (fiscalYear): Promise<IndicatorHistoryYearView> => {
        const kept = frozen.get(fiscalYear);
        if (kept) return { fiscalYear, target: kept.target, value: kept.value, status: kept.status as IndicatorHistoryYearView['status'], frozen: true };
        const [row] = await this.liveRows(manager, organizationId, [indicator], yearDayOf(fiscalYear));
        return { fiscalYear, target: row!.target, value: row!.value, status: row!.status, frozen: false };
      }),
    );
  }

  /**
   * Enters a manual indicator's value for a year (a new entry; the one before stays in the history).
   * Refused for a computed indicator, a closed year, a figure out of its unit's range.
   */
  async enterValue(actor: Actor, code: string, fiscalYear: number, dto: ManualValueDto): Promise<IndicatorRowView> {
    assertMay(actor, INDICATORS.enter_value);
    return this.uow.run(actor, async (tx) => {
      const org = actor.organizationId;
      const indicator = await this.indicator(tx.manager, org, code);
      if (indicator.retiredAt !== null) throw new AppException('INDICATOR_NOT_FOUND', `${code} is retired (no longer in indicators.yaml)`);
      if (indicator.source !== 'manual')
        throw new AppException('INDICATOR_COMPUTED', `${code} is computed from the records (${indicator.source}); its value cannot be entered`);
      // the year's close is taken under the same lock, so a value cannot slip into a year being closed
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fiscal_year:${org}:${fiscalYear}`]);
      if (await this.closeInForce(tx.manager, org, fiscalYear))
        throw new AppException('FISCAL_YEAR_CLOSED', `FY${fiscalYear} is closed; reopen it to change its figures`);
      const value = Number(dto.value);
      if (indicator.unit === 'percent' && value > 100)
        throw new AppException('VALIDATION_FAILED', 'A percentage is at most 100', [{ field: 'value', messages: ['value must be 0–100 for a percentage'] }]);
      if (indicator.unit === 'yes_no' && value !== 0 && value !== 1)
        throw new AppException('VALIDATION_FAILED', 'A yes/no figure is 1 or 0', [{ field: 'value', messages: ['value must be 1 (yes) or 0 (no)'] }]);
      if (indicator.unit === 'count' && !Number.isInteger(value))
        throw new AppException('VALIDATION_FAILED', 'A count is a whole number', [{ field: 'value', messages: ['value must be a whole number'] }]);
      const { first, last } = fiscalYearDays(fiscalYear);
      const today = tokyoToday();
      const measuredOn = dto.measuredOn ?? (today < last ? today : last);
      if (measuredOn < first || measuredOn > last)
        throw new AppException('VALIDATION_FAILED', 'The day must fall in the fiscal year', [
          { field: 'measuredOn', messages: [`measuredOn must be between ${first} and ${last}`] },
        ]);
      if (measuredOn > today)
        throw new AppException('VALIDATION_FAILED', 'The day cannot be in the future', [
          { field: 'measuredOn', messages: ['measuredOn must not be after today'] },
        ]);
      const sourceNote = dto.sourceNote.trim();
      if (!sourceNote)
        throw new AppException('VALIDATION_FAILED', 'Say where the figure comes from', [{ field: 'sourceNote', messages: ['sourceNote must not be blank'] }]);
      await tx.create(
        IndicatorValue,
        { indicatorId: indicator.id, fiscalYear, value, sourceNote, measuredOn, enteredById: actor.staffId, enteredAt: new Date() },
        { action: 'indicator_value.create', entityType: 'indicator_value', context: { code, fiscalYear } },
      );
      const [row] = await this.liveRows(tx.manager, org, [indicator], yearDayOf(fiscalYear));
      return row!;
    });
  }

  // ------------------------------------------------------------------------------------------------

  /** The indicators in force (not retired), in the file's order. */
  active(manager: EntityManager, organizationId: string): Promise<Indicator[]> {
    return manager
      .getRepository(Indicator)
      .createQueryBuilder('i')
      .where('i.organizationId = :organizationId AND i.retiredAt IS NULL', { organizationId })
      .orderBy('i.position')
      .addOrderBy('i.code')
      .getMany();
  }

  async indicator(manager: EntityManager, organizationId: string, code: string): Promise<Indicator> {
    const found = await manager.getRepository(Indicator).findOne({ where: { organizationId, code } });
    if (!found) throw new AppException('INDICATOR_NOT_FOUND');
    return found;
  }

  closeInForce(manager: EntityManager, organizationId: string, fiscalYear: number): Promise<FiscalYearClose | null> {
    return manager
      .getRepository(FiscalYearClose)
      .createQueryBuilder('c')
      .where('c.organizationId = :organizationId AND c.fiscalYear = :fiscalYear AND c.reopenedAt IS NULL', { organizationId, fiscalYear })
      .getOne();
  }

  /** The rows computed from the records now (or entered by hand), never from a close. */
  async liveRows(manager: EntityManager, organizationId: string, indicators: readonly Indicator[], day: YearDay): Promise<IndicatorRowView[]> {
    const ctx = this.context(manager, organizationId, day);
    const each = eachOn(manager);
    // the manual values in one statement, beside the computed ones (first, in a transaction)
    const latestValues = this.latestValues(
      manager,
      organizationId,
      indicators.filter((i) => i.source === 'manual').map((i) => i.id),
      day,
    );
    // (awaited by the manual rows; a failure is theirs to report, never an unhandled rejection)
    latestValues.catch(() => undefined);
    if (inTransaction(manager)) await latestValues;
    const today = tokyoToday();
    // a year that has not begun on the day asked has nothing to judge yet
    const notStarted = day.asOf < fiscalYearDays(day.fiscalYear).first;
    return each(
      indicators.map((indicator) => async (): Promise<IndicatorRowView> => {
        const target = targetOf(indicator, day.fiscalYear);
        const base = {
          code: indicator.code,
          title: indicator.title,
          titleEn: indicator.titleEn,
          definition: indicator.definition,
          definitionEn: indicator.definitionEn,
          unit: indicator.unit,
          direction: indicator.direction,
          planItem: indicator.planItem,
          target,
          baseline: indicator.baseline,
          frozen: false,
          changedSinceClose: false,
          currentValue: null,
        };
        const source = this.sourceOf(indicator);
        if (source) {
          const figure: ComputedFigure = await source.compute(ctx);
          const projected = day.yearOver ? null : (figure.projected ?? null);
          return {
            ...base,
            source: 'computed',
            value: figure.value,
            numerator: figure.numerator,
            denominator: figure.denominator,
            projected,
            details: figure.details,
            status: notStarted
              ? 'no_data'
              : indicatorStatus({ unit: indicator.unit, direction: indicator.direction, target, value: exact(figure), projected, yearOver: day.yearOver }),
            sourceNote: null,
            measuredOn: null,
            enteredAt: null,
            nextValueDue: null,
            stale: false,
          };
        }
        const latest = (await latestValues).get(indicator.id);
        const entry = latest && latest.value.fiscalYear === day.fiscalYear ? latest : undefined;
        const value = entry ? entry.value.value : null;
        const final = entry ? entry.value.measuredOn >= fiscalYearDays(day.fiscalYear).last : false;
        // the next value is due a period after the last one (of this year, or while the year runs, of an earlier one)
        const last = entry ?? (day.yearOver ? undefined : latest);
        const nextValueDue = last && !final && indicator.updateEveryMonths ? addMonths(last.value.measuredOn, indicator.updateEveryMonths) : null;
        return {
          ...base,
          source: 'manual',
          value,
          numerator: null,
          denominator: null,
          projected: null,
          status: notStarted ? 'no_data' : indicatorStatus({ unit: indicator.unit, direction: indicator.direction, target, value, yearOver: day.yearOver }),
          sourceNote: entry?.value.sourceNote ?? null,
          measuredOn: entry?.value.measuredOn ?? null,
          enteredAt: entry?.value.enteredAt.toISOString() ?? null,
          nextValueDue,
          stale: nextValueDue !== null && nextValueDue < today,
        };
      }),
    );
  }

  private sourceOf(indicator: Indicator) {
    return indicator.source.startsWith('computed:') ? (COMPUTED_SOURCES[indicator.source.slice('computed:'.length)] ?? null) : null;
  }

  context(manager: EntityManager, organizationId: string, day: YearDay): ComputeContext {
    return { manager, organizationId, fiscalYear: day.fiscalYear, asOf: day.asOf, countedSeverities: this.countedSeverities };
  }

  /** Each manual indicator's latest value of the year entered by the end of the day asked. */
  /** Each manual indicator's latest value of the year entered by the end of the day asked, else its latest of an earlier year. */
  private async latestValues(manager: EntityManager, organizationId: string, ids: readonly string[], day: YearDay): Promise<Map<string, LatestValue>> {
    if (!ids.length) return new Map();
    const found = await manager
      .getRepository(IndicatorValue)
      .createQueryBuilder('v')
      .distinctOn(['v.indicatorId'])
      .where('v.organizationId = :organizationId AND v.fiscalYear <= :fiscalYear AND v.indicatorId IN (:...ids)', {
        organizationId,
        fiscalYear: day.fiscalYear,
        ids,
      })
      .andWhere(`v.enteredAt < (:day::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'`, { day: day.asOf })
      .orderBy('v.indicatorId')
      .addOrderBy('v.fiscalYear', 'DESC')
      .addOrderBy('v.measuredOn', 'DESC')
      .addOrderBy('v.enteredAt', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .getMany();
    return new Map(found.map((value) => [value.indicatorId, { value }]));
  }

  private async entries(manager: EntityManager, organizationId: string, indicatorId: string, fiscalYear: number): Promise<ManualValueEntryView[]> {
    const found = await manager
      .getRepository(IndicatorValue)
      .find({ where: { organizationId, indicatorId, fiscalYear }, order: { enteredAt: 'DESC', id: 'DESC' } });
    const names = await staffNames(
      manager,
      organizationId,
      found.map((v) => v.enteredById),
    );
    return found.map((v) => ({
      id: v.id,
      fiscalYear: v.fiscalYear,
      value: v.value,
      sourceNote: v.sourceNote,
      measuredOn: v.measuredOn,
      enteredBy: v.enteredById ? (names.get(v.enteredById) ?? null) : null,
      enteredAt: v.enteredAt.toISOString(),
    }));
  }
}

/** A frozen row from a live one. */
export function frozenRow(row: IndicatorRowView): FrozenIndicator {
  return {
    code: row.code,
    title: row.title,
    titleEn: row.titleEn,
    unit: row.unit,
    direction: row.direction,
    planItem: row.planItem,
    source: row.source,
    target: row.target,
    value: row.value,
    status: row.status,
    numerator: row.numerator,
    denominator: row.denominator,
    sourceNote: row.sourceNote,
  };
}
