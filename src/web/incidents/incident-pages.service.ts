import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { formatDateTime } from '../../common/dates.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { IncidentQuery } from '../../incidents/dto/incident-query.dto.js';
import type { ReportIncidentDto } from '../../incidents/dto/report-incident.dto.js';
import type { TransitionDto } from '../../incidents/dto/transition.dto.js';
import { INCIDENT_ATTACHMENT_EXTENSIONS } from '../../incidents/incident-attachment-sniffing.js';
import { IncidentAttachmentsService, type UploadedIncidentFile } from '../../incidents/incident-attachments.service.js';
import { RESPONSE_PHASES } from '../../incidents/incident-task.entity.js';
import { IncidentTasksService } from '../../incidents/incident-tasks.service.js';
import type { IncidentTimelineEntry } from '../../incidents/incident-timeline-entry.entity.js';
import { allowedTransitions, isOpen } from '../../incidents/incident-transitions.js';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, NETWORK_ZONES, SEVERITIES, type Incident } from '../../incidents/incident.entity.js';
import { IncidentsService } from '../../incidents/incidents.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { DepartmentQuery } from '../../staff/dto/department.dto.js';
import { DepartmentsService } from '../../staff/departments.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { pagerFor } from '../pagination.js';
import { formatBytes } from '../view-helpers.js';
import { fullName } from '../viewer.service.js';
import { tokyoDateTime, tokyoNowLocal, type IncidentBoardQuery, type IncidentReportForm, type IncidentTransitionForm } from './incident-page.dto.js';

const BOARD_PAGE_SIZE = 50;
const MINE_PAGE_SIZE = 20;

/** What a refused form sent, as text to fill the form again (only the form that was refused). */
function submittedOf(refused: FormErrors | null | undefined, form: string): Record<string, string> {
  if (refused?.form !== form) return {};
  return Object.fromEntries(Object.entries(refused.submitted).flatMap(([k, v]) => (typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [])));
}

/** A form's one-time token: the one sent with a refused form, else a new one. */
const formTokenOf = (sent: Record<string, string>): string => (/^[0-9a-f-]{36}$/i.test(sent.formToken ?? '') ? sent.formToken! : randomUUID());

const selected = <T>(values: readonly T[], current: T | undefined | null) => values.map((value) => ({ value, selected: value === current }));

interface ClimbRow {
  id: string;
  policy: { name: string; nameEn?: string | null; levels: unknown[] };
  trigger: string;
  start_reason: string;
  started_at: Date;
  next_level: number | null;
  next_attempt: number | null;
  next_due_at: Date | null;
  stopped_at: Date | null;
  stop_reason: string | null;
  told: number;
}

/**
 * What the incident pages show: the one-minute report form, my reports, the board of the CSIRT and
 * the security office, and an incident's page (facts, assessment, transitions, escalation, tasks,
 * files, the timeline in words), all from the incidents' services.
 */
