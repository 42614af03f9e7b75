import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoInstant } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import type { FieldError } from '../common/errors/app.exception.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { drillInvitation } from './drill-calendar.js';
import { DRILL_PERSON_SQL } from './drill-people.js';
import './drill.events.js';
import { Drill, type DrillInvitees } from './drill.entity.js';
import type { DrillQuery, ScheduleDrillDto, UpdateDrillDto } from './dto/drill.dto.js';
import { DRILL_READ_ALL, RESPONSE_PLAN, seesDrill } from './response-plan.permissions.js';

function inviteesOf(invitees: DrillInvitees): DrillInvitees {
  const out: DrillInvitees = {};
  if (invitees.staffIds?.length) out.staffIds = [...new Set(invitees.staffIds)];
  if (invitees.roles?.length) out.roles = [...new Set(invitees.roles)];
  if (invitees.departmentIds?.length) out.departmentIds = [...new Set(invitees.departmentIds)];
  return out;
}

/**
 * Drills of the response plan's scenarios (plan item III-5): the security office schedules, changes
 * and cancels them; the office, the CISO, the CSIRT, the facilitator and the invitees read them and
 * their iCalendar invitation.
 */
@Injectable()
export class DrillsService {
  constructor(private readonly uow: UnitOfWork) {}

  /** Schedules a drill of a scenario in force (SEQUENCE 0). */
  async schedule(actor: Actor, dto: ScheduleDrillDto): Promise<Drill> {
    assertMay(actor, RESPONSE_PLAN.schedule_drills);
    return this.uow.run(actor, async (tx) => {
      const startsAt = tokyoInstant(dto.startsAt);
      const endsAt = tokyoInstant(dto.endsAt);
      const invitees = inviteesOf(dto.invitees);
      await this.assertLinks(tx, { startsAt, endsAt, scenarioId: dto.scenarioId, facilitatorId: dto.facilitatorId, invitees });
      const drill = await tx.create(
        Drill,
        {
          scenarioId: dto.scenarioId,
          kind: dto.kind,
          title: dto.title.trim(),
          startsAt,
          endsAt,
          location: dto.location?.trim() || null,
          onlineUrl: dto.onlineUrl || null,
          facilitatorId: dto.facilitatorId,
          invitees,
          status: 'scheduled',
          sequence: 0,
          fiscalYear: fiscalYearOf(startsAt),
        },
        { action: 'drill.schedule', entityType: 'drill' },
      );
      await tx.publish({ type: 'drill.scheduled', drillId: drill.id, sequence: drill.sequence });
      return drill;
    });
  }

  /** Changes a scheduled drill; its invitation's SEQUENCE goes up by one. */
  async update(actor: Actor, id: string, dto: UpdateDrillDto): Promise<Drill> {
    assertMay(actor, RESPONSE_PLAN.schedule_drills);
    return this.uow.run(actor, async (tx) => {
      const drill = await this.visible(actor, tx.manager, id, true);
      this.assertScheduled(drill);
      const startsAt = dto.startsAt ? tokyoInstant(dto.startsAt) : drill.startsAt;
      const endsAt = dto.endsAt ? tokyoInstant(dto.endsAt) : drill.endsAt;
      const facilitatorId = dto.facilitatorId ?? drill.facilitatorId;
      const invitees = dto.invitees ? inviteesOf(dto.invitees) : drill.invitees;
      await this.assertLinks(tx, { startsAt, endsAt, facilitatorId, invitees });
      const before = { facilitatorId: drill.facilitatorId, invitees: structuredClone(drill.invitees) };
      const changed = await tx.update(
        drill,
        {
          title: dto.title?.trim() ?? drill.title,
          startsAt,
          endsAt,
          location: dto.location === undefined ? drill.location : dto.location?.trim() || null,
          onlineUrl: dto.onlineUrl === undefined ? drill.onlineUrl : dto.onlineUrl || null,
          facilitatorId,
          invitees,
          fiscalYear: fiscalYearOf(startsAt),
          sequence: drill.sequence + 1,
        },
        { action: 'drill.update', entityType: 'drill' },
      );
      await tx.publish({ type: 'drill.changed', drillId: changed.id, sequence: changed.sequence, before });
      return changed;
    });
  }

  /** Cancels a scheduled drill: the invitation becomes METHOD:CANCEL with the next SEQUENCE. */
  async cancel(actor: Actor, id: string, reason: string): Promise<Drill> {
    assertMay(actor, RESPONSE_PLAN.schedule_drills);
    return this.uow.run(actor, async (tx) => {
      const drill = await this.visible(actor, tx.manager, id, true);
      this.assertScheduled(drill);
      const cancelled = await tx.update(
        drill,
        { status: 'cancelled', cancelledAt: new Date(), cancelReason: reason.trim(), sequence: drill.sequence + 1 },
        { action: 'drill.cancel', entityType: 'drill' },
      );
      await tx.publish({ type: 'drill.cancelled', drillId: cancelled.id, sequence: cancelled.sequence });
      return cancelled;
    });
  }

