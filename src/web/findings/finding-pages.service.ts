import { Injectable } from '@nestjs/common';
import { accessScope } from '../../auth/access-scope.js';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { AppException } from '../../common/errors/app.exception.js';
import { pageOf } from '../../common/pagination.js';
import { assertMay, may } from '../../common/permissions.js';
import { CONTROLS } from '../../controls/controls.permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { CarriedOverFindingsService } from '../../findings/carried-over-findings.service.js';
import { CorrectiveAction } from '../../findings/corrective-action.entity.js';
import type { RaiseFindingDto } from '../../findings/dto/finding.dto.js';
import { Finding, FINDING_SEVERITIES, FINDING_SOURCES, FINDING_STATUSES, type FindingSeverity } from '../../findings/finding.entity.js';
import { FindingsService, type FindingWithActions } from '../../findings/findings.service.js';
import { FINDING_SCOPE, FINDINGS } from '../../findings/findings.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import { fullName } from '../viewer.service.js';
import { DRILL_READ_ALL } from '../../response-plan/response-plan.permissions.js';
import type { CarriedOverPageQuery, FindingBoardQuery, FindingRaiseForm } from './finding-page.dto.js';
import { FINDING_PAGES } from './finding-pages.permissions.js';

const BOARD_PAGE_SIZE = 50;
const CARRIED_PAGE_SIZE = 50;
/** no department: matches no finding (a manager without a department sees none) */
const NO_ID = '00000000-0000-0000-0000-000000000000';
/** the actions someone still has to carry out (a done one waits for verification) */
const OPEN_ACTION = `('planned', 'reopened')`;

/** What a refused form sent, as text to fill the form again (only the form that was refused). */
function submittedOf(refused: FormErrors | null | undefined, form: string, actionId?: string): Record<string, string> {
  if (refused?.form !== form || (actionId && refused.submitted._action !== actionId)) return {};
  return Object.fromEntries(Object.entries(refused.submitted).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

/** The board's address with a filter (the blank ones left out). */
function boardHref(filter: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value) params.set(name, value);
  const query = params.toString();
  return query ? `/findings?${query}` : '/findings';
}

/** high first, as people say them (高・中・低) */
const SEVERITIES_HIGH_FIRST = [...FINDING_SEVERITIES].reverse();

const selected = <T>(values: readonly T[], current: T | undefined | null) => values.map((value) => ({ value, selected: value === current }));

interface BoardRow {
  id: string;
  reference: string;
  title: string;
  source: string;
  source_id: string | null;
  severity: string;
  status: string;
  due_date: string;
  overdue: boolean;
  department_name: string | null;
  department_name_en: string | null;
  open_actions: number;
  next_due_date: string | null;
  next_family_name: string | null;
  next_given_name: string | null;
  total: number;
}

interface DepartmentRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
}

/**
 * The page of the record a finding came from: an audit's, an incident's or a drill's record (reviews
 * have none here). A drill's record only for those who read every drill (the others may not be among
 * its invitees: no link that answers 404).
 */
export function sourceHref(source: string, sourceId: string | null, reader?: Pick<Actor, 'roles'>): string | null {
  if (!sourceId) return null;
  if (source === 'audit') return `/audits/${sourceId}`;
  if (source === 'incident') return `/incidents/${sourceId}`;
  if (source === 'drill') return reader && reader.roles.some((role) => DRILL_READ_ALL.includes(role)) ? `/drills/${sourceId}/record` : null;
  return null;
}

/**
 * What the finding pages show: the board (one query with department names, the open actions and
 * the next one, in the reader's scope), the carried-over tab, a finding's page with its forms by
 * permission, and the form to raise one by hand; the work itself is FindingsService's.
 */
