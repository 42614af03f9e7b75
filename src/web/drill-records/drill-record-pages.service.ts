import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { AppException } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { FINDING_SEVERITIES, type FindingSeverity } from '../../findings/finding.entity.js';
import { FindingsService, type FindingWithActions } from '../../findings/findings.service.js';
import { DRILL_EVENT_KINDS } from '../../response-plan/drill-record.entity.js';
import { DrillRunsService } from '../../response-plan/drill-runs.service.js';
import { INVITED_STAFF_SQL, invitedStaffParameters } from '../../response-plan/drill-people.js';
import type { Drill } from '../../response-plan/drill.entity.js';
import { DrillsService } from '../../response-plan/drills.service.js';
import type { DrillRecordView } from '../../response-plan/dto/drill-run.dto.js';
import { RESPONSE_PLAN, runsDrill } from '../../response-plan/response-plan.permissions.js';
import { ScenariosService } from '../../response-plan/scenarios.service.js';
import { stepsOf } from '../../response-plan/plan-drafts.js';
import { ResponsePlanVersion } from '../../response-plan/response-plan-version.entity.js';
import { ResponsePlanVersionsService } from '../../response-plan/response-plan-versions.service.js';
import { PlaybookStep, Scenario } from '../../response-plan/scenario.entity.js';
import type { FormErrors } from '../forms/form-error.js';
import { formatMinutes } from '../response-plan/response-plan-pages.service.js';
import { paperInput } from './drill-paper.js';
import type { DrillFindingForm, DrillPaperForm, DrillProposalForm } from './drill-record-page.dto.js';
import { PAPER_EVENT_ROWS, PAPER_WALK_IN_ROWS } from './drill-record-page.dto.js';
import { dateWithWeekday, tokyoDateOf, tokyoTimeOf } from './drill-record-times.js';

/** The forms of the drill record pages (FormErrors.form). */
export const LESSONS_FORM = 'drillLessons';
export const FINDING_FORM = 'drillFinding';
export const PAPER_FORM = 'drillPaper';
export const PROPOSAL_FORM = 'drillProposal';

/** A step of the scenario's newest playbook (the one a proposal changes), for the form and a refusal's message. */
export interface ProposableStep {
  position: number;
  action: string;
  actionEn: string | null;
  targetMinutes: number;
}

/** A step's wording cut short for a select: 「配信業者に遮断を依頼する」 stays, a long one ends with 「…」. */
export function shortWording(text: string, length = 24): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= length ? chars.join('') : `${chars.slice(0, length - 1).join('')}…`;
}

export const recordPath = (id: string): string => `/drills/${id}/record`;

/** What was sent with a refused form, as strings (repeated fields as lists). */
function submittedOf(refused: FormErrors | null | undefined, form: string): Record<string, unknown> {
  return refused?.form === form ? refused.submitted : {};
}
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : typeof value === 'string' ? [value] : []);

/** An attendance rate as a whole percentage: 0.8333 → 「83%」; null → 「—」. */
export function wholePercent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** A person invited to the drill, as the roll lists them. */
interface Invitee {
  id: string;
  name: string;
  department: string | null;
  departmentEn: string | null;
}

/**
 * 訓練記録・訓練チェックシート・紙の記録の入力: the data of a drill's record page (steps timed against
 * the playbook, attendance, injects and problems, lessons, findings and the forms of those who run
 * it), of its printable checklist for a drill held without the network, and of the form that
 * enters the paper sheet afterwards.
 */