  /** The drills the reader sees, by start, optionally of one fiscal year. */
  async list(actor: Actor, query: DrillQuery): Promise<Page<Drill>> {
    assertMay(actor, RESPONSE_PLAN.read_drill);
    const qb = this.uow.manager.getRepository(Drill).createQueryBuilder('d').where('d.organizationId = :org', { org: actor.organizationId });
    if (query.fiscalYear !== undefined) qb.andWhere('d.fiscalYear = :fy', { fy: query.fiscalYear });
    if (!(actor.system || actor.roles.some((role) => DRILL_READ_ALL.includes(role)))) {
      // the same rule as the invitations, the reminders and the calendar feed: the reader is one of the drill's people
      qb.andWhere(`EXISTS (SELECT 1 FROM staff s WHERE s.id = :me AND s.organization_id = d.organization_id AND ${DRILL_PERSON_SQL})`, {
        me: actor.staffId,
      });
    }
    const { skip, take } = skipTake(query);
    const [items, total] = await qb.orderBy('d.startsAt', 'ASC').addOrderBy('d.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return pageOf(items, total, query);
  }

  /** One drill, if the reader sees it (404 otherwise). */
  async get(actor: Actor, id: string): Promise<Drill> {
    assertMay(actor, RESPONSE_PLAN.read_drill);
    return this.visible(actor, this.uow.manager, id);
  }

  /** The drill's invitation (RFC 5545), for whoever reads the drill. */
  async invitation(actor: Actor, id: string): Promise<string> {
    assertMay(actor, RESPONSE_PLAN.read_drill);
    const drill = await this.visible(actor, this.uow.manager, id);
    const [facts] = (await this.uow.manager.query(
      `SELECT sc.title AS scenario_title, st.email, st.family_name || ' ' || st.given_name AS name
         FROM response_scenarios sc LEFT JOIN staff st ON st.id = $2 AND st.organization_id = sc.organization_id
        WHERE sc.id = $1`,
      [drill.scenarioId, drill.facilitatorId],
    )) as { scenario_title: string; email: string | null; name: string | null }[];
    return drillInvitation({
      id: drill.id,
      title: drill.title,
      kind: drill.kind,
      scenarioTitle: facts?.scenario_title ?? '',
      startsAt: drill.startsAt,
      endsAt: drill.endsAt,
      location: drill.location,
      onlineUrl: drill.onlineUrl,
      sequence: drill.sequence,
      cancelled: drill.status === 'cancelled',
      organizerEmail: facts?.email ?? null,
      organizerName: facts?.name ?? null,
    });
  }

  private async visible(actor: Actor, manager: EntityManager, id: string, lock = false): Promise<Drill> {
    const drill = await manager
      .getRepository(Drill)
      .findOne({ where: { id, organizationId: actor.organizationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!drill || !seesDrill(actor, drill)) throw new AppException('DRILL_NOT_FOUND');
    return drill;
  }

  private assertScheduled(drill: Drill): void {
    if (drill.status !== 'scheduled') throw new AppException('DRILL_NOT_SCHEDULED', `The drill is ${drill.status}`, undefined, { drillStatus: drill.status });
  }

  /** The times in order; the scenario in force, the facilitator active, the people and departments invited of this organisation. */
  private async assertLinks(
    tx: Transaction,
    plan: { startsAt: Date; endsAt: Date; scenarioId?: string; facilitatorId: string; invitees: DrillInvitees },
  ): Promise<void> {
    if (!(plan.endsAt.getTime() > plan.startsAt.getTime()))
      throw new AppException('VALIDATION_FAILED', undefined, [{ field: 'endsAt', messages: ['must be after startsAt'] }]);
    const org = tx.actor.organizationId;
    const errors: FieldError[] = [];
    if (plan.scenarioId) {
      const [scenario] = (await tx.manager.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 AND id = $2 AND retired_at IS NULL`, [
        org,
        plan.scenarioId,
      ])) as { id: string }[];
      if (!scenario) errors.push({ field: 'scenarioId', messages: ['no such scenario in force'] });
    }
    const people = [plan.facilitatorId, ...(plan.invitees.staffIds ?? [])];
    const active = new Set(
      (
        (await tx.manager.query(`SELECT id FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`, [org, people])) as {
          id: string;
        }[]
      ).map((row) => row.id),
    );
    if (!active.has(plan.facilitatorId)) errors.push({ field: 'facilitatorId', messages: ['must be an active member of staff'] });
    const unknownPeople = (plan.invitees.staffIds ?? []).filter((id) => !active.has(id));
    if (unknownPeople.length) errors.push({ field: 'invitees.staffIds', messages: [`no such active member of staff: ${unknownPeople.join(', ')}`] });
    if (plan.invitees.departmentIds?.length) {
      const open = new Set(
        (
          (await tx.manager.query(`SELECT id FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND closed_on IS NULL`, [
            org,
            plan.invitees.departmentIds,
          ])) as { id: string }[]
        ).map((row) => row.id),
      );
      const unknown = plan.invitees.departmentIds.filter((id) => !open.has(id));
      if (unknown.length) errors.push({ field: 'invitees.departmentIds', messages: [`no such open department: ${unknown.join(', ')}`] });
    }
    if (errors.length) throw new AppException('DRILL_LINK_INVALID', undefined, errors);
  }
}
