import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { fiscalYearDays } from '../training/courses.service.js';
import type { FiscalYearView, YearCloseSummaryView } from './dto/indicators.dto.js';
import { FiscalYearClose } from './fiscal-year-close.entity.js';
import { INDICATORS } from './indicators.permissions.js';
import { closeSummary, frozenRow, IndicatorsService, staffNames, yearDayOf } from './indicators.service.js';

/** The first fiscal year listed (the plan's first). */
const FIRST_LISTED_YEAR = 2019;

/**
 * Year close (年度の締め): the CISO, with a second-factor session, freezes a fiscal year that is over
 * in a snapshot of its indicators carrying the audit trail's head at that moment; later changes to
 * old records do not move a closed year. Reopening is the CISO's too, with a reason; both audited.
 */
@Injectable()
export class FiscalYearsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly indicators: IndicatorsService,
  ) {}

  /** Every fiscal year from the plan's first to the current one, newest first, with its close. */
  async list(actor: Actor): Promise<FiscalYearView[]> {
    assertMay(actor, INDICATORS.read);
    const manager = this.uow.manager;
    const closes = await manager.getRepository(FiscalYearClose).find({ where: { organizationId: actor.organizationId }, order: { closedAt: 'DESC' } });
    const names = await staffNames(
      manager,
      actor.organizationId,
      closes.flatMap((c) => [c.closedById, c.reopenedById]),
    );
    const today = tokyoToday();
    const current = fiscalYearOf(today);
    const years = new Set<number>([...closes.map((c) => c.fiscalYear)]);
    for (let y = FIRST_LISTED_YEAR; y <= current; y++) years.add(y);
    return [...years]
      .sort((a, b) => b - a)
      .map((fiscalYear) => {
        const mine = closes.filter((c) => c.fiscalYear === fiscalYear);
        const inForce = mine.find((c) => c.reopenedAt === null);
        return {
          fiscalYear,
          over: today > fiscalYearDays(fiscalYear).last,
          closed: inForce ? closeSummary(inForce, names) : null,
          reopened: mine.filter((c) => c.reopenedAt !== null).map((c) => closeSummary(c, names)),
        };
      });
  }

  /** Closes a year that is over: its figures as of today, frozen with the audit trail's head. */
  async close(actor: Actor, fiscalYear: number, note?: string): Promise<YearCloseSummaryView> {
    assertMay(actor, INDICATORS.close_year);
    if (!actor.mfa && !actor.system) throw new AppException('YEAR_CLOSE_REQUIRES_SECOND_FACTOR');
    const today = tokyoToday();
    if (today <= fiscalYearDays(fiscalYear).last)
      throw new AppException('FISCAL_YEAR_NOT_OVER', `FY${fiscalYear} runs until ${fiscalYearDays(fiscalYear).last}; it can be closed from the day after`);
    return this.uow.run(actor, async (tx) => {
      const org = actor.organizationId;
      // one close of a year at a time (and no manual value slipping in meanwhile)
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fiscal_year:${org}:${fiscalYear}`]);
      if (await this.indicators.closeInForce(tx.manager, org, fiscalYear)) throw new AppException('FISCAL_YEAR_CLOSED', `FY${fiscalYear} is already closed`);
      // the audit trail's chain lock (the writer's own, taken again for the close's row at commit): no change is
      // chained while the figures are taken, so the head read below is the state they were taken from
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit_trail:${org}`]);
      const day = yearDayOf(fiscalYear, today);
      const rows = await this.indicators.liveRows(tx.manager, org, await this.indicators.active(tx.manager, org), day);
      const [head] = (await tx.manager.query('SELECT a.seq::text AS seq, a.hash FROM audit_trail a WHERE a.organization_id = $1 ORDER BY a.seq DESC LIMIT 1', [
        org,
      ])) as {
        seq: string;
        hash: string;
      }[];
      const close = await tx.create(
        FiscalYearClose,
        {
          fiscalYear,
          closedAt: new Date(),
          closedById: actor.staffId,
          asOf: today,
          auditTrailSeq: head?.seq ?? null,
          auditTrailHash: head?.hash ?? null,
          indicators: rows.map(frozenRow),
          note: note?.trim() || null,
          reopenedAt: null,
          reopenedById: null,
          reopenReason: null,
        },
        { action: 'fiscal_year.close', entityType: 'fiscal_year_close', context: { fiscalYear } },
      );
      await tx.publish({ type: 'fiscal_year.closed', fiscalYear, closeId: close.id });
      return closeSummary(close, await staffNames(tx.manager, org, [actor.staffId]));
    });
  }

  /** Opens a closed year again (its figures follow the records once more); the close is kept in the history. */
  async reopen(actor: Actor, fiscalYear: number, reason: string): Promise<YearCloseSummaryView> {
    assertMay(actor, INDICATORS.reopen_year);
    if (!actor.mfa && !actor.system) throw new AppException('YEAR_CLOSE_REQUIRES_SECOND_FACTOR');
    const why = reason.trim();
    if (!why) throw new AppException('VALIDATION_FAILED', 'Say why the year is opened again', [{ field: 'reason', messages: ['reason must not be blank'] }]);
    return this.uow.run(actor, async (tx) => {
      const org = actor.organizationId;
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fiscal_year:${org}:${fiscalYear}`]);
      const close = await this.indicators.closeInForce(tx.manager, org, fiscalYear);
      if (!close) throw new AppException('FISCAL_YEAR_NOT_CLOSED', `FY${fiscalYear} is not closed`);
      const reopened = await tx.update(
        close,
        { reopenedAt: new Date(), reopenedById: actor.staffId, reopenReason: why },
        { action: 'fiscal_year.reopen', entityType: 'fiscal_year_close', context: { fiscalYear, reason: why } },
      );
      await tx.publish({ type: 'fiscal_year.reopened', fiscalYear, closeId: close.id });
      return closeSummary(reopened, await staffNames(tx.manager, org, [reopened.closedById, actor.staffId]));
    });
  }
}