@Injectable()
export class DrillRecordPagesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly drills: DrillsService,
    private readonly runs: DrillRunsService,
    private readonly scenarios: ScenariosService,
    private readonly findings: FindingsService,
    private readonly versions: ResponsePlanVersionsService,
  ) {}

  // ---------------------------------------------------------------- the record

  async record(actor: Actor, id: string, locale: Locale, refused: FormErrors | null = null): Promise<object> {
    const drill = await this.drills.get(actor, id);
    const view = await this.runs.record(actor, id);
    const canRun = runsDrill(actor, drill) && may(actor, RESPONSE_PLAN.run_drill, drill);
    const held = view.drillStatus === 'running' || view.drillStatus === 'completed';
    const lessonsSent = submittedOf(refused, LESSONS_FORM);
    const findingSent = submittedOf(refused, FINDING_FORM);
    const departments = canRun && held ? await this.departmentRows(actor.organizationId) : [];
    const due = (severity: FindingSeverity) => this.findings.dueDateFor(severity, tokyoToday());
    const summary = view.stepSummary;
    const proposal = await this.proposalSection(actor, drill, view, locale, refused);
    return {
      title: 'drillRecord.title',
      titleDetail: { ja: view.title, en: view.title },
      drillId: id,
      header: this.header(drill, view, locale),
      status: view.drillStatus,
      held,
      summary,
      attendance: {
        invited: view.attendance.invited,
        present: view.attendance.present,
        walkIns: view.attendance.walkIns,
        rate: wholePercent(view.attendance.rate),
        hasRate: view.attendance.rate !== null,
        people: view.attendance.people,
      },
      steps: view.steps.map((step) => ({
        position: step.position,
        phase: step.phase,
        action: step.action,
        actionEn: step.actionEn,
        role: step.role,
        target: formatMinutes(step.targetMinutes, locale),
        done: step.doneAt !== null,
        elapsed: step.elapsedMinutes === null ? '' : formatMinutes(step.elapsedMinutes, locale),
        doneTime: tokyoTimeOf(step.doneAt),
        late: step.late === true,
        minutesLate: step.minutesLate === null ? '' : formatMinutes(step.minutesLate, locale),
        note: step.note,
      })),
      lateSteps: view.steps
        .filter((step) => step.late === true)
        .map((step) => ({ position: step.position, minutesLate: formatMinutes(step.minutesLate ?? 0, locale) })),
      events: view.events.map((event) => ({
        kind: event.kind,
        elapsed: event.elapsedMinutes === null ? '' : formatMinutes(event.elapsedMinutes, locale),
        time: tokyoTimeOf(event.occurredAt),
        text: event.text,
      })),
      lessons: view.lessons,
      findings: view.findings.map((finding) => ({ ...finding, href: `/findings/${finding.id}` })),
      canRun,
      canWriteLessons: canRun && view.drillStatus === 'completed',
      canRaiseFinding: canRun && held,
      canEnterPaper: canRun && view.drillStatus === 'scheduled',
      lessonsForm: { lessons: 'lessons' in lessonsSent ? str(lessonsSent.lessons) : view.lessons },
      findingForm: {
        title: str(findingSent.title),
        description: str(findingSent.description),
        dueDate: str(findingSent.dueDate),
      },
      severities: [...FINDING_SEVERITIES].reverse().map((value) => ({ value, selected: value === (str(findingSent.severity) || 'medium') })),
      departments: departments.map((d) => ({ ...d, selected: d.id === str(findingSent.ownerDepartmentId) })),
      defaultDue: { high: due('high'), medium: due('medium'), low: due('low') },
      ...proposal,
    };
  }

  /** 手順の変更を提案: into the plan's draft at once (the CISO approves it at /response-plan/draft). */
  propose(actor: Actor, id: string, form: DrillProposalForm): Promise<unknown> {
    return this.versions.propose(actor, id, {
      position: form.position,
      reason: form.reason,
      ...(form.targetMinutes !== undefined ? { targetMinutes: form.targetMinutes } : {}),
      ...(form.action !== undefined ? { action: form.action.trim() } : {}),
    });
  }

  /** The steps of the newest playbook of the drill's scenario (the draft's, if a change waits): what a proposal changes. */
  async proposableSteps(actor: Actor, drill: Pick<Drill, 'scenarioId'>): Promise<ProposableStep[]> {
    const scenario = await this.uow.manager.getRepository(Scenario).findOneBy({ organizationId: actor.organizationId, id: drill.scenarioId });
    if (!scenario) return [];
    const steps = await stepsOf({ manager: this.uow.manager }, scenario, scenario.latestRevision);
    return steps.map((step) => ({ position: step.position, action: step.action, actionEn: step.actionEn, targetMinutes: step.targetMinutes }));
  }

  /**
   * The proposals made from the drill (the step as it read before, the new target and/or wording,
   * why, who, when, the plan version it went into) and, for its facilitator and the office, the form.
   */
  private async proposalSection(actor: Actor, drill: Drill, view: DrillRecordView, locale: Locale, refused: FormErrors | null): Promise<object> {
    const { items } = await this.versions.proposals(actor, drill.id);
    const manager = this.uow.manager;
    const org = actor.organizationId;
    const planVersions = items.length
      ? await manager.getRepository(ResponsePlanVersion).find({
          where: [...new Set(items.map((item) => item.proposal.planVersion))].map((version) => ({ organizationId: org, version })),
          select: { version: true, status: true },
        })
      : [];
    const statusOf = new Map(planVersions.map((v) => [v.version, v.status]));
    const canReadDrafts = may(actor, RESPONSE_PLAN.read_plan_drafts);
    const stepRepo = manager.getRepository(PlaybookStep);
    const proposals = [];
    for (const { proposal, proposedBy } of items) {
      // the step as it read before the proposal: the revision before the one it wrote
      const before = await stepRepo.findOneBy({
        organizationId: org,
        scenarioId: proposal.scenarioId,
        revision: proposal.scenarioRevision - 1,
        position: proposal.position,
      });
      const status = statusOf.get(proposal.planVersion) ?? 'draft';
      proposals.push({
        position: proposal.position,
        action: before?.action ?? '',
        actionEn: before?.actionEn ?? null,
        hasTarget: proposal.targetMinutes !== null,
        targetFrom: before ? formatMinutes(before.targetMinutes, locale) : '—',
        targetTo: proposal.targetMinutes === null ? '' : formatMinutes(proposal.targetMinutes, locale),
        newAction: proposal.action,
        reason: proposal.reason,
        by: proposedBy?.name ?? '',
        at: proposal.createdAt,
        planVersion: proposal.planVersion,
        planStatus: status,
        draftHref: status === 'draft' && canReadDrafts ? '/response-plan/draft' : null,
      });
    }
    const canPropose = may(actor, RESPONSE_PLAN.propose_change, drill);
    const sent = submittedOf(refused, PROPOSAL_FORM);
    const steps = canPropose ? await this.proposableSteps(actor, drill) : [];
    const firstLate = view.steps.find((step) => step.late === true)?.position;
    const chosen = refused?.form === PROPOSAL_FORM ? str(sent.position) : firstLate !== undefined ? String(firstLate) : '';
    return {
      proposals,
      canPropose,
      proposalSteps: steps.map((step) => ({
        position: step.position,
        action: shortWording(step.action),
        actionEn: step.actionEn ? shortWording(step.actionEn, 40) : null,
        target: formatMinutes(step.targetMinutes, locale),
        selected: String(step.position) === chosen,
      })),
      proposalForm: { targetMinutes: str(sent.targetMinutes), action: str(sent.action), reason: str(sent.reason) },
    };
  }

  writeLessons(actor: Actor, id: string, lessons: string): Promise<Drill> {
    return this.runs.writeLessons(actor, id, lessons);
  }

  raiseFinding(actor: Actor, id: string, form: DrillFindingForm): Promise<FindingWithActions> {
    return this.runs.raiseFinding(actor, id, {
      title: form.title,
      severity: form.severity,
      ownerDepartmentId: form.ownerDepartmentId,
      controlIds: [],
      ...(form.description !== undefined ? { description: form.description } : {}),
      ...(form.dueDate ? { dueDate: form.dueDate } : {}),
    });
  }

  // ---------------------------------------------------------------- the printable checklist

  async sheet(actor: Actor, id: string, locale: Locale): Promise<object> {
    const drill = await this.drills.get(actor, id);
    // the playbook the drill ran, once started; the revision in force before that
    const started = drill.scenarioRevision !== null;
    const view = await this.runs.record(actor, id);
    const steps = started
      ? view.steps.map((step) => ({
          position: step.position,
          phase: step.phase,
          action: step.action,
          actionEn: step.actionEn,
          role: step.role,
          targetMinutes: step.targetMinutes,
        }))
      : (await this.scenarios.get(actor, drill.scenarioId)).steps;
    const [roll, contacts] = await Promise.all([
      this.invitees(actor.organizationId, drill),
      may(actor, RESPONSE_PLAN.read_contacts) ? this.scenarios.contacts(actor).then((list) => list.items) : Promise.resolve(null),
    ]);
    return {
      title: 'drillSheet.title',
      titleDetail: { ja: drill.title, en: drill.title },
      drillId: id,
      header: this.header(drill, view, locale),
      printedOn: tokyoToday(),
      steps: steps.map((step) => ({
        position: step.position,
        phase: step.phase,
        action: step.action,
        actionEn: step.actionEn,
        role: step.role,
        target: formatMinutes(step.targetMinutes, locale),
      })),
      roll,
      eventRows: [1, 2, 3, 4, 5],
      contacts:
        contacts?.map((contact) => ({ name: contact.name, nameEn: contact.nameEn, phone: contact.phone, outOfHoursPhone: contact.outOfHoursPhone })) ?? [],
      canReadContacts: contacts !== null,
      // the column only for those the service gives the numbers to (as the contact sheet)
      showOutOfHours: (contacts ?? []).some((contact) => contact.outOfHoursPhone !== null),
      canEnterPaper: runsDrill(actor, drill) && drill.status === 'scheduled',
    };
  }

  // ---------------------------------------------------------------- the paper sheet entered afterwards

  /** The form, for whoever runs the drill (403 for the others who see it); `notScheduled` once it ran (nothing to enter). */
  async paper(actor: Actor, id: string, locale: Locale, refused: FormErrors | null = null): Promise<{ notScheduled: boolean } & Record<string, unknown>> {
    const drill = await this.drills.get(actor, id);
    if (!runsDrill(actor, drill) || !may(actor, RESPONSE_PLAN.run_drill, drill)) throw new AppException('FORBIDDEN');
    const view = await this.runs.record(actor, id);
    const steps = (await this.scenarios.get(actor, drill.scenarioId)).steps;
    const roll = await this.invitees(actor.organizationId, drill);
    const others = await this.notInvited(actor.organizationId, roll);
    const sent = submittedOf(refused, PAPER_FORM);
    const resent = refused?.form === PAPER_FORM;
    const present = new Set(strings(sent.present));
    const positions = strings(sent.stepPosition);
    const times = strings(sent.stepTime);
    const notes = strings(sent.stepNote);
    const sentStep = (position: number) => {
      const i = positions.indexOf(String(position));
      return i < 0 ? { time: '', note: '' } : { time: times[i] ?? '', note: notes[i] ?? '' };
    };
    const kinds = strings(sent.eventKind);
    const eventTimes = strings(sent.eventTime);
    const texts = strings(sent.eventText);
    return {
      title: 'drillPaper.title',
      titleDetail: { ja: drill.title, en: drill.title },
      drillId: id,
      header: this.header(drill, view, locale),
      notScheduled: drill.status !== 'scheduled',
      status: drill.status,
      form: {
        date: resent ? str(sent.date) : tokyoDateOf(drill.startsAt),
        startTime: resent ? str(sent.startTime) : '',
        endTime: resent ? str(sent.endTime) : '',
        lessons: str(sent.lessons),
      },
      roll: roll.map((person) => ({ ...person, checked: present.has(person.id) })),
      // the walk-ins chosen before, one per select
      walkIns: ((chosen) =>
        Array.from({ length: PAPER_WALK_IN_ROWS }, (_, i) => ({
          row: i + 1,
          departments: others.map((group) => ({
            ...group,
            people: group.people.map((person) => ({ ...person, selected: person.id === chosen[i] })),
          })),
        })))(strings(sent.present).filter((id) => id && others.some((group) => group.people.some((person) => person.id === id)))),
      steps: steps.map((step) => ({
        position: step.position,
        phase: step.phase,
        action: step.action,
        actionEn: step.actionEn,
        role: step.role,
        target: formatMinutes(step.targetMinutes, locale),
        ...sentStep(step.position),
      })),
      eventRows: Array.from({ length: PAPER_EVENT_ROWS }, (_, i) => ({
        row: i + 1,
        time: eventTimes[i] ?? '',
        text: texts[i] ?? '',
        kinds: DRILL_EVENT_KINDS.map((kind) => ({ value: kind, selected: kind === (kinds[i] || 'inject') })),
      })),
    };
  }

  /** The paper sheet as the drill's record (all of it or nothing). */
  recordFromPaper(actor: Actor, id: string, form: DrillPaperForm): Promise<Drill> {
    return this.runs.recordFromPaper(actor, id, paperInput(form as unknown as Record<string, unknown>).dto);
  }

  /** The step of a drill's playbook (the one the paper form lists), for a refusal's message. */
  async stepActions(actor: Actor, id: string): Promise<Map<number, string>> {
    const drill = await this.drills.get(actor, id);
    const steps = (await this.scenarios.get(actor, drill.scenarioId)).steps;
    return new Map(steps.map((step) => [step.position, step.action]));
  }

  // ---------------------------------------------------------------- shared

  /** The drill's facts for the header: 「2022年11月10日（木）」, 開始 14:00 / 終了 15:30, 所要 90分. */
  private header(drill: Drill, view: DrillRecordView, locale: Locale): object {
    const day = tokyoDateOf(view.startedAt ?? drill.startsAt);
    return {
      title: view.title,
      kind: view.kind,
      scenarioTitle: view.scenarioTitle,
      scenarioHref: `/response-plan/scenarios/${view.scenarioId}`,
      revision: view.scenarioRevision,
      day: dateWithWeekday(day, locale),
      plannedStart: tokyoTimeOf(drill.startsAt),
      plannedEnd: tokyoTimeOf(drill.endsAt),
      startTime: tokyoTimeOf(view.startedAt),
      endTime: tokyoTimeOf(view.finishedAt),
      endText: tokyoTimeOf(view.finishedAt) || '—',
      duration: view.durationMinutes === null ? '' : `${view.durationMinutes}`,
      location: drill.location,
      onlineUrl: drill.onlineUrl,
      facilitator: view.facilitatorName,
      recordedOnPaper: view.recordedOnPaper,
    };
  }

  /** Everyone the drill invites (active staff, by name, role or department), by department and name. */
  private async invitees(organizationId: string, drill: Drill): Promise<Invitee[]> {
    const rows = (await this.uow.manager.query(
      `SELECT s.id, s.family_name || ' ' || s.given_name AS name, d.name AS department, d.name_en AS department_en
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.id IN (${INVITED_STAFF_SQL})
        ORDER BY d.code NULLS LAST, s.family_name_kana, s.given_name_kana, s.id`,
      invitedStaffParameters(organizationId, drill.invitees),
    )) as { id: string; name: string; department: string | null; department_en: string | null }[];
    return rows.map((row) => ({ id: row.id, name: row.name, department: row.department, departmentEn: row.department_en }));
  }

  /** The active staff the drill does not invite, by department: those who may have come without an invitation. */
  private async notInvited(
    organizationId: string,
    roll: readonly Invitee[],
  ): Promise<{ department: string | null; departmentEn: string | null; people: { id: string; name: string }[] }[]> {
    const rows = (await this.uow.manager.query(
      `SELECT s.id, s.family_name || ' ' || s.given_name AS name, d.name AS department, d.name_en AS department_en
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.organization_id = $1 AND s.status = 'active' AND NOT (s.id = ANY($2::uuid[]))
        ORDER BY d.code NULLS LAST, s.family_name_kana, s.given_name_kana, s.id`,
      [organizationId, roll.map((person) => person.id)],
    )) as { id: string; name: string; department: string | null; department_en: string | null }[];
    const groups: { department: string | null; departmentEn: string | null; people: { id: string; name: string }[] }[] = [];
    for (const row of rows) {
      const last = groups.at(-1);
      if (last && last.department === row.department) last.people.push({ id: row.id, name: row.name });
      else groups.push({ department: row.department, departmentEn: row.department_en, people: [{ id: row.id, name: row.name }] });
    }
    return groups;
  }

  /** The open departments, to choose the one that fixes a finding. */
  private async departmentRows(organizationId: string): Promise<{ id: string; name: string; nameEn: string | null }[]> {
    const rows = (await this.uow.manager.query(
      `SELECT id, name, name_en FROM departments WHERE organization_id = $1 AND (closed_on IS NULL OR closed_on > CURRENT_DATE) ORDER BY code`,
      [organizationId],
    )) as { id: string; name: string; name_en: string | null }[];
    return rows.map((row) => ({ id: row.id, name: row.name, nameEn: row.name_en }));
  }
}