@Injectable()
export class FindingPagesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly findings: FindingsService,
    private readonly carriedOver: CarriedOverFindingsService,
  ) {}

  // ---------------------------------------------------------------- the board

  async board(actor: Actor, filter: FindingBoardQuery, today: string = tokyoToday()): Promise<object> {
    assertMay(actor, FINDINGS.read);
    const org = actor.organizationId;
    const params: unknown[] = [org, today];
    const where: string[] = ['f.organization_id = $1'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    const all = accessScope(actor, FINDING_SCOPE).kind === 'all';
    // the findings list's rule (FindingsService.list): everyone but READ_ALL sees their own department's
    if (!all) add((n) => `f.owner_department_id = ${n}`, actor.departmentId ?? NO_ID);
    if (filter.status) add((n) => `f.status = ${n}`, filter.status);
    if (filter.severity) add((n) => `f.severity = ${n}`, filter.severity);
    if (filter.source) add((n) => `f.source = ${n}`, filter.source);
    if (filter.department) add((n) => `f.owner_department_id = ${n}`, filter.department);
    if (filter.fiscalYear) add((n) => `f.fiscal_year = ${n}`, filter.fiscalYear);
    if (filter.sourceId) add((n) => `f.source_id = ${n}`, filter.sourceId);
    // closed work stays out of the way: verified ones only when asked for (the option, or their status)
    const showVerified = filter.verified === 'true' || filter.status === 'verified';
    if (!showVerified) where.push(`f.status <> 'verified'`);
    if (filter.overdue) where.push(`f.due_date < $2 AND f.status <> 'verified'`);
    if (filter.awaiting) where.push(`EXISTS (SELECT 1 FROM corrective_actions w WHERE w.finding_id = f.id AND w.status = 'done')`);
    const conditions = where.join(' AND ');
    params.push(BOARD_PAGE_SIZE, (filter.page - 1) * BOARD_PAGE_SIZE);
    const [rows, departments, years, sourceLabel] = await Promise.all([
      this.uow.manager.query(
        `SELECT f.id, f.reference, f.title, f.source, f.source_id, f.severity, f.status, f.due_date::text AS due_date,
                (f.due_date < $2 AND f.status <> 'verified') AS overdue,
                d.name AS department_name, d.name_en AS department_name_en,
                coalesce(o.open_actions, 0)::int AS open_actions,
                n.due_date::text AS next_due_date, s.family_name AS next_family_name, s.given_name AS next_given_name,
                count(*) OVER ()::int AS total
           FROM findings f
           LEFT JOIN departments d ON d.id = f.owner_department_id
           LEFT JOIN LATERAL (SELECT count(*) AS open_actions FROM corrective_actions a
                               WHERE a.finding_id = f.id AND a.status IN ${OPEN_ACTION}) o ON true
           LEFT JOIN LATERAL (SELECT a.assignee_id, a.due_date FROM corrective_actions a
                               WHERE a.finding_id = f.id AND a.status IN ${OPEN_ACTION}
                               ORDER BY a.due_date, a.created_at, a.id LIMIT 1) n ON true
           LEFT JOIN staff s ON s.id = n.assignee_id
          WHERE ${conditions}
          ORDER BY (f.status = 'verified'), f.due_date, f.reference
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ) as Promise<BoardRow[]>,
      all ? this.departmentRows(org) : Promise.resolve([] as DepartmentRow[]),
      this.fiscalYears(actor),
      filter.sourceId ? this.sourceLabel(org, filter.sourceId) : Promise.resolve(null),
    ]);
    // a page past the last: count them to offer the way back
    const total = rows[0]?.total ?? (filter.page > 1 ? await this.count(conditions, params.slice(0, -2)) : 0);
    const current = {
      status: filter.status,
      severity: filter.severity,
      source: filter.source,
      department: filter.department,
      fiscalYear: filter.fiscalYear ? String(filter.fiscalYear) : undefined,
      overdue: filter.overdue,
      awaiting: filter.awaiting,
      sourceId: filter.sourceId,
      verified: filter.verified,
    };
    const result = pageOf(rows, total, { page: filter.page, pageSize: BOARD_PAGE_SIZE });
    return {
      title: 'findingBoard.title',
      tab: 'all',
      filter: current,
      canRaise: may(actor, FINDINGS.raise),
      statuses: selected(FINDING_STATUSES, filter.status),
      severities: selected(SEVERITIES_HIGH_FIRST, filter.severity),
      sources: selected(FINDING_SOURCES, filter.source),
      departments: departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en, selected: d.id === filter.department })),
      fiscalYears: years.map((year) => ({ value: year, selected: year === filter.fiscalYear })),
      rows: rows.map((row) => ({
        id: row.id,
        href: `/findings/${row.id}`,
        reference: row.reference,
        title: row.title,
        source: row.source,
        sourceHref: sourceHref(row.source, row.source_id, actor),
        severity: row.severity,
        status: row.status,
        dueDate: row.due_date,
        overdue: row.overdue,
        department: row.department_name ? { name: row.department_name, nameEn: row.department_name_en } : null,
        openActions: row.open_actions,
        next:
          row.next_due_date === null
            ? null
            : {
                dueDate: row.next_due_date,
                assignee: row.next_family_name ? fullName({ familyName: row.next_family_name, givenName: row.next_given_name ?? '' }) : null,
              },
      })),
      pager: pagerFor(result, '/findings', current),
      filtered: Object.values(current).some((v) => v !== undefined),
      showVerified,
      /** the record the board is held to (an audit's findings): named, with the way back and the way out */
      sourceFilter: filter.sourceId
        ? {
            id: filter.sourceId,
            label: sourceLabel,
            href: sourceLabel ? `/audits/${filter.sourceId}` : null,
            clearHref: boardHref({ ...current, sourceId: undefined }),
          }
        : null,
    };
  }

  /** 前年度からの繰越: the findings of earlier fiscal years not verified before this one began (CarriedOverFindingsService). */
  async carried(actor: Actor, query: CarriedOverPageQuery, today: string = tokyoToday()): Promise<object> {
    assertMay(actor, FINDINGS.read);
    const fiscalYear = query.fiscalYear ?? fiscalYearOf(today);
    const result = await this.carriedOver.list(actor, { fiscalYear, page: query.page, pageSize: CARRIED_PAGE_SIZE });
    const departments = await this.departmentNames(
      actor.organizationId,
      result.items.flatMap(({ finding }) => (finding.ownerDepartmentId ? [finding.ownerDepartmentId] : [])),
    );
    const people = await this.names(
      actor.organizationId,
      result.items.flatMap(({ actions }) => actions.map((a) => a.assigneeId)),
    );
    const current = { fiscalYear: query.fiscalYear ? String(query.fiscalYear) : undefined };
    return {
      title: 'findingBoard.carriedTitle',
      tab: 'carried',
      fiscalYear,
      years: Array.from({ length: 6 }, (_, i) => fiscalYearOf(today) - i).map((value) => ({ value, selected: value === fiscalYear })),
      canRaise: may(actor, FINDINGS.raise),
      rows: result.items.map(({ finding, actions }) => {
        const open = actions.filter((a) => a.status === 'planned' || a.status === 'reopened');
        const next = [...open].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))[0] ?? null;
        const department = finding.ownerDepartmentId ? departments.get(finding.ownerDepartmentId) : undefined;
        return {
          href: `/findings/${finding.id}`,
          reference: finding.reference,
          title: finding.title,
          fiscalYear: finding.fiscalYear,
          severity: finding.severity,
          status: finding.status,
          dueDate: finding.dueDate,
          overdue: finding.dueDate < today && finding.status !== 'verified',
          department: department ? { name: department.name, nameEn: department.name_en } : null,
          openActions: open.length,
          next: next ? { dueDate: next.dueDate, assignee: next.assigneeId ? (people.get(next.assigneeId) ?? null) : null } : null,
        };
      }),
      pager: pagerFor(result, '/findings/carried-over', current),
    };
  }

  // ---------------------------------------------------------------- a finding's page

  /**
   * A finding's page: for those who read it (FindingsService.get), and for the people one of its
   * corrective actions is assigned to (404 for anyone else). After a refused form, that form with
   * what was sent.
   */
  async finding(actor: Actor, id: string, refused: FormErrors | null = null, today: string = tokyoToday()): Promise<object> {
    assertMay(actor, FINDING_PAGES.open);
    const read = await this.readable(actor, id);
    const finding = read.finding;
    // oldest first; those planned together by due date
    const actions = [...read.actions].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id),
    );
    const org = actor.organizationId;
    const canPlan = may(actor, FINDINGS.plan_action, finding);
    const [department, controls, source, people, assignees] = await Promise.all([
      finding.ownerDepartmentId ? this.departmentNames(org, [finding.ownerDepartmentId]).then((m) => m.get(finding.ownerDepartmentId!) ?? null) : null,
      this.controlsOf(org, finding.controlIds),
      this.sourceOf(org, finding),
      this.names(org, [finding.raisedById, ...actions.flatMap((a) => [a.assigneeId, a.verifiedById])]),
      canPlan ? this.assigneeGroups(actor, finding) : Promise.resolve([]),
    ]);
    const plan = submittedOf(refused, 'findingPlan');
    const linkControls = may(actor, CONTROLS.read);
    const verifier = may(actor, FINDINGS.verify);
    const backToBoard = may(actor, FINDINGS.read);
    return {
      title: 'findingPage.title',
      titleDetail: { ja: `${finding.reference} ${finding.title}`, en: `${finding.reference} ${finding.title}` },
      backHref: backToBoard ? '/findings' : '/',
      backKey: backToBoard ? 'findingPage.backToBoard' : 'findingPage.backToMyPage',
      finding: {
        ...finding,
        overdue: finding.dueDate < today && finding.status !== 'verified',
        department: department ? { name: department.name, nameEn: department.name_en } : null,
        raisedBy: finding.raisedById ? (people.get(finding.raisedById) ?? null) : null,
      },
      source: {
        ...source,
        // a non-conformity's finding opens the checklist item it came from
        href:
          finding.source === 'audit' && finding.sourceId && finding.checklistItemId
            ? `/audits/${finding.sourceId}/checklist/${finding.checklistItemId}`
            : sourceHref(finding.source, finding.sourceId, actor),
      },
      controls: controls.map((c) => ({ ...c, href: linkControls ? `/controls/${c.id}` : null })),
      actions: actions.map((action) => {
        const doneForm = submittedOf(refused, 'findingDone', action.id);
        const verifyForm = submittedOf(refused, 'findingVerify', action.id);
        const open = action.status === 'planned' || action.status === 'reopened';
        // who did the work does not check it (FindingsService.verify refuses them)
        const ownWork = action.assigneeId !== null && action.assigneeId === actor.staffId;
        return {
          ...action,
          assignee: action.assigneeId ? (people.get(action.assigneeId) ?? null) : null,
          verifiedBy: action.verifiedById ? (people.get(action.verifiedById) ?? null) : null,
          mine: action.assigneeId !== null && action.assigneeId === actor.staffId,
          overdue: open && action.dueDate < today,
          canReportDone: open && may(actor, FINDINGS.report_progress, { assigneeId: action.assigneeId, ownerDepartmentId: finding.ownerDepartmentId }),
          canVerify: verifier && !ownWork && action.status === 'done',
          canReopenVerified: verifier && !ownWork && action.status === 'verified',
          ownWorkToVerify: verifier && ownWork && (action.status === 'done' || action.status === 'verified'),
          doneNoteSent: doneForm.note ?? '',
          verifyNoteSent: verifyForm.note ?? '',
          verifyDueSent: verifyForm.dueDate ?? '',
          reopenOpen: verifyForm.note !== undefined,
        };
      }),
      actionsOpen: actions.filter((a) => a.status === 'planned' || a.status === 'reopened').length,
      canPlan,
      assigneeGroups: assignees.map((group) => ({
        ...group,
        people: group.people.map((p) => ({ ...p, selected: p.id === plan.assigneeId })),
      })),
      planForm: { description: plan.description ?? '', dueDate: plan.dueDate ?? '' },
      planOnlyDepartment: canPlan && !may(actor, FINDINGS.plan_action, { ownerDepartmentId: null }),
    };
  }

  // ---------------------------------------------------------------- raising one by hand

  async raiseForm(actor: Actor, refused: FormErrors | null = null, today: string = tokyoToday()): Promise<object> {
    assertMay(actor, FINDINGS.raise);
    const org = actor.organizationId;
    const sent = submittedOf(refused, 'findingRaise');
    const sentControls = refused?.form === 'findingRaise' ? [refused.submitted.controlIds].flat().filter((v): v is string => typeof v === 'string') : [];
    const [departments, controls] = await Promise.all([
      this.departmentRows(org, true),
      this.uow.manager.query(`SELECT id, code, chapter, title, title_en FROM controls WHERE organization_id = $1 ORDER BY chapter, code`, [org]) as Promise<
        { id: string; code: string; chapter: number; title: string; title_en: string | null }[]
      >,
    ]);
    const chapters = new Map<number, { chapter: number; controls: object[] }>();
    for (const c of controls) {
      const group = chapters.get(c.chapter) ?? { chapter: c.chapter, controls: [] };
      group.controls.push({ id: c.id, code: c.code, title: c.title, titleEn: c.title_en, checked: sentControls.includes(c.id) });
      chapters.set(c.chapter, group);
    }
    const due = (severity: FindingSeverity) => this.findings.dueDateFor(severity, today);
    return {
      title: 'findingNew.title',
      form: { title: sent.title ?? '', description: sent.description ?? '', dueDate: sent.dueDate ?? '' },
      severities: selected(SEVERITIES_HIGH_FIRST, (sent.severity as FindingSeverity | undefined) ?? 'medium'),
      departments: departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en, selected: d.id === sent.ownerDepartmentId })),
      chapters: [...chapters.values()].map((group) => ({ ...group, checkedCount: group.controls.filter((c) => (c as { checked: boolean }).checked).length })),
      defaultDue: { high: due('high'), medium: due('medium'), low: due('low') },
    };
  }

  raise(actor: Actor, form: FindingRaiseForm): Promise<FindingWithActions> {
    const dto: RaiseFindingDto = {
      title: form.title,
      severity: form.severity,
      ownerDepartmentId: form.ownerDepartmentId,
      controlIds: form.controlIds,
      ...(form.description !== undefined ? { description: form.description } : {}),
      ...(form.dueDate ? { dueDate: form.dueDate } : {}),
    };
    return this.findings.create(actor, dto);
  }

  // ---------------------------------------------------------------- reads

  /** The action posted to is one of the finding in the address (else 404, as for an action one may not see). */
  async assertActionOf(actor: Actor, findingId: string, actionId: string): Promise<void> {
    const rows = (await this.uow.manager.query(`SELECT 1 FROM corrective_actions WHERE organization_id = $1 AND id = $2 AND finding_id = $3`, [
      actor.organizationId,
      actionId,
      findingId,
    ])) as unknown[];
    if (!rows.length) throw new AppException('CORRECTIVE_ACTION_NOT_FOUND');
  }

  /** The finding as FindingsService reads it, or, for one of its assignees, as the assignee's. */
  private async readable(actor: Actor, id: string): Promise<FindingWithActions> {
    if (may(actor, FINDINGS.read)) {
      try {
        return await this.findings.get(actor, id);
      } catch (error) {
        if (!(error instanceof AppException && error.code === 'FINDING_NOT_FOUND')) throw error;
      }
    }
    const manager = this.uow.manager;
    const finding = await manager.getRepository(Finding).findOneBy({ id, organizationId: actor.organizationId });
    if (!finding || !actor.staffId) throw new AppException('FINDING_NOT_FOUND');
    const actions = await manager.getRepository(CorrectiveAction).find({ where: { findingId: finding.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (!actions.some((a) => a.assigneeId === actor.staffId)) throw new AppException('FINDING_NOT_FOUND');
    return { finding, actions };
  }

  /** Who may be assigned an action: active staff by department (a manager: their department's only). */
  private async assigneeGroups(
    actor: Actor,
    finding: Finding,
  ): Promise<{ department: string; departmentEn: string | null; people: { id: string; name: string }[] }[]> {
    const anyDepartment = may(actor, FINDINGS.plan_action, { ownerDepartmentId: null });
    const params: unknown[] = [actor.organizationId];
    if (!anyDepartment) params.push(finding.ownerDepartmentId ?? NO_ID);
    const rows = (await this.uow.manager.query(
      `SELECT s.id, s.family_name, s.given_name, d.name AS department, d.name_en AS department_en
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.organization_id = $1 AND s.status = 'active' ${anyDepartment ? '' : 'AND s.department_id = $2'}
        ORDER BY d.code NULLS LAST, s.family_name_kana NULLS LAST, s.given_name_kana NULLS LAST, s.family_name, s.given_name, s.id`,
      params,
    )) as { id: string; family_name: string; given_name: string; department: string | null; department_en: string | null }[];
    const groups: { department: string; departmentEn: string | null; people: { id: string; name: string }[] }[] = [];
    for (const row of rows) {
      const name = row.department ?? '';
      let group = groups.at(-1);
      if (!group || group.department !== name) groups.push((group = { department: name, departmentEn: row.department_en, people: [] }));
      group.people.push({ id: row.id, name: fullName({ familyName: row.family_name, givenName: row.given_name }) });
    }
    return groups;
  }

  private controlsOf(org: string, ids: readonly string[]): Promise<{ id: string; code: string; title: string; titleEn: string | null }[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.uow.manager.query(
      `SELECT id, code, title, title_en AS "titleEn" FROM controls WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY chapter, code`,
      [org, ids],
    ) as Promise<{ id: string; code: string; title: string; titleEn: string | null }[]>;
  }

  /** The audit a board is held to, by its reference and title (null: none of ours). */
  private async sourceLabel(org: string, auditId: string): Promise<string | null> {
    const rows = (await this.uow.manager.query(`SELECT reference || ' ' || title AS label FROM audits WHERE organization_id = $1 AND id = $2`, [
      org,
      auditId,
    ])) as { label: string }[];
    return rows[0]?.label ?? null;
  }

  /**
   * What the page names as the source record: an audit's reference and title (with the control and
   * department of the checklist item it came from), an incident's reference.
   */
  private async sourceOf(org: string, finding: Finding): Promise<{ label: string | null; item: string | null }> {
    if (!finding.sourceId) return { label: null, item: null };
    if (finding.source === 'audit' && finding.checklistItemId) {
      const rows = (await this.uow.manager.query(
        `SELECT a.reference || ' ' || a.title AS label, i.control_code || ' ' || d.name AS item
           FROM audits a
           LEFT JOIN audit_checklist_items i ON i.id = $3 AND i.audit_id = a.id
           LEFT JOIN departments d ON d.id = i.department_id
          WHERE a.organization_id = $1 AND a.id = $2`,
        [org, finding.sourceId, finding.checklistItemId],
      )) as { label: string; item: string | null }[];
      return { label: rows[0]?.label ?? null, item: rows[0]?.item ?? null };
    }
    const table = finding.source === 'audit' ? 'audits' : finding.source === 'incident' ? 'incidents' : null;
    if (!table) return { label: null, item: null };
    const rows = (await this.uow.manager.query(
      `SELECT reference${table === 'audits' ? ", reference || ' ' || title AS label" : ', reference AS label'} FROM ${table} WHERE organization_id = $1 AND id = $2`,
      [org, finding.sourceId],
    )) as { label: string }[];
    return { label: rows[0]?.label ?? null, item: null };
  }

  private async names(org: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(`SELECT id, family_name, given_name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
      org,
      wanted,
    ])) as { id: string; family_name: string; given_name: string }[];
    return new Map(rows.map((row) => [row.id, fullName({ familyName: row.family_name, givenName: row.given_name })]));
  }

  private async departmentNames(org: string, ids: readonly string[]): Promise<Map<string, DepartmentRow>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(`SELECT id, code, name, name_en FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
      org,
      wanted,
    ])) as DepartmentRow[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The organisation's departments by code (open ones only when raising). */
  private departmentRows(org: string, openOnly = false): Promise<DepartmentRow[]> {
    return this.uow.manager.query(
      `SELECT id, code, name, name_en FROM departments WHERE organization_id = $1 ${openOnly ? 'AND (closed_on IS NULL OR closed_on > CURRENT_DATE)' : ''} ORDER BY code`,
      [org],
    ) as Promise<DepartmentRow[]>;
  }

  /** The fiscal years the reader's findings belong to, newest first, with the current one. */
  private async fiscalYears(actor: Actor): Promise<number[]> {
    const all = accessScope(actor, FINDING_SCOPE).kind === 'all';
    const rows = (await this.uow.manager.query(
      `SELECT DISTINCT fiscal_year FROM findings WHERE organization_id = $1 ${all ? '' : 'AND owner_department_id = $2'}`,
      all ? [actor.organizationId] : [actor.organizationId, actor.departmentId ?? NO_ID],
    )) as { fiscal_year: number }[];
    return [...new Set([fiscalYearOf(tokyoToday()), ...rows.map((r) => Number(r.fiscal_year))])].sort((a, b) => b - a);
  }

  private async count(conditions: string, params: unknown[]): Promise<number> {
    const rows = (await this.uow.manager.query(`SELECT count(*)::int AS n FROM findings f WHERE ${conditions} AND $2::date IS NOT NULL`, params)) as {
      n: number;
    }[];
    return rows[0]?.n ?? 0;
  }
}