@Injectable()
export class IncidentPagesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly incidents: IncidentsService,
    private readonly tasks: IncidentTasksService,
    private readonly attachments: IncidentAttachmentsService,
    private readonly departments: DepartmentsService,
    private readonly i18n: I18nService,
  ) {}

  get maxAttachmentBytes(): number {
    return this.attachments.maxBytes;
  }

  // ---------------------------------------------------------------- the report form

  /** The report form; after a refusal with what was sent (and the same one-time token, unless it was spent on another report). */
  async reportForm(actor: Actor, refused: FormErrors | null = null, freshToken = false): Promise<object> {
    const departments = await this.departmentList(actor, 'open');
    const sent = submittedOf(refused, 'incidentReport');
    const departmentId = sent.departmentId ?? actor.departmentId ?? '';
    const ticked = (name: string) => sent[name] === 'true';
    return {
      title: 'incidentReport.title',
      // files never come back with a refused form: the page says to choose them again
      filesLost: refused !== null,
      form: {
        formToken: !freshToken && /^[0-9a-f-]{36}$/i.test(sent.formToken ?? '') ? sent.formToken : randomUUID(),
        title: sent.title ?? '',
        description: sent.description ?? '',
        occurredAt: refused ? (sent.occurredAt ?? '') : tokyoNowLocal(),
        nearMiss: ticked('nearMiss'),
        personalDataInvolved: ticked('personalDataInvolved'),
        myNumberInvolved: ticked('myNumberInvolved'),
        affectedPeople: sent.affectedPeople ?? '',
        system: sent.system ?? '',
      },
      zones: selected(NETWORK_ZONES, sent.networkZone),
      departments: departments.map((d) => ({ ...d, selected: d.id === departmentId })),
      maxAttachmentSize: this.attachments.maxBytes,
      accept: INCIDENT_ATTACHMENT_EXTENSIONS.join(','),
    };
  }

  /**
   * Files the report: the files are checked first (a refused file files nothing), then the report
   * commits with the form's one-time token as its idempotency key, then its files are kept. A
   * second submission of the same form returns the first report and keeps no files twice.
   */
  async report(actor: Actor, form: IncidentReportForm, files: readonly UploadedIncidentFile[]): Promise<Incident> {
    const checked = this.attachments.check(files, 'attachments');
    const dto: ReportIncidentDto = {
      title: form.title,
      description: form.description,
      occurredAt: tokyoDateTime(form.occurredAt),
      nearMiss: form.nearMiss === 'true',
      personalDataInvolved: form.personalDataInvolved === 'true',
      myNumberInvolved: form.myNumberInvolved === 'true',
      ...(form.affectedPeople !== undefined ? { affectedPeople: form.affectedPeople } : {}),
      ...(form.system ? { system: form.system } : {}),
      ...(form.networkZone ? { networkZone: form.networkZone } : {}),
      ...(form.departmentId ? { departmentId: form.departmentId } : {}),
    };
    const outcome = await this.incidents.report(actor, dto, form.formToken);
    if (outcome.created && checked.length) await this.attachments.attach(actor, outcome.incident.id, checked);
    return outcome.incident;
  }

  // ---------------------------------------------------------------- my reports

  async mine(actor: Actor, page: number): Promise<object> {
    const query = Object.assign(new IncidentQuery(), { mine: true, sort: 'newest', page, pageSize: MINE_PAGE_SIZE });
    const result = await this.incidents.list(actor, query);
    return {
      title: 'myIncidents.title',
      rows: result.items.map((i) => ({
        id: i.id,
        reference: i.reference,
        title: i.title,
        status: i.status,
        open: isOpen(i.status),
        nearMiss: i.nearMiss,
        reportedAt: i.reportedAt,
        href: `/incidents/${i.id}`,
      })),
      pager: pagerFor(result, '/incidents/mine', {}),
    };
  }

  // ---------------------------------------------------------------- the board

  async board(actor: Actor, filter: IncidentBoardQuery): Promise<object> {
    const status = filter.status ?? (filter.open === 'true' ? 'open' : undefined);
    const unacknowledged = filter.unacknowledged === 'true' ? ('true' as const) : undefined;
    const query = Object.assign(new IncidentQuery(), {
      page: filter.page,
      pageSize: BOARD_PAGE_SIZE,
      sort: 'urgency',
      ...(status === 'open' ? { open: true } : status ? { status: [status] } : {}),
      ...(unacknowledged ? { unacknowledged: true } : {}),
      ...(filter.severity ? { severity: [filter.severity] } : {}),
      ...(filter.category ? { category: [filter.category] } : {}),
      ...(filter.department ? { departmentId: filter.department } : {}),
      ...(filter.from ? { from: filter.from } : {}),
      ...(filter.to ? { to: filter.to } : {}),
      ...(filter.nearMiss ? { nearMiss: filter.nearMiss === 'only' } : {}),
      ...(filter.q ? { q: filter.q } : {}),
    });
    const [result, departments] = await Promise.all([this.incidents.list(actor, query), this.departmentList(actor, 'all')]);
    const names = new Map(departments.map((d) => [d.id, d]));
    const current = {
      status,
      unacknowledged,
      severity: filter.severity,
      category: filter.category,
      department: filter.department,
      from: filter.from,
      to: filter.to,
      nearMiss: filter.nearMiss,
      q: filter.q,
    };
    return {
      title: 'incidentBoard.title',
      // the outside reports falling due, of every incident (the page is for those who read every incident, as this board)
      reportsDueHref: may(actor, INCIDENTS.read_all) ? '/incidents/external-reports/due' : null,
      filter: current,
      statuses: selected(['open', ...INCIDENT_STATUSES] as const, status),
      severities: selected(SEVERITIES, filter.severity),
      categories: selected(INCIDENT_CATEGORIES, filter.category),
      nearMisses: selected(['only', 'exclude'] as const, filter.nearMiss),
      departments: departments.map((d) => ({ ...d, selected: d.id === filter.department })),
      rows: result.items.map((i) => ({
        id: i.id,
        reference: i.reference,
        title: i.title,
        status: i.status,
        severity: i.severity,
        category: i.category,
        nearMiss: i.nearMiss,
        unacknowledged: isOpen(i.status) && !i.acknowledgedAt,
        department: (i.departmentId && names.get(i.departmentId)) || null,
        reportedAt: i.reportedAt,
        href: `/incidents/${i.id}`,
      })),
      pager: pagerFor(result, '/incidents', current),
      filtered: Object.values(current).some((v) => v !== undefined),
    };
  }

  // ---------------------------------------------------------------- an incident's page

  /** An incident's page (404 for one the reader may not see); after a refused form, that form with what was sent. */
  async incident(actor: Actor, id: string, locale: Locale, refused: FormErrors | null = null): Promise<object> {
    const incident = await this.incidents.get(actor, id);
    const canRespond = may(actor, INCIDENTS.respond);
    const [timeline, tasks, attachments, climbs, assignees] = await Promise.all([
      this.incidents.timeline(actor, id),
      this.tasks.list(actor, id),
      this.attachments.list(actor, id),
      this.climbs(actor, id),
      canRespond ? this.tasks.assignees(actor) : Promise.resolve([]),
    ]);
    const people = await this.names(actor, [
      incident.reporterId,
      incident.assigneeId,
      incident.acknowledgedById,
      ...tasks.flatMap((task) => [task.assigneeId, task.doneById]),
      ...timeline.flatMap((entry) => [entry.actorId, ...idsIn(entry.data)]),
    ]);
    const department = incident.departmentId ? await this.departments.get(actor, incident.departmentId).catch(() => null) : null;
    const open = isOpen(incident.status);
    const running = climbs.find((c) => c.stopped_at === null) ?? null;
    /** a policy's name in the reader's language (snapshots from before the English name was kept: the Japanese one) */
    const policyName = (climb: ClimbRow) => (locale === 'en' && climb.policy.nameEn ? climb.policy.nameEn : climb.policy.name);
    const lastStopped = running ? null : (climbs.find((c) => c.stopped_at !== null) ?? null);
    const transition = submittedOf(refused, 'transition');
    const allowed = [...allowedTransitions(incident.status)];
    const to = transition.to ?? allowed[0] ?? null;
    const task = submittedOf(refused, 'task');
    const note = submittedOf(refused, 'timeline');
    const ack = submittedOf(refused, 'acknowledge');
    const personalData = incident.personalData;
    const personOf = (staffId: string | null) => (staffId ? (people.get(staffId) ?? null) : null);
    return {
      title: 'incidentPage.title',
      titleDetail: { ja: `${incident.reference} ${incident.title}`, en: `${incident.reference} ${incident.title}` },
      incident: {
        ...incident,
        open,
        reporter: personOf(incident.reporterId),
        assignee: personOf(incident.assigneeId),
        acknowledgedBy: personOf(incident.acknowledgedById),
        department,
        residentContact: canRespond ? incident.residentContact : null,
        personalData: personalData && {
          ...personalData,
          triggers: (['sensitive', 'myNumber', 'financialHarm', 'unlawfulPurpose', 'ordinanceSensitive'] as const).filter((k) => personalData[k]),
        },
      },
      backHref: may(actor, INCIDENTS.read_all) ? '/incidents' : '/incidents/mine',
      backKey: may(actor, INCIDENTS.read_all) ? 'incidentPage.backToBoard' : 'incidentPage.backToMine',
      canRespond,
      // the transition form
      canTransition: canRespond && allowed.length > 0,
      transitions: allowed.map((value) => ({ value, selected: value === to })),
      offersTriage: allowed.includes('triaged'),
      offersRejection: allowed.includes('rejected'),
      transitionForm: {
        reason: transition.reason ?? '',
        version: incident.version,
        personalDataInvolved: transition.to ? transition.personalDataInvolved === 'true' : (personalData?.involved ?? incident.personalDataSuspected),
        myNumber: transition.to ? transition.myNumber === 'true' : (personalData?.myNumber ?? incident.myNumberSuspected),
        sensitive: transition.to ? transition.sensitive === 'true' : (personalData?.sensitive ?? false),
        financialHarm: transition.to ? transition.financialHarm === 'true' : (personalData?.financialHarm ?? false),
        unlawfulPurpose: transition.to ? transition.unlawfulPurpose === 'true' : (personalData?.unlawfulPurpose ?? false),
        affectedPeople: transition.affectedPeople ?? String(personalData?.affectedPeople ?? incident.affectedPeople ?? ''),
        duplicateOf: transition.duplicateOf ?? '',
      },
      severities: selected(SEVERITIES, transition.severity ?? incident.severity),
      categories: selected(INCIDENT_CATEGORIES, transition.category ?? incident.category),
      rejectionReasons: selected(['not_an_incident', 'duplicate'] as const, transition.rejectionReason ?? 'not_an_incident'),
      assignees: assignees.map((p) => ({ id: p.id, name: fullName(p), selected: p.id === (transition.assigneeId ?? incident.assigneeId ?? actor.staffId) })),
      // the escalation and the acknowledgement
      escalation: running
        ? {
            running: true,
            policy: policyName(running),
            levels: running.policy.levels.length,
            told: running.told,
            startReason: running.start_reason,
            startedAt: running.started_at,
            nextLevel: running.next_level === null ? null : running.next_level + 1,
            nextAttempt: running.next_attempt,
            nextDueAt: running.next_due_at,
          }
        : lastStopped
          ? { running: false, policy: policyName(lastStopped), stopReason: lastStopped.stop_reason, stoppedAt: lastStopped.stopped_at, told: lastStopped.told }
          : null,
      showEscalation: may(actor, INCIDENTS.read_all) || may(actor, INCIDENTS.acknowledge),
      canAcknowledge: may(actor, INCIDENTS.acknowledge) && open && (running !== null || !incident.acknowledgedAt),
      ackForm: { note: ack.note ?? '' },
      // tasks
      tasks: tasks.map((t) => ({
        ...t,
        assignee: personOf(t.assigneeId),
        doneBy: personOf(t.doneById),
        isOpen: t.status === 'open',
      })),
      tasksDone: tasks.filter((t) => t.status !== 'open').length,
      canChangeTasks: canRespond && open,
      phases: selected(RESPONSE_PHASES, task.phase),
      taskAssignees: assignees.map((p) => ({ id: p.id, name: fullName(p), selected: p.id === task.assigneeId })),
      taskForm: { title: task.title ?? '', dueAt: task.dueAt ?? '', formToken: formTokenOf(task) },
      // files
      attachments: attachments.map((a) => ({
        ...a,
        uploader: a.uploadedBy ? fullName(a.uploadedBy) : null,
        href: `/incidents/${incident.id}/attachments/${a.id}`,
      })),
      canAttach: canRespond || (incident.reporterId === actor.staffId && open),
      maxAttachmentSize: this.attachments.maxBytes,
      accept: INCIDENT_ATTACHMENT_EXTENSIONS.join(','),
      // the timeline
      timeline: timeline
        .filter((entry, i) => !repeatsSeverity(entry, timeline.slice(0, i)))
        .map((entry) => this.timelineEntry(entry, people, locale, incident)),
      canWriteTimeline: may(actor, INCIDENTS.write_timeline),
      noteKinds: selected(['note', 'action', 'contact'] as const, (note.kind as 'note' | 'action' | 'contact' | undefined) ?? 'note'),
      noteForm: { text: note.text ?? '', contact: note.contact ?? '', formToken: formTokenOf(note) },
      // the pages of the external reports and the post-incident review
      // (for all who read every incident: the CISO reads them too; only responders change them)
      externalReportsHref: may(actor, INCIDENTS.read_all) ? `/incidents/${incident.id}/external-reports` : null,
      reviewHref: may(actor, INCIDENTS.read_all) ? `/incidents/${incident.id}/review` : null,
    };
  }

  /**
   * 確認しました from the page: a second press by the same person (a double click, the page sent
   * again) when nothing runs any more is done, not an error; the API keeps its 409.
   */
  async acknowledge(actor: Actor, id: string, note: string | undefined): Promise<void> {
    try {
      await this.incidents.acknowledge(actor, id, note);
    } catch (error) {
      if (!(error instanceof AppException && error.code === 'INCIDENT_NOTHING_TO_ACKNOWLEDGE')) throw error;
      const incident = await this.incidents.get(actor, id);
      if (!incident.acknowledgedAt || incident.acknowledgedById !== actor.staffId) throw error;
    }
  }

  /** The transition form as the service's transition: the assessment only when triaging, the original of a duplicate by its reference. */
  async transition(actor: Actor, id: string, form: IncidentTransitionForm): Promise<Incident> {
    const dto: TransitionDto = { to: form.to, reason: form.reason, ...(form.version ? { version: form.version } : {}) };
    if (form.to === 'triaged') {
      const involved = form.personalDataInvolved === 'true' || form.myNumber === 'true' || form.sensitive === 'true';
      Object.assign(dto, {
        ...(form.severity ? { severity: form.severity } : {}),
        ...(form.category ? { category: form.category } : {}),
        ...(form.assigneeId ? { assigneeId: form.assigneeId } : {}),
        personalData: {
          involved,
          affectedPeople: involved ? (form.affectedPeople ?? null) : null,
          sensitive: form.sensitive === 'true',
          myNumber: form.myNumber === 'true',
          financialHarm: form.financialHarm === 'true',
          unlawfulPurpose: form.unlawfulPurpose === 'true',
        },
      });
    }
    if (form.to === 'rejected') {
      dto.rejectionReason = form.rejectionReason ?? 'not_an_incident';
      if (dto.rejectionReason === 'duplicate') {
        if (!form.duplicateOf) throw new AppException('INCIDENT_DUPLICATE_OF_REQUIRED', undefined, [{ field: 'duplicateOf', messages: ['name the original'] }]);
        dto.duplicateOfId = await this.incidentByReference(actor, form.duplicateOf);
      }
    }
    return this.incidents.transition(actor, id, dto);
  }

  /** The id of a visible incident by its reference (INC-2026-0003). */
  private async incidentByReference(actor: Actor, reference: string): Promise<string> {
    const query = Object.assign(new IncidentQuery(), { q: reference.toUpperCase(), page: 1, pageSize: 5 });
    const found = (await this.incidents.list(actor, query)).items.find((i) => i.reference === reference.toUpperCase());
    if (!found) throw new AppException('INCIDENT_DUPLICATE_OF_INVALID', undefined, [{ field: 'duplicateOf', messages: ['no such incident'] }]);
    return found.id;
  }

  // ---------------------------------------------------------------- reads of the page

  /** The incident's climbs, the running one (if any) first, with how many attempts were told. */
  private climbs(actor: Actor, incidentId: string): Promise<ClimbRow[]> {
    return this.uow.manager.query(
      `SELECT c.id, c.policy, c.trigger, c.start_reason, c.started_at, c.next_level, c.next_attempt, c.next_due_at, c.stopped_at, c.stop_reason,
              (SELECT count(*)::int FROM escalation_firings f WHERE f.climb_id = c.id) AS told
         FROM escalation_climbs c
        WHERE c.organization_id = $1 AND c.incident_id = $2
        ORDER BY c.stopped_at IS NULL DESC, c.started_at DESC
        LIMIT 5`,
      [actor.organizationId, incidentId],
    ) as Promise<ClimbRow[]>;
  }

  /** The names of the people an incident's page mentions (reporter, assignees, authors of the timeline), by id. */
  private async names(actor: Actor, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)))];
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(`SELECT id, family_name, given_name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
      actor.organizationId,
      wanted,
    ])) as { id: string; family_name: string; given_name: string }[];
    return new Map(rows.map((row) => [row.id, fullName({ familyName: row.family_name, givenName: row.given_name })]));
  }

  private async departmentList(actor: Actor, state: 'open' | 'all') {
    const page = await this.departments.list(actor, Object.assign(new DepartmentQuery(), { page: 1, pageSize: 200, state }));
    // by code, as the organisation numbers its departments
    return [...page.items].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn }));
  }

  // ---------------------------------------------------------------- the timeline in words

  /** One entry as the page tells it: when, who, what happened in a sentence or two, and the text written with it. */
  private timelineEntry(entry: IncidentTimelineEntry, people: ReadonlyMap<string, string>, locale: Locale, incident: Incident) {
    const t = (key: string, values: Record<string, unknown> = {}) => this.i18n.translate(locale, key, values);
    const d = entry.data;
    const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
    const status = (value: unknown) => (typeof value === 'string' && value ? t(`incident.status.${value}`) : t('incident.none'));
    const severity = (value: unknown) => (typeof value === 'string' && value ? t(`incident.severity.${value}`) : t('incident.severity.none'));
    const category = (value: unknown) => (typeof value === 'string' && value ? t(`incident.category.${value}`) : t('incident.none'));
    const person = (value: unknown) => (typeof value === 'string' && value ? (people.get(value) ?? t('incidentPage.timeline.someone')) : t('incident.none'));
    const change = (value: unknown): { from: unknown; to: unknown } | null =>
      value && typeof value === 'object' && 'to' in value ? (value as { from: unknown; to: unknown }) : null;
    /** the assessment facts of a transition or a change of assessment */
    const facts = (): string[] => {
      const lines: string[] = [];
      const sev = change(d.severity);
      if (sev) lines.push(t('incidentPage.timeline.severityChange', { from: severity(sev.from), to: severity(sev.to) }));
      const cat = change(d.category);
      if (cat) lines.push(t('incidentPage.timeline.categoryChange', { from: category(cat.from), to: category(cat.to) }));
      const who = change(d.assigneeId);
      if (who) lines.push(t('incidentPage.timeline.assigneeChange', { to: person(who.to) }));
      const pd = d.personalData as { involved?: boolean; affectedPeople?: number | null } | undefined;
      if (pd && typeof pd === 'object') {
        lines.push(
          pd.involved
            ? typeof pd.affectedPeople === 'number'
              ? t('incidentPage.timeline.personalDataInvolved', { count: pd.affectedPeople })
              : t('incidentPage.timeline.personalDataInvolvedUncounted')
            : t('incidentPage.timeline.personalDataNotInvolved'),
        );
      }
      return lines;
    };
    let lines: string[];
    switch (entry.kind) {
      case 'reported':
        // (the reporter reads the entry without its facts: the reference is the incident's)
        lines = [
          t((d.nearMiss ?? incident.nearMiss) ? 'incidentPage.timeline.reportedNearMiss' : 'incidentPage.timeline.reported', {
            reference: str(d.reference) || incident.reference,
          }),
        ];
        break;
      case 'transition':
        lines = [t('incidentPage.timeline.transition', { from: status(entry.fromStatus), to: status(entry.toStatus) }), ...facts()];
        break;
      case 'triage':
        lines = [t('incidentPage.timeline.assessed'), ...facts()];
        break;
      case 'severity_changed':
        lines = [t('incidentPage.timeline.severityChange', { from: severity(d.from), to: severity(d.to) })];
        break;
      case 'assigned':
        lines = [t('incidentPage.timeline.assigneeChange', { to: person(d.to ?? d.assigneeId) })];
        break;
      case 'note':
      case 'action':
        lines = [t(`incidentPage.timeline.${entry.kind}`)];
        break;
      case 'contact':
        lines = [d.contact ? t('incidentPage.timeline.contactWith', { contact: str(d.contact) }) : t('incidentPage.timeline.contact')];
        break;
      case 'task': {
        const title = str(d.title);
        if (d.event === 'added') {
          lines = [t('incidentPage.timeline.taskAdded', { title })];
          if (d.assigneeId) lines.push(t('incidentPage.timeline.taskAssignee', { name: person(d.assigneeId) }));
        } else if (d.event === 'status') {
          lines = [t(`incidentPage.timeline.taskStatus.${str(d.to)}`, { title })];
        } else if (d.event === 'assigned') {
          lines = [d.to ? t('incidentPage.timeline.taskAssigned', { title, name: person(d.to) }) : t('incidentPage.timeline.taskUnassigned', { title })];
        } else {
          lines = [t('incidentPage.timeline.taskChanged', { title })];
        }
        break;
      }
      case 'escalation':
        lines =
          d.event === 'started'
            ? [
                t('incidentPage.timeline.escalationStarted', {
                  policy: (locale === 'en' && str(d.policyNameEn)) || str(d.policyName) || str(d.policy),
                  levels: str(d.levels),
                  reason: t(`incidentPage.climbStart.${str(d.reason)}`),
                }),
              ]
            : [t('incidentPage.timeline.escalationStopped', { reason: t(`incidentPage.climbStop.${str(d.reason)}`) })];
        break;
      case 'notification': {
        const channels = Array.isArray(d.channels) ? d.channels.map((c) => t(`incidentPage.channel.${str(c)}`)).join(t('incidentPage.listSeparator')) : '';
        lines = [
          t(Number(d.attempt) > 1 ? 'incidentPage.timeline.escalatedAgain' : 'incidentPage.timeline.escalated', {
            level: str(d.level),
            attempt: str(d.attempt),
            recipients: str(d.recipients),
            channels,
          }),
        ];
        break;
      }
      case 'acknowledgement':
        lines = [t('incidentPage.timeline.acknowledged')];
        break;
      case 'attachment':
        lines = [t('incidentPage.timeline.attached', { fileName: str(d.fileName), size: formatBytes(Number(d.size)) })];
        break;
      case 'external_report': {
        const change = str(d.change);
        const values = {
          recipient: t(`externalReport.recipient.${str(d.recipient)}`),
          kind: t(`externalReport.kind.${str(d.kind)}`),
          dueAt: formatDateTime(str(d.dueAt), locale),
          sentAt: formatDateTime(str(d.sentAt), locale),
        };
        lines =
          ['owed', 'changed', 'cancelled', 'sent'].includes(change) && values.dueAt
            ? [t(`incidentPage.timeline.externalReport.${change}${change === 'sent' && d.late === true ? 'Late' : ''}`, values)]
            : [t('incidentPage.timeline.externalReport')];
        break;
      }
      case 'review':
        lines = [t('incidentPage.timeline.review')];
        break;
      default:
        lines = [t('incidentPage.timeline.other', { kind: String(entry.kind) })];
    }
    const byMamori = entry.kind === 'notification' || (entry.kind === 'escalation' && d.event === 'started');
    return {
      id: entry.id,
      kind: entry.kind,
      at: entry.at,
      atText: formatDateTime(entry.at, locale),
      // starting an escalation and telling its levels is Mamori's doing, whoever's change started it
      who: entry.actorId && !byMamori ? (people.get(entry.actorId) ?? entry.actorLabel) : null,
      lines,
      text: entry.text,
    };
  }
}

/**
 * A change of severity the transition or assessment that made it already tells (triage writes
 * both, with the escalation's and outside reports' entries between them): the page says it once.
 */
function repeatsSeverity(entry: IncidentTimelineEntry, before: readonly IncidentTimelineEntry[]): boolean {
  if (entry.kind !== 'severity_changed') return false;
  const previous = before.findLast((e) => e.kind === 'transition' || e.kind === 'triage' || e.kind === 'severity_changed');
  if (!previous || previous.kind === 'severity_changed') return false;
  const told = previous.data.severity as { from?: unknown; to?: unknown } | undefined;
  return !!told && typeof told === 'object' && told.to === entry.data.to && (told.from ?? null) === (entry.data.from ?? null);
}

/** The staff ids a timeline entry's facts name (assignees before and after, a task's assignee), for their names. */
function idsIn(data: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const take = (value: unknown) => {
    if (typeof value === 'string') ids.push(value);
    else if (value && typeof value === 'object' && 'to' in value) {
      const { from, to } = value as { from: unknown; to: unknown };
      if (typeof from === 'string') ids.push(from);
      if (typeof to === 'string') ids.push(to);
    }
  };
  take(data.assigneeId);
  if (data.event === 'assigned') {
    take(data.from);
    take(data.to);
  }
  return ids;
}
