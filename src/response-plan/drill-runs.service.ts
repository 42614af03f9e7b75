import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { addDays, tokyoInstant, tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import type { FieldError } from '../common/errors/app.exception.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { RaiseFindingDto } from '../findings/dto/finding.dto.js';
import { FindingsService, type FindingWithActions } from '../findings/findings.service.js';
import { DrillAttendance, DrillEvent, DrillStepRecord } from './drill-record.entity.js';
import { Drill, type DrillStatus } from './drill.entity.js';
import type {
  CompleteStepDto,
  DrillAttendanceView,
  DrillYearFiguresView,
  DrillRecordView,
  DrillStepSummaryView,
  DrillStepTimingView,
  PaperRecordDto,
  RecordDrillEventDto,
} from './dto/drill-run.dto.js';
import { INVITED_STAFF_SQL, invitedStaffParameters } from './drill-people.js';
import { RESPONSE_PLAN, runsDrill, seesDrill } from './response-plan.permissions.js';
import { ResponsePlanVersionsService } from './response-plan-versions.service.js';
import { PlaybookStep } from './scenario.entity.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A paper record's start lies within this many days of the drill's scheduled start (a drill held on another day is rescheduled first). */
export const PAPER_WINDOW_DAYS = 30;

/** Minutes from the start, rounded up: a step done 30 min 1 s after the start took 31 minutes, late against a 30-minute target. */
export function elapsedMinutes(startedAt: Date, at: Date): number {
  return Math.max(0, Math.ceil((at.getTime() - startedAt.getTime()) / MINUTE));
}

/** A step's timing against its target; `doneAt` null: not done. */
export function stepTiming(
  startedAt: Date | null,
  targetMinutes: number,
  doneAt: Date | null,
): Pick<DrillStepTimingView, 'elapsedMinutes' | 'late' | 'minutesLate'> {
  if (!startedAt || !doneAt) return { elapsedMinutes: null, late: null, minutesLate: null };
  const elapsed = elapsedMinutes(startedAt, doneAt);
  return { elapsedMinutes: elapsed, late: elapsed > targetMinutes, minutesLate: elapsed > targetMinutes ? elapsed - targetMinutes : null };
}

/** Steps done on time, late and not done. */
export function stepSummary(steps: readonly Pick<DrillStepTimingView, 'late' | 'doneAt'>[]): DrillStepSummaryView {
  const done = steps.filter((step) => step.doneAt !== null).length;
  const late = steps.filter((step) => step.late === true).length;
  return { total: steps.length, done, onTime: done - late, late, notDone: steps.length - done };
}

/**
 * Running a drill (訓練の実施) and its record: the facilitator (or the security office) starts it,
 * which starts the clock and takes the roll of everyone invited; marks who is there, each playbook
 * step done (with the time and a note), the injects given and the problems met; finishes it. A drill
 * held without the network is entered afterwards from its printed checklist (`recordFromPaper`).
 * The record times each step against its target in the scenario revision in force at the start.
 */
@Injectable()
export class DrillRunsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly findings: FindingsService,
    private readonly versions: ResponsePlanVersionsService,
  ) {}

  /**
   * Starts a scheduled drill now (from the day before its scheduled day on): the clock starts, the
   * playbook is the scenario revision in force, everyone invited is on the roll (absent until marked).
   */
  async start(actor: Actor, id: string): Promise<Drill> {
    return this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['scheduled']);
      // a tap on 開始 weeks ahead is a mistake: from the day before its day on (Tokyo); a drill held on another day is rescheduled first
      const scheduledOn = tokyoToday(drill.startsAt);
      if (tokyoToday() < addDays(scheduledOn, -1))
        throw new AppException('DRILL_TOO_EARLY', `The drill is scheduled for ${scheduledOn}`, undefined, { scheduledOn });
      const started = await this.begin(tx, drill, new Date());
      return tx.update(started, { status: 'running' }, { action: 'drill.start', entityType: 'drill' });
    });
  }

  /** Who is there: the people named are present, the other invitees absent; someone present but not invited joins the roll. */
  async markAttendance(actor: Actor, id: string, presentStaffIds: readonly string[]): Promise<DrillAttendanceView> {
    await this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['running', 'completed']);
      await this.writeAttendance(tx, drill, presentStaffIds, 'presentStaffIds');
    });
    return (await this.record(actor, id)).attendance;
  }

  /**
   * A playbook step done, by position: now while the drill runs, or at `doneAt` (a correction, or
   * a time from the paper sheet). Marking it again replaces the time and note.
   */
  async completeStep(actor: Actor, id: string, position: number, dto: CompleteStepDto): Promise<DrillStepTimingView> {
    await this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['running', 'completed']);
      if (drill.status === 'completed' && dto.doneAt === undefined)
        throw new AppException('VALIDATION_FAILED', undefined, [{ field: 'doneAt', messages: ['give the time the step was done: the drill is finished'] }]);
      const step = await this.step(tx.manager, drill, position);
      const doneAt = dto.doneAt === undefined ? new Date() : tokyoInstant(dto.doneAt);
      this.assertWithin(drill, [{ field: 'doneAt', at: doneAt }]);
      await this.writeStep(tx, drill, step, doneAt, dto.note);
    });
    const record = await this.record(actor, id);
    return record.steps.find((step) => step.position === position)!;
  }

  /** Takes back a step marked done by mistake (while the drill runs, or as a correction afterwards). */
  async undoStep(actor: Actor, id: string, position: number): Promise<void> {
    await this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['running', 'completed']);
      await this.step(tx.manager, drill, position);
      const found = await tx.manager.getRepository(DrillStepRecord).findOneBy({ drillId: drill.id, position });
      if (!found) return;
      await tx.manager.getRepository(DrillStepRecord).delete({ id: found.id });
      tx.audit({
        action: 'drill_step.undo',
        entityType: 'drill_step_record',
        entityId: found.id,
        before: { ...found },
        context: { drillId: drill.id, position },
      });
    });
  }

  /** An inject given (状況付与) or a problem met (課題), now or at `occurredAt`. */
  async recordEvent(actor: Actor, id: string, dto: RecordDrillEventDto): Promise<DrillEvent> {
    return this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['running', 'completed']);
      const occurredAt = dto.occurredAt === undefined ? new Date() : tokyoInstant(dto.occurredAt);
      this.assertWithin(drill, [{ field: 'occurredAt', at: occurredAt }]);
      return tx.create(
        DrillEvent,
        { drillId: drill.id, kind: dto.kind, text: dto.text.trim(), occurredAt, recordedById: tx.actor.staffId },
        { action: 'drill_event.record', entityType: 'drill_event', context: { drillId: drill.id } },
      );
    });
  }

  /** Finishes a running drill now, optionally with its lessons. */
  async finish(actor: Actor, id: string, lessons?: string): Promise<Drill> {
    return this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['running']);
      return tx.update(
        drill,
        { status: 'completed', finishedAt: new Date(), ...(lessons !== undefined ? { lessons: lessons.trim() } : {}) },
        { action: 'drill.finish', entityType: 'drill' },
      );
    });
  }

  /** The lessons (反省点・教訓) of a finished drill. */
  async writeLessons(actor: Actor, id: string, lessons: string): Promise<Drill> {
    return this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['completed']);
      return tx.update(drill, { lessons: lessons.trim() }, { action: 'drill.lessons', entityType: 'drill' });
    });
  }

  /**
   * A drill held without the network, entered afterwards from its printed checklist: the start and
   * finish, who was there, each step's time, the injects and problems, the lessons. All of it or
   * nothing: every wrong time or position is named (`steps.2.doneAt`).
   */
  async recordFromPaper(actor: Actor, id: string, dto: PaperRecordDto): Promise<Drill> {
    return this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['scheduled']);
      const startedAt = tokyoInstant(dto.startedAt);
      const finishedAt = tokyoInstant(dto.finishedAt);
      const now = Date.now();
      const errors: FieldError[] = [];
      if (startedAt.getTime() > now) errors.push({ field: 'startedAt', messages: ['must not be in the future'] });
      else if (Math.abs(startedAt.getTime() - drill.startsAt.getTime()) > PAPER_WINDOW_DAYS * DAY)
        errors.push({ field: 'startedAt', messages: [`must be within ${PAPER_WINDOW_DAYS} days of the drill’s scheduled start; change the schedule first`] });
      if (!(finishedAt.getTime() > startedAt.getTime())) errors.push({ field: 'finishedAt', messages: ['must be after startedAt'] });
      else if (finishedAt.getTime() > now) errors.push({ field: 'finishedAt', messages: ['must not be in the future'] });
      if (errors.length) throw new AppException('DRILL_TIME_INVALID', undefined, errors);

      const begun = await this.begin(tx, drill, startedAt);
      const steps = await this.playbook(tx.manager, begun);
      const window = { startedAt, finishedAt };
      const seen = new Set<number>();
      const positions: FieldError[] = [];
      dto.steps.forEach((entry, i) => {
        if (!steps.some((step) => step.position === entry.position))
          positions.push({ field: `steps.${i}.position`, messages: [`the scenario has no step ${entry.position}`] });
        else if (seen.has(entry.position)) positions.push({ field: `steps.${i}.position`, messages: [`step ${entry.position} is given twice`] });
        seen.add(entry.position);
        if (!within(window, tokyoInstant(entry.doneAt))) errors.push({ field: `steps.${i}.doneAt`, messages: ['must be between startedAt and finishedAt'] });
      });
      if (positions.length) throw new AppException('VALIDATION_FAILED', undefined, positions);
      (dto.events ?? []).forEach((event, i) => {
        if (!within(window, tokyoInstant(event.occurredAt)))
          errors.push({ field: `events.${i}.occurredAt`, messages: ['must be between startedAt and finishedAt'] });
      });
      if (errors.length) throw new AppException('DRILL_TIME_INVALID', undefined, errors);

      await this.writeAttendance(tx, begun, dto.presentStaffIds, 'presentStaffIds');
      for (const entry of dto.steps) {
        await this.writeStep(
          tx,
          begun,
          steps.find((step) => step.position === entry.position)!,
          tokyoInstant(entry.doneAt),
          entry.note,
        );
      }
      for (const event of dto.events ?? []) {
        await tx.create(
          DrillEvent,
          { drillId: drill.id, kind: event.kind, text: event.text.trim(), occurredAt: tokyoInstant(event.occurredAt), recordedById: tx.actor.staffId },
          { action: 'drill_event.record', entityType: 'drill_event', context: { drillId: drill.id } },
        );
      }
      return tx.update(
        begun,
        { status: 'completed', finishedAt, recordedOnPaper: true, lessons: dto.lessons?.trim() ?? begun.lessons },
        { action: 'drill.record_paper', entityType: 'drill' },
      );
    });
  }

  /**
   * A finding raised from a drill (source `drill`): it joins the findings board with its corrective actions.
   * `raisedOn` (a past day, for its fiscal year and reference) is for the demo data only; the API never gives it.
   */
  async raiseFinding(actor: Actor, id: string, dto: RaiseFindingDto, raisedOn?: string): Promise<FindingWithActions> {
    return this.uow.run(actor, async (tx) => {
      const drill = await this.runnable(tx, id);
      this.assertStatus(drill, ['running', 'completed']);
      await this.findings.assertLinks(tx, [dto]);
      return this.findings.raise(tx, { source: 'drill', sourceId: drill.id, ...(raisedOn ? { raisedOn } : {}) }, { ...dto, title: dto.title.trim() });
    });
  }

  /** The record: each step against its target (late ones marked), attendance, injects and problems, lessons, findings. */
  async record(actor: Actor, id: string): Promise<DrillRecordView> {
    assertMay(actor, RESPONSE_PLAN.read_drill);
    const manager = this.uow.manager;
    const drill = await manager.getRepository(Drill).findOneBy({ id, organizationId: actor.organizationId });
    if (!drill || !seesDrill(actor, drill)) throw new AppException('DRILL_NOT_FOUND');
    const org = actor.organizationId;
    const [facts] = (await manager.query(
      `SELECT sc.title AS scenario_title, sc.revision, coalesce(st.family_name || ' ' || st.given_name, '') AS facilitator_name
         FROM response_scenarios sc LEFT JOIN staff st ON st.id = $3 AND st.organization_id = sc.organization_id
        WHERE sc.organization_id = $1 AND sc.id = $2`,
      [org, drill.scenarioId, drill.facilitatorId],
    )) as { scenario_title: string; revision: number; facilitator_name: string }[];
    const [steps, done, people, events, findings] = await Promise.all([
      this.playbook(manager, drill, facts?.revision),
      manager.getRepository(DrillStepRecord).findBy({ drillId: drill.id }),
      manager.query(
        `SELECT a.staff_id, a.invited, a.present, s.family_name || ' ' || s.given_name AS name, d.name AS department_name
           FROM drill_attendance a JOIN staff s ON s.id = a.staff_id LEFT JOIN departments d ON d.id = s.department_id
          WHERE a.drill_id = $1 ORDER BY a.invited DESC, d.code NULLS LAST, s.family_name_kana, s.given_name_kana, s.id`,
        [drill.id],
      ) as Promise<{ staff_id: string; invited: boolean; present: boolean; name: string; department_name: string | null }[]>,
      manager.getRepository(DrillEvent).find({ where: { drillId: drill.id }, order: { occurredAt: 'ASC', createdAt: 'ASC' } }),
      manager.query(
        `SELECT id, reference, title, severity, status, to_char(due_date, 'YYYY-MM-DD') AS due_date
           FROM findings WHERE organization_id = $1 AND source = 'drill' AND source_id = $2 ORDER BY reference`,
        [org, drill.id],
      ) as Promise<{ id: string; reference: string; title: string; severity: string; status: string; due_date: string }[]>,
    ]);
    const timings: DrillStepTimingView[] = steps.map((step) => {
      const entry = done.find((row) => row.position === step.position) ?? null;
      return {
        position: step.position,
        stepId: step.id,
        phase: step.phase,
        action: step.action,
        actionEn: step.actionEn,
        role: step.role,
        targetMinutes: step.targetMinutes,
        doneAt: entry?.doneAt ?? null,
        ...stepTiming(drill.startedAt, step.targetMinutes, entry?.doneAt ?? null),
        note: entry?.note ?? '',
      };
    });
    const invited = people.filter((person) => person.invited);
    const present = invited.filter((person) => person.present).length;
    return {
      drillId: drill.id,
      title: drill.title,
      kind: drill.kind,
      drillStatus: drill.status,
      scenarioId: drill.scenarioId,
      scenarioTitle: facts?.scenario_title ?? '',
      scenarioRevision: drill.scenarioRevision,
      startsAt: drill.startsAt,
      startedAt: drill.startedAt,
      finishedAt: drill.finishedAt,
      durationMinutes: drill.startedAt && drill.finishedAt ? elapsedMinutes(drill.startedAt, drill.finishedAt) : null,
      recordedOnPaper: drill.recordedOnPaper,
      facilitatorId: drill.facilitatorId,
      facilitatorName: facts?.facilitator_name ?? '',
      steps: timings,
      stepSummary: stepSummary(timings),
      attendance: {
        invited: invited.length,
        present,
        walkIns: people.filter((person) => !person.invited && person.present).length,
        rate: invited.length ? present / invited.length : null,
        people: people.map((person) => ({
          staffId: person.staff_id,
          name: person.name,
          departmentName: person.department_name,
          invited: person.invited,
          present: person.present,
        })),
      },
      events: events.map((event) => ({
        id: event.id,
        kind: event.kind,
        occurredAt: event.occurredAt,
        elapsedMinutes: drill.startedAt ? elapsedMinutes(drill.startedAt, event.occurredAt) : null,
        text: event.text,
      })),
      lessons: drill.lessons,
      findings: findings.map((row) => ({
        id: row.id,
        reference: row.reference,
        title: row.title,
        severity: row.severity,
        status: row.status,
        dueDate: row.due_date,
      })),
    };
  }

  /**
   * The drill figures of a fiscal year (plan item III-5): drills held by kind, those still planned
   * and cancelled, the attendance rate over the drills held (present invitees ÷ invitees), their
   * steps on time, late and not done, and the findings raised from them. One query per figure group.
   */
  async figures(actor: Actor, fiscalYear: number): Promise<DrillYearFiguresView> {
    assertMay(actor, RESPONSE_PLAN.read_drill_figures);
    const manager = this.uow.manager;
    const org = actor.organizationId;
    const [counts] = (await manager.query(
      `SELECT count(*) FILTER (WHERE status = 'completed' AND kind = 'tabletop')::int AS tabletop,
              count(*) FILTER (WHERE status = 'completed' AND kind = 'functional')::int AS functional,
              count(*) FILTER (WHERE status = 'completed' AND kind = 'full_scale')::int AS full_scale,
              count(*) FILTER (WHERE status = 'completed')::int AS total,
              count(*) FILTER (WHERE status IN ('scheduled', 'running'))::int AS planned,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
         FROM drills WHERE organization_id = $1 AND fiscal_year = $2`,
      [org, fiscalYear],
    )) as { tabletop: number; functional: number; full_scale: number; total: number; planned: number; cancelled: number }[];
    const [attendance] = (await manager.query(
      `SELECT count(*) FILTER (WHERE a.invited)::int AS invited, count(*) FILTER (WHERE a.invited AND a.present)::int AS present
         FROM drills d JOIN drill_attendance a ON a.drill_id = d.id
        WHERE d.organization_id = $1 AND d.fiscal_year = $2 AND d.status = 'completed'`,
      [org, fiscalYear],
    )) as { invited: number; present: number }[];
    // each held drill's steps (of the revision it ran) against the record's times
    const [steps] = (await manager.query(
      `SELECT count(*)::int AS total, count(r.id)::int AS done,
              count(r.id) FILTER (WHERE ceil(extract(epoch FROM r.done_at - d.started_at) / 60) > p.target_minutes)::int AS late
         FROM drills d
         JOIN playbook_steps p ON p.scenario_id = d.scenario_id AND p.revision = d.scenario_revision
         LEFT JOIN drill_step_records r ON r.drill_id = d.id AND r.position = p.position
        WHERE d.organization_id = $1 AND d.fiscal_year = $2 AND d.status = 'completed'`,
      [org, fiscalYear],
    )) as { total: number; done: number; late: number }[];
    const [findings] = (await manager.query(
      `SELECT count(*)::int AS n FROM findings f JOIN drills d ON d.id = f.source_id
        WHERE f.organization_id = $1 AND f.source = 'drill' AND d.fiscal_year = $2`,
      [org, fiscalYear],
    )) as { n: number }[];
    const plan = await this.versions.planStatus(org, fiscalYear);
    const stepFigures: DrillStepSummaryView = {
      total: steps.total,
      done: steps.done,
      onTime: steps.done - steps.late,
      late: steps.late,
      notDone: steps.total - steps.done,
    };
    return {
      fiscalYear,
      held: { tabletop: counts.tabletop, functional: counts.functional, full_scale: counts.full_scale, total: counts.total },
      planned: counts.planned,
      cancelled: counts.cancelled,
      invited: attendance.invited,
      present: attendance.present,
      attendanceRate: attendance.invited ? attendance.present / attendance.invited : null,
      steps: stepFigures,
      onTimeRate: stepFigures.total ? stepFigures.onTime / stepFigures.total : null,
      findings: findings.n,
      plan: { ...plan, approvedAt: plan.approvedAt?.toISOString() ?? null },
    };
  }

  // ------------------------------------------------------------------------------------------------

  /** The drill, locked, if the caller runs it (404 when they may not see it, 403 when they see it but do not run it). */
  private async runnable(tx: Transaction, id: string): Promise<Drill> {
    assertMay(tx.actor, RESPONSE_PLAN.run_drill);
    const drill = await tx.manager
      .getRepository(Drill)
      .findOne({ where: { id, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!drill || !seesDrill(tx.actor, drill)) throw new AppException('DRILL_NOT_FOUND');
    if (!runsDrill(tx.actor, drill) || !may(tx.actor, RESPONSE_PLAN.run_drill, drill)) throw new AppException('FORBIDDEN');
    return drill;
  }

  private assertStatus(drill: Drill, allowed: readonly DrillStatus[]): void {
    if (!allowed.includes(drill.status)) throw new AppException('DRILL_NOT_RUNNING', `The drill is ${drill.status}`, undefined, { drillStatus: drill.status });
  }

  /** Sets the start and the playbook revision, and puts everyone invited on the roll. */
  private async begin(tx: Transaction, drill: Drill, startedAt: Date): Promise<Drill> {
    // the playbook in force when it started: the revision the plan version approved by then names (a drill entered from
    // paper after a later approval is still timed against the steps it ran), else the one in force now
    const [scenario] = (await tx.manager.query(
      `SELECT coalesce(
                (SELECT (v.scenario_revisions ->> sc.id::text)::int FROM response_plan_versions v
                  WHERE v.organization_id = sc.organization_id AND v.approved_at <= $3 AND v.scenario_revisions ? sc.id::text
                  ORDER BY v.version DESC LIMIT 1),
                sc.revision) AS revision
         FROM response_scenarios sc WHERE sc.organization_id = $1 AND sc.id = $2`,
      [tx.actor.organizationId, drill.scenarioId, startedAt],
    )) as { revision: number }[];
    drill.startedAt = startedAt;
    drill.scenarioRevision = scenario.revision;
    // a drill counts in the fiscal year it was held
    drill.fiscalYear = fiscalYearOf(startedAt);
    await tx.manager.query(
      `INSERT INTO drill_attendance (organization_id, drill_id, staff_id, invited, present)
       SELECT $1, $5, invited.id, true, false FROM (${INVITED_STAFF_SQL}) invited
       ON CONFLICT (drill_id, staff_id) DO NOTHING`,
      [...invitedStaffParameters(tx.actor.organizationId, drill.invitees), drill.id],
    );
    return drill;
  }

  private async writeAttendance(tx: Transaction, drill: Drill, presentStaffIds: readonly string[], field: string): Promise<void> {
    const present = [...new Set(presentStaffIds)];
    const repo = tx.manager.getRepository(DrillAttendance);
    const roll = await repo.findBy({ drillId: drill.id });
    const newcomers = present.filter((staffId) => !roll.some((row) => row.staffId === staffId));
    if (newcomers.length) {
      const known = (
        (await tx.manager.query(`SELECT id FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [tx.actor.organizationId, newcomers])) as {
          id: string;
        }[]
      ).map((row) => row.id);
      const unknown = newcomers.filter((staffId) => !known.includes(staffId));
      if (unknown.length) throw new AppException('VALIDATION_FAILED', undefined, [{ field, messages: [`no such member of staff: ${unknown.join(', ')}`] }]);
    }
    const now = new Date();
    const changes: { before: Partial<DrillAttendance> | null; after: Partial<DrillAttendance> }[] = [];
    for (const row of roll) {
      const isPresent = present.includes(row.staffId);
      if (row.present === isPresent && row.markedAt) continue;
      await repo.update({ id: row.id }, { present: isPresent, markedAt: now });
      changes.push({ before: { staffId: row.staffId, present: row.present }, after: { staffId: row.staffId, present: isPresent } });
    }
    if (newcomers.length) {
      await repo.insert(
        newcomers.map((staffId) => ({ organizationId: tx.actor.organizationId, drillId: drill.id, staffId, invited: false, present: true, markedAt: now })),
      );
      for (const staffId of newcomers) changes.push({ before: null, after: { staffId, present: true, invited: false } });
    }
    if (changes.length)
      tx.audit({
        action: 'drill_attendance.mark',
        entityType: 'drill',
        entityId: drill.id,
        after: {
          present: changes.filter((c) => c.after.present).map((c) => c.after.staffId),
          absent: changes.filter((c) => !c.after.present).map((c) => c.after.staffId),
        },
      });
  }

  private async writeStep(tx: Transaction, drill: Drill, step: PlaybookStep, doneAt: Date, note: string | undefined): Promise<void> {
    const repo = tx.manager.getRepository(DrillStepRecord);
    const found = await repo.findOneBy({ drillId: drill.id, position: step.position });
    const fields = { doneAt, note: note?.trim() ?? found?.note ?? '', recordedById: tx.actor.staffId };
    if (found) await tx.update(found, fields, { action: 'drill_step.done', entityType: 'drill_step_record', context: { drillId: drill.id } });
    else
      await tx.create(
        DrillStepRecord,
        { drillId: drill.id, stepId: step.id, position: step.position, ...fields },
        { action: 'drill_step.done', entityType: 'drill_step_record', context: { drillId: drill.id } },
      );
  }

  /** The steps of the drill's playbook revision (the one in force while it has not started). */
  private async playbook(manager: EntityManager, drill: Drill, revisionInForce?: number): Promise<PlaybookStep[]> {
    let revision = drill.scenarioRevision ?? revisionInForce;
    if (revision === undefined || revision === null) {
      const [row] = (await manager.query(`SELECT revision FROM response_scenarios WHERE id = $1`, [drill.scenarioId])) as { revision: number }[];
      revision = row?.revision ?? 1;
    }
    return manager.getRepository(PlaybookStep).find({ where: { scenarioId: drill.scenarioId, revision }, order: { position: 'ASC' } });
  }

  private async step(manager: EntityManager, drill: Drill, position: number): Promise<PlaybookStep> {
    const step = await manager.getRepository(PlaybookStep).findOneBy({ scenarioId: drill.scenarioId, revision: drill.scenarioRevision ?? -1, position });
    if (!step) throw new AppException('DRILL_STEP_NOT_FOUND', `The scenario has no step ${position}`);
    return step;
  }

  /** Times from the drill's start up to now (or its finish, once finished). */
  private assertWithin(drill: Drill, times: readonly { field: string; at: Date }[]): void {
    const end = drill.finishedAt ?? new Date();
    const errors = times
      .filter(({ at }) => !within({ startedAt: drill.startedAt!, finishedAt: end }, at))
      .map(({ field }) => ({
        field,
        messages: [drill.finishedAt ? 'must be between the drill’s start and finish' : 'must be between the drill’s start and now'],
      }));
    if (errors.length) throw new AppException('DRILL_TIME_INVALID', undefined, errors);
  }
}

function within(window: { startedAt: Date; finishedAt: Date }, at: Date): boolean {
  return at.getTime() >= window.startedAt.getTime() && at.getTime() <= window.finishedAt.getTime();
}
