import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { addMonths, tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Department } from '../staff/department.entity.js';
import { Control } from './control.entity.js';
import './controls.events.js';
import { CONTROLS } from './controls.permissions.js';
import type { ControlCheckDto, ControlQuery, UpdateControlDto } from './dto/control.dto.js';

/** Months between checks, by the catalogue's frequency. */
export const FREQUENCY_MONTHS: Record<string, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/** The next check after one done `now`: today in Asia/Tokyo + the frequency. */
export function nextCheckDueFrom(frequency: string, now: Date = new Date()): string {
  return addMonths(tokyoToday(now), FREQUENCY_MONTHS[frequency] ?? 12);
}

@Injectable()
export class ControlsService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(actor: Actor, query: ControlQuery): Promise<Page<Control>> {
    assertMay(actor, CONTROLS.read);
    const qb = this.uow.manager
      .getRepository(Control)
      .createQueryBuilder('c')
      .where('c.organizationId = :org', { org: actor.organizationId })
      .orderBy('c.chapter', 'ASC')
      .addOrderBy('c.code', 'ASC')
      .skip(skipTake(query).skip)
      .take(query.pageSize);
    if (!query.includeRetired) qb.andWhere('c.retiredAt IS NULL');
    if (query.chapter !== undefined) qb.andWhere('c.chapter = :chapter', { chapter: query.chapter });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.ownerDepartmentId) qb.andWhere('c.ownerDepartmentId = :ownerDepartmentId', { ownerDepartmentId: query.ownerDepartmentId });
    if (query.ownerRole) qb.andWhere('c.ownerRole = :ownerRole', { ownerRole: query.ownerRole });
    if (query.essential !== undefined) qb.andWhere('c.essential = :essential', { essential: query.essential });
    if (query.framework) {
      // framework is one of FRAMEWORKS (validated), so it is safe as a jsonb key literal
      if (query.mappedTo) qb.andWhere(`c.mappings -> '${query.framework}' ? :mappedTo`, { mappedTo: query.mappedTo });
      else qb.andWhere(`jsonb_array_length(COALESCE(c.mappings -> '${query.framework}', '[]'::jsonb)) > 0`);
    }
    if (query.q) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.code ILIKE :q', { q: `%${query.q}%` })
            .orWhere('c.title ILIKE :q')
            .orWhere('c.titleEn ILIKE :q'),
        ),
      );
    }
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async get(actor: Actor, id: string): Promise<Control> {
    assertMay(actor, CONTROLS.read);
    const found = await this.uow.manager.getRepository(Control).findOneBy({ id, organizationId: actor.organizationId });
    if (!found) throw new AppException('CONTROL_NOT_FOUND');
    return found;
  }

  /**
   * Changes a control's status (with its reason), next check or owner department. A status change
   * counts as a check: it stamps who and when, and the next check falls due after the frequency.
   */
  async update(actor: Actor, id: string, dto: UpdateControlDto): Promise<Control> {
    assertMay(actor, CONTROLS.update_status);
    if (dto.status === undefined && dto.reason === undefined && dto.nextCheckDue === undefined && dto.ownerDepartmentId === undefined) {
      throw new AppException('VALIDATION_FAILED', 'Nothing to change', [
        { field: 'status', messages: ['give at least one of status, reason, nextCheckDue, ownerDepartmentId'] },
      ]);
    }
    return this.uow.run(actor, async (tx) => {
      const control = await this.lockActive(tx, id);
      const from = control.status;
      const reason = dto.reason?.trim() || null;
      const statusChanges = dto.status !== undefined && dto.status !== from;
      const status = dto.status ?? from;
      // the reason explains the status it is given with; a new status starts without the old one
      const nextReason = dto.reason !== undefined ? reason : statusChanges ? null : control.statusReason;
      if (status === 'not_applicable' && !nextReason) {
        throw new AppException('VALIDATION_FAILED', 'A control that is not applicable needs a reason', [
          { field: 'reason', messages: ['reason is required when the status is not_applicable'] },
        ]);
      }
      if (dto.ownerDepartmentId) {
        const exists = await tx.manager.getRepository(Department).existsBy({ id: dto.ownerDepartmentId, organizationId: actor.organizationId });
        if (!exists) throw new AppException('VALIDATION_FAILED', 'No such department', [{ field: 'ownerDepartmentId', messages: ['no such department'] }]);
      }
      const now = new Date();
      const changes: Partial<Control> = { status, statusReason: nextReason };
      if (statusChanges) {
        Object.assign(changes, {
          statusChangedAt: now,
          statusChangedById: actor.staffId,
          lastCheckedAt: now,
          nextCheckDue: nextCheckDueFrom(control.frequency, now),
        });
      }
      if (dto.nextCheckDue !== undefined) changes.nextCheckDue = dto.nextCheckDue;
      if (dto.ownerDepartmentId !== undefined) changes.ownerDepartmentId = dto.ownerDepartmentId;
      const saved = await tx.update(control, changes, {
        action: 'control.update',
        entityType: 'control',
        context: statusChanges ? { statusFrom: from, statusTo: status } : undefined,
      });
      if (statusChanges) await tx.publish({ type: 'control.status_changed', controlId: control.id, code: control.code, from, to: status });
      return saved;
    });
  }

  /** Records a check that leaves the status as it is: when, and when the next one falls due. */
  async recordCheck(actor: Actor, id: string, dto: ControlCheckDto): Promise<Control> {
    assertMay(actor, CONTROLS.record_check);
    return this.uow.run(actor, async (tx) => {
      const control = await this.lockActive(tx, id);
      const now = new Date();
      const changes = { lastCheckedAt: now, nextCheckDue: dto.nextCheckDue ?? nextCheckDueFrom(control.frequency, now) };
      return tx.update(control, changes, { action: 'control.check', entityType: 'control', context: dto.note?.trim() ? { note: dto.note.trim() } : undefined });
    });
  }

  /**
   * How many active controls are due for checking by `until` (next check on or before it), and how
   * many of them are overdue (before `today`): the work queue's count. Read-only.
   */
  async countDueForCheck(actor: Actor, days: { today: string; until: string }): Promise<{ due: number; overdue: number }> {
    assertMay(actor, CONTROLS.read);
    const [row] = (await this.uow.manager.query(
      `SELECT count(*)::int AS due, count(*) FILTER (WHERE next_check_due < $2::date)::int AS overdue
         FROM controls
        WHERE organization_id = $1 AND retired_at IS NULL AND next_check_due <= $3::date`,
      [actor.organizationId, days.today, days.until],
    )) as { due: number; overdue: number }[];
    return { due: row?.due ?? 0, overdue: row?.overdue ?? 0 };
  }

  /** The active controls due for checking by `until`, soonest (most overdue) first: the list behind that count. Read-only. */
  async dueForCheck(actor: Actor, until: string, page: { page: number; pageSize: number }): Promise<Page<Control>> {
    assertMay(actor, CONTROLS.read);
    const [items, total] = await this.uow.manager
      .getRepository(Control)
      .createQueryBuilder('c')
      .where('c.organizationId = :org', { org: actor.organizationId })
      .andWhere('c.retiredAt IS NULL')
      .andWhere('c.nextCheckDue <= :until', { until })
      .orderBy('c.nextCheckDue', 'ASC')
      .addOrderBy('c.code', 'ASC')
      .skip((page.page - 1) * page.pageSize)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** The control, locked for the change; a retired control cannot be changed. */
  async lockActive(tx: Transaction, id: string): Promise<Control> {
    const control = await tx.manager
      .getRepository(Control)
      .findOne({ where: { id, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!control) throw new AppException('CONTROL_NOT_FOUND');
    if (control.retiredAt) throw new AppException('CONTROL_RETIRED', `Control ${control.code} is retired (no longer in the catalogue)`);
    return control;
  }
}
