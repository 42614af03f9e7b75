import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { BUSINESS_TIME_ZONE, tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { AppException } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { ROLES } from '../../common/roles.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { DrillRunsService } from '../../response-plan/drill-runs.service.js';
import { INVITED_STAFF_SQL, invitedStaffParameters } from '../../response-plan/drill-people.js';
import { DRILL_KINDS, type Drill } from '../../response-plan/drill.entity.js';
import { DrillsService } from '../../response-plan/drills.service.js';
import { DrillQuery } from '../../response-plan/dto/drill.dto.js';
import { RESPONSE_PLAN, runsDrill } from '../../response-plan/response-plan.permissions.js';
import { ScenariosService } from '../../response-plan/scenarios.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { formatMinutes } from '../response-plan/response-plan-pages.service.js';
import type { DrillCalendarQuery, DrillScheduleForm } from './drill-page.dto.js';

/** The forms of the drill pages (the error summary's `formField.<form>.<field>` messages). */
export const SCHEDULE_FORM = 'drillSchedule';
export const CANCEL_FORM = 'drillCancel';
export const START_FORM = 'drillStart';
export const STEP_FORM = 'drillStep';
export const ATTENDANCE_FORM = 'drillAttendance';
export const EVENT_FORM = 'drillEvent';
export const FINISH_FORM = 'drillFinish';

export const drillPath = (id: string): string => `/drills/${id}`;
export const runPath = (id: string): string => `/drills/${id}/run`;

const MINUTE = 60_000;
const WEEKDAYS: Record<Locale, readonly string[]> = {
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const TOKYO = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** A moment's parts in Tokyo. */
export function tokyoParts(at: Date): { year: number; month: number; day: number; weekday: number; time: string } {
  const part = Object.fromEntries(TOKYO.formatToParts(at).map((p) => [p.type, p.value])) as Record<string, string>;
  return {
    year: Number(part.year),
    month: Number(part.month),
    day: Number(part.day),
    weekday: WEEKDAY_INDEX[part.weekday!] ?? 0,
    time: `${part.hour}:${part.minute}`,
  };
}

/** A day with its weekday: 2026年12月10日（木） / Thu 10 December 2026. */
function dayText(p: ReturnType<typeof tokyoParts>, locale: Locale): string {
  return locale === 'ja'
    ? `${p.year}年${p.month}月${p.day}日（${WEEKDAYS.ja[p.weekday]}）`
    : `${WEEKDAYS.en[p.weekday]} ${p.day} ${MONTHS_EN[p.month - 1]} ${p.year}`;
}

/** When a drill is: 2026年12月10日（木）10:00〜11:30 (the end's day too when it ends on another day). */
export function drillWhen(startsAt: Date, endsAt: Date, locale: Locale): string {
  const start = tokyoParts(startsAt);
  const end = tokyoParts(endsAt);
  const sameDay = start.year === end.year && start.month === end.month && start.day === end.day;
  const dash = locale === 'ja' ? '〜' : '–';
  const first = `${dayText(start, locale)}${locale === 'ja' ? '' : ', '}${start.time}`;
  return sameDay ? `${first}${dash}${end.time}` : `${first}${dash}${dayText(end, locale)}${locale === 'ja' ? '' : ', '}${end.time}`;
}

/** The time of day in Tokyo: 10:23. */
export const tokyoTime = (at: Date): string => tokyoParts(at).time;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : []);
const sent = (formErrors: FormErrors | undefined, form: string): Record<string, unknown> | null => (formErrors?.form === form ? formErrors.submitted : null);

/** The addresses typed in the invitees' box: one a line, or separated by commas, spaces or 、. */
export function emailsOf(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .normalize('NFKC')
        .split(/[\s,、;]+/)
        .map((address) => address.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

interface Choice {
  id: string;
  name: string;
  nameEn?: string | null;
  departmentName?: string | null;
}

/**
 * 訓練: the data of the drill pages (the calendar of a fiscal year with its figures, the form that
 * schedules a drill, a drill's page, the facilitator's live page), and their forms turned into
 * DrillsService's and DrillRunsService's calls.
 */
@Injectable()
export class DrillPagesService {
  constructor(
    private readonly drills: DrillsService,
    private readonly runs: DrillRunsService,
    private readonly scenarios: ScenariosService,
    private readonly uow: UnitOfWork,
  ) {}

  // ------------------------------------------------------------------ the calendar

  async calendar(actor: Actor, query: DrillCalendarQuery, locale: Locale, today = tokyoToday()): Promise<object> {
    const current = fiscalYearOf(today);
    const fiscalYear = query.fiscalYear ? Number(query.fiscalYear) : current;
    const filter = Object.assign(new DrillQuery(), { fiscalYear, page: 1, pageSize: 200 });
    const [page, years, figures] = await Promise.all([
      this.drills.list(actor, filter),
      this.fiscalYears(actor, current),
      may(actor, RESPONSE_PLAN.read_drill_figures) ? this.runs.figures(actor, fiscalYear) : Promise.resolve(null),
    ]);
    const titles = await this.scenarioTitles(
      actor,
      page.items.map((drill) => drill.scenarioId),
    );
    const months: { key: string; year: number; month: number; drills: object[] }[] = [];
    for (const drill of page.items) {
      const at = tokyoParts(drill.startsAt);
      const key = `${at.year}-${String(at.month).padStart(2, '0')}`;
      let group = months.find((m) => m.key === key);
      if (!group) months.push((group = { key, year: at.year, month: at.month, drills: [] }));
      const scenario = titles.get(drill.scenarioId);
      group.drills.push({
        id: drill.id,
        href: drillPath(drill.id),
        icsHref: `${drillPath(drill.id)}/invite.ics`,
        title: drill.title,
        kind: drill.kind,
        status: drill.status,
        when: drillWhen(drill.startsAt, drill.endsAt, locale),
        start: drill.startsAt,
        scenario: scenario ? { title: scenario.title, titleEn: scenario.titleEn } : null,
        location: drill.location,
        onlineUrl: drill.onlineUrl,
        running: drill.status === 'running' && runsDrill(actor, drill),
        runHref: runPath(drill.id),
      });
    }
    return {
      title: 'drills.calendar.title',
      fiscalYear,
      fiscalYears: [...new Set([...years, fiscalYear])].sort((a, b) => b - a).map((value) => ({ value, selected: value === fiscalYear })),
      canSchedule: may(actor, RESPONSE_PLAN.schedule_drills),
      total: page.total,
      months: months.map((m) => ({ ...m, id: `month-${m.key}` })),
      figures: figures && {
        held: figures.held,
        planned: figures.planned,
        cancelled: figures.cancelled,
        attendanceRate: figures.attendanceRate,
        invited: figures.invited,
        present: figures.present,
        onTimeRate: figures.onTimeRate,
        steps: figures.steps,
        findings: figures.findings,
      },
    };
  }

  /** The years of the selector: every year from the first drill's (or last year) to next year, so a year without a drill shows too. */
  private async fiscalYears(actor: Actor, current: number): Promise<number[]> {
    const [row] = (await this.uow.manager.query(`SELECT min(fiscal_year) AS first, max(fiscal_year) AS last FROM drills WHERE organization_id = $1`, [
      actor.organizationId,
    ])) as { first: number | null; last: number | null }[];
    const from = Math.min(row?.first ?? current - 1, current - 1);
    const to = Math.max(row?.last ?? current + 1, current + 1);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }

  private async scenarioTitles(actor: Actor, ids: readonly string[]): Promise<Map<string, { title: string; titleEn: string | null }>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(
      `SELECT id, title, title_en AS "titleEn" FROM response_scenarios WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [actor.organizationId, wanted],
    )) as { id: string; title: string; titleEn: string | null }[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  // ------------------------------------------------------------------ the schedule form

  async newDrill(actor: Actor, formErrors?: FormErrors): Promise<object> {
    const submitted = sent(formErrors, SCHEDULE_FORM);
    const [scenarios, people, departments] = await Promise.all([this.scenarios.list(actor), this.activeStaff(actor), this.openDepartments(actor)]);
    const values = {
      scenarioId: text(submitted?.scenarioId),
      kind: text(submitted?.kind) || 'tabletop',
      title: text(submitted?.title),
      date: text(submitted?.date),
      startTime: text(submitted?.startTime) || (submitted ? '' : '10:00'),
      endTime: text(submitted?.endTime) || (submitted ? '' : '11:30'),
      location: text(submitted?.location),
      onlineUrl: text(submitted?.onlineUrl),
      facilitatorId: text(submitted?.facilitatorId),
      inviteEmails: text(submitted?.inviteEmails),
    };
    const roles = new Set(list(submitted?.inviteRoles));
    const chosenDepartments = new Set(list(submitted?.inviteDepartmentIds));
    return {
      title: 'drills.new.title',
      values,
      scenarios: scenarios.items.map(({ scenario }) => ({
        id: scenario.id,
        title: scenario.title,
        titleEn: scenario.titleEn,
        selected: scenario.id === values.scenarioId,
      })),
      kinds: DRILL_KINDS.map((value) => ({ value, checked: value === values.kind })),
      facilitators: people.map((person) => ({ ...person, selected: person.id === values.facilitatorId })),
      roles: ROLES.map((value) => ({ value, checked: roles.has(value) })),
      departments: departments.map((d) => ({ ...d, checked: chosenDepartments.has(d.id) })),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /** The form as DrillsService.schedule's call: the times of the day in Tokyo, the people by their addresses (unknown ones named). */
  async schedule(actor: Actor, form: DrillScheduleForm): Promise<Drill> {
    const emails = emailsOf(form.inviteEmails);
    let staffIds: string[] = [];
    if (emails.length) {
      const rows = (await this.uow.manager.query(
        `SELECT id, lower(email) AS email FROM staff WHERE organization_id = $1 AND status = 'active' AND lower(email) = ANY($2::text[])`,
        [actor.organizationId, emails],
      )) as { id: string; email: string }[];
      const unknown = emails.filter((email) => !rows.some((row) => row.email === email));
      if (unknown.length)
        throw new AppException(
          'DRILL_LINK_INVALID',
          undefined,
          [{ field: 'inviteEmails', messages: [`no such active member of staff: ${unknown.join(', ')}`] }],
          {
            unknownEmails: unknown,
          },
        );
      staffIds = rows.map((row) => row.id);
    }
    return this.drills.schedule(actor, {
      scenarioId: form.scenarioId,
      kind: form.kind,
      title: form.title,
      startsAt: `${form.date}T${form.startTime}:00`,
      endsAt: `${form.date}T${form.endTime}:00`,
      location: form.location ?? null,
      onlineUrl: form.onlineUrl ?? null,
      facilitatorId: form.facilitatorId,
      invitees: { staffIds, roles: form.inviteRoles, departmentIds: form.inviteDepartmentIds },
    });
  }

  private async activeStaff(actor: Actor): Promise<Choice[]> {
    const rows = (await this.uow.manager.query(
      `SELECT s.id, s.family_name || ' ' || s.given_name AS name, d.name AS department_name
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.organization_id = $1 AND s.status = 'active'
        ORDER BY s.family_name_kana NULLS LAST, s.employee_number`,
      [actor.organizationId],
    )) as { id: string; name: string; department_name: string | null }[];
    return rows.map((row) => ({ id: row.id, name: row.name, departmentName: row.department_name }));
  }

  private async openDepartments(actor: Actor): Promise<Choice[]> {
    return (await this.uow.manager.query(
      `SELECT id, name, name_en AS "nameEn" FROM departments WHERE organization_id = $1 AND closed_on IS NULL ORDER BY code`,
      [actor.organizationId],
    )) as Choice[];
  }

  // ------------------------------------------------------------------ a drill's page

  async drill(actor: Actor, id: string, locale: Locale, formErrors?: FormErrors): Promise<object> {
    const drill = await this.drills.get(actor, id);
    const org = actor.organizationId;
    const [titles, names, departments, counted] = await Promise.all([
      this.scenarioTitles(actor, [drill.scenarioId]),
      this.names(actor, [drill.facilitatorId, ...(drill.invitees.staffIds ?? [])]),
      drill.invitees.departmentIds?.length
        ? (this.uow.manager.query(`SELECT id, name, name_en AS "nameEn" FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY code`, [
            org,
            drill.invitees.departmentIds,
          ]) as Promise<{ id: string; name: string; nameEn: string | null }[]>)
        : Promise.resolve([]),
      this.uow.manager.query(`SELECT count(*)::int AS n FROM (${INVITED_STAFF_SQL}) invited`, invitedStaffParameters(org, drill.invitees)) as Promise<
        { n: number }[]
      >,
    ]);
    const runs = runsDrill(actor, drill) && may(actor, RESPONSE_PLAN.run_drill, drill);
    const scheduled = drill.status === 'scheduled';
    const scenario = titles.get(drill.scenarioId);
    const cancelSent = sent(formErrors, CANCEL_FORM);
    const href = drillPath(drill.id);
    return {
      title: 'drills.drill.title',
      titleDetail: { ja: drill.title, en: drill.title },
      drill: {
        id: drill.id,
        href,
        title: drill.title,
        kind: drill.kind,
        status: drill.status,
        fiscalYear: drill.fiscalYear,
        when: drillWhen(drill.startsAt, drill.endsAt, locale),
        location: drill.location,
        onlineUrl: drill.onlineUrl,
        facilitator: names.get(drill.facilitatorId) ?? null,
        scenario: scenario ? { title: scenario.title, titleEn: scenario.titleEn, href: `/response-plan/scenarios/${drill.scenarioId}` } : null,
        startedAt: drill.startedAt,
        finishedAt: drill.finishedAt,
        cancelledAt: drill.cancelledAt,
        cancelReason: drill.cancelReason,
        recordedOnPaper: drill.recordedOnPaper,
      },
      invitees: {
        roles: drill.invitees.roles ?? [],
        departments,
        people: (drill.invitees.staffIds ?? []).map((staffId) => names.get(staffId)).filter((name): name is string => !!name),
        count: counted[0]?.n ?? 0,
        none: !drill.invitees.roles?.length && !drill.invitees.departmentIds?.length && !drill.invitees.staffIds?.length,
      },
      calendarHref: `/drills?fiscalYear=${drill.fiscalYear}`,
      icsHref: `${href}/invite.ics`,
      runHref: runPath(drill.id),
      recordHref: `${href}/record`,
      checklistHref: `${href}/checklist`,
      paperHref: `${href}/paper`,
      canStart: runs && scheduled,
      canRun: runs && drill.status === 'running',
      canEnterPaper: runs && scheduled,
      showLive: drill.status === 'running',
      showRecord: drill.status === 'running' || drill.status === 'completed',
      showChecklist: drill.status !== 'cancelled',
      canCancel: scheduled && may(actor, RESPONSE_PLAN.schedule_drills),
      cancelValues: { reason: cancelSent ? text(cancelSent.reason) : '' },
      ...(formErrors ? { formErrors } : {}),
    };
  }

  private async names(actor: Actor, ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(
      `SELECT id, family_name || ' ' || given_name AS name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [actor.organizationId, wanted],
    )) as { id: string; name: string }[];
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  // ------------------------------------------------------------------ the live page

  /**
   * The live page's forms record only while the drill runs (the service also takes corrections to a
   * finished drill with their times, which the record's page does): 404 for a drill not seen, 403
   * for one not run by the caller, 409 with its state otherwise.
   */
  async assertLive(actor: Actor, id: string): Promise<void> {
    const drill = await this.drills.get(actor, id);
    if (!runsDrill(actor, drill) || !may(actor, RESPONSE_PLAN.run_drill, drill)) throw new AppException('FORBIDDEN');
    if (drill.status !== 'running') throw new AppException('DRILL_NOT_RUNNING', `The drill is ${drill.status}`, undefined, { drillStatus: drill.status });
  }

  /**
   * The facilitator's page while the drill runs: the time since the start, each step (done: when,
   * minutes from the start, late by how much; else its 完了 form), the roll, injects and problems,
   * the finish. Those who read the drill without running it see the same without the forms.
   */
  async run(actor: Actor, id: string, locale: Locale, formErrors?: FormErrors, now = new Date(), refusedPosition?: number): Promise<object> {
    const drill = await this.drills.get(actor, id);
    const record = await this.runs.record(actor, id);
    const runs = runsDrill(actor, drill) && may(actor, RESPONSE_PLAN.run_drill, drill);
    const running = drill.status === 'running';
    const live = runs && running;
    const stepSent = sent(formErrors, STEP_FORM);
    const eventSent = sent(formErrors, EVENT_FORM);
    const finishSent = sent(formErrors, FINISH_FORM);
    const attendanceSent = sent(formErrors, ATTENDANCE_FORM);
    const presentSent = attendanceSent ? new Set(list(attendanceSent.presentStaffIds)) : null;
    const elapsed = drill.startedAt ? Math.max(0, Math.floor(((drill.finishedAt ?? now).getTime() - drill.startedAt.getTime()) / MINUTE)) : null;
    const next = record.steps.find((step) => step.doneAt === null)?.position ?? null;
    const href = drillPath(drill.id);
    return {
      title: 'drills.run.title',
      titleDetail: { ja: drill.title, en: drill.title },
      drill: {
        id: drill.id,
        href,
        runHref: runPath(drill.id),
        title: drill.title,
        kind: drill.kind,
        status: drill.status,
        when: drillWhen(drill.startsAt, drill.endsAt, locale),
        scenarioTitle: record.scenarioTitle,
        facilitator: record.facilitatorName,
      },
      live,
      runs,
      scheduled: drill.status === 'scheduled',
      running,
      completed: drill.status === 'completed',
      cancelled: drill.status === 'cancelled',
      canStart: runs && drill.status === 'scheduled',
      startedAt: drill.startedAt,
      startedTime: drill.startedAt ? tokyoTime(drill.startedAt) : null,
      finishedTime: drill.finishedAt ? tokyoTime(drill.finishedAt) : null,
      elapsedText: elapsed === null ? null : formatMinutes(elapsed, locale),
      checkedTime: tokyoTime(now),
      summary: record.stepSummary,
      steps: record.steps.map((step) => ({
        position: step.position,
        anchor: `step-${step.position}`,
        phase: step.phase,
        action: step.action,
        actionEn: step.actionEn,
        role: step.role,
        target: formatMinutes(step.targetMinutes, locale),
        done: step.doneAt !== null,
        doneTime: step.doneAt ? tokyoTime(step.doneAt) : null,
        doneAt: step.doneAt,
        elapsed: step.elapsedMinutes,
        late: step.late === true,
        minutesLate: step.minutesLate,
        note: step.note,
        next: step.position === next,
        noteValue: stepSent && refusedPosition === step.position ? text(stepSent.note) : '',
        formAction: `${runPath(drill.id)}/steps/${step.position}`,
      })),
      attendance: {
        invited: record.attendance.invited,
        present: record.attendance.present,
        walkIns: record.attendance.walkIns,
        rate: record.attendance.rate,
        people: record.attendance.people.map((person) => ({
          ...person,
          checked: presentSent ? presentSent.has(person.staffId) : person.present,
        })),
      },
      events: record.events.map((event) => ({
        kind: event.kind,
        time: tokyoTime(event.occurredAt),
        occurredAt: event.occurredAt,
        elapsed: event.elapsedMinutes,
        text: event.text,
      })),
      eventValues: {
        inject: eventSent?.kind === 'inject' ? text(eventSent.text) : '',
        problem: eventSent?.kind === 'problem' ? text(eventSent.text) : '',
      },
      lessons: record.lessons,
      lessonsValue: finishSent ? text(finishSent.lessons) : record.lessons,
      recordHref: `${href}/record`,
      ...(formErrors ? { formErrors } : {}),
    };
  }
}
