import { Injectable } from '@nestjs/common';
import { AUDIT_KINDS, AUDIT_STATUSES, type Audit, type AuditScope } from '../../audits/audit.entity.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { AuditsService } from '../../audits/audits.service.js';
import { AuditQuery, type PlanAuditDto, type UpdateAuditDto } from '../../audits/dto/audit.dto.js';
import { FINDINGS } from '../../findings/findings.permissions.js';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { AppException } from '../../common/errors/app.exception.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import type { AuditListQuery, AuditPlanForm } from './audit-page.dto.js';

export const AUDIT_PAGE_SIZE = 50;

/** The forms of the pages (the error summary's `formField.<form>.<field>` messages). */
export const PLAN_FORM = 'auditPlan';
export const START_FORM = 'auditStart';
export const REPORT_FORM = 'auditReport';

/** The chapters of the guideline (1 組織体制 … 9 評価・見直し). */
export const CHAPTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** The roles that may lead or join an audit team (as AuditsService checks them). */
const AUDITOR_ROLES = ['auditor', 'security_officer'];

export const auditPath = (id: string): string => `/audits/${id}`;

/** The findings board, filtered by the audit they came from. */
export const auditFindingsPath = (id: string): string => `/findings?sourceId=${id}`;

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : []);
const sent = (formErrors: FormErrors | undefined, form: string): Record<string, unknown> | null => (formErrors?.form === form ? formErrors.submitted : null);

/** A person who may audit: for the lead's select and the team's checkboxes. */
export interface AuditorChoice {
  id: string;
  name: string;
  departmentId: string | null;
  departmentName: string | null;
  roles: string[];
}

interface DepartmentChoice {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
}

/** What the plan form shows: what was sent when it was refused, else the audit's plan (or a new plan's defaults). */
function formValues(audit: Audit | null, submitted: Record<string, unknown> | null, today: string) {
  if (submitted) {
    return {
      fiscalYear: text(submitted.fiscalYear) || String(audit?.fiscalYear ?? fiscalYearOf(today)),
      kind: text(submitted.kind) || audit?.kind || 'internal_audit',
      title: text(submitted.title),
      chapters: list(submitted.chapters),
      essentialOnly: submitted.essentialOnly === '1',
      allDepartments: submitted.allDepartments === '1',
      departmentIds: list(submitted.departmentIds),
      leadAuditorId: text(submitted.leadAuditorId),
      auditorIds: list(submitted.auditorIds),
      plannedStart: text(submitted.plannedStart),
      plannedEnd: text(submitted.plannedEnd),
    };
  }
  return {
    fiscalYear: String(audit?.fiscalYear ?? fiscalYearOf(today)),
    kind: audit?.kind ?? 'internal_audit',
    title: audit?.title ?? '',
    chapters: (audit?.scope.chapters ?? []).map(String),
    essentialOnly: audit?.scope.essentialOnly === true,
    allDepartments: false,
    departmentIds: audit?.scope.departmentIds ?? [],
    leadAuditorId: audit?.leadAuditorId ?? '',
    auditorIds: audit?.auditorIds ?? [],
    plannedStart: audit?.plannedStart ?? '',
    plannedEnd: audit?.plannedEnd ?? '',
  };
}

/**
 * 監査・自己点検: the data of the audit plan pages (the list of a fiscal year, the plan form, an audit's
 * page with its progress per department), and their forms turned into AuditsService's calls. Words
 * are the views' (keys and values); the names of people and departments are read here.
 */
@Injectable()
export class AuditPagesService {
  constructor(
    private readonly audits: AuditsService,
    private readonly uow: UnitOfWork,
  ) {}

  // ------------------------------------------------------------------ the list

  async list(actor: Actor, query: AuditListQuery, today = tokyoToday()): Promise<object> {
    const current = fiscalYearOf(today);
    const fiscalYear = query.fiscalYear === 'all' ? undefined : query.fiscalYear ? Number(query.fiscalYear) : current;
    const filter = Object.assign(new AuditQuery(), {
      fiscalYear,
      kind: query.kind,
      status: query.status ? [query.status] : undefined,
      page: query.page,
      pageSize: AUDIT_PAGE_SIZE,
    });
    const [result, years] = await Promise.all([this.audits.list(actor, filter), this.fiscalYears(actor, current)]);
    const names = await this.names(
      actor,
      result.items.map((s) => s.audit.leadAuditorId),
    );
    const boardOpen = may(actor, FINDINGS.read);
    return {
      title: 'auditPlan.list.title',
      canPlan: may(actor, AUDITS.plan),
      fiscalYear: fiscalYear ?? null,
      fiscalYears: [...new Set([...years, ...(fiscalYear ? [fiscalYear] : [])])]
        .sort((a, b) => b - a)
        .map((value) => ({ value, selected: value === fiscalYear })),
      allYears: fiscalYear === undefined,
      kinds: AUDIT_KINDS.map((value) => ({ value, selected: value === query.kind })),
      statuses: AUDIT_STATUSES.map((value) => ({ value, selected: value === query.status })),
      rows: result.items.map(({ audit, total, answered, findings }) => ({
        href: auditPath(audit.id),
        reference: audit.reference,
        kind: audit.kind,
        title: audit.title,
        fiscalYear: audit.fiscalYear,
        lead: names.get(audit.leadAuditorId) ?? null,
        plannedStart: audit.plannedStart,
        plannedEnd: audit.plannedEnd,
        status: audit.status,
        overdue: audit.status === 'in_progress' && audit.plannedEnd < today,
        started: audit.status !== 'planned',
        total,
        answered,
        findings,
        findingsHref: findings > 0 && boardOpen ? auditFindingsPath(audit.id) : null,
      })),
      pager: pagerFor(result, '/audits', {
        fiscalYear: query.fiscalYear,
        kind: query.kind,
        status: query.status,
      }),
    };
  }

  /** The years in the filter: those that have audits, and the current one with its neighbours. */
  private async fiscalYears(actor: Actor, current: number): Promise<number[]> {
    const rows = (await this.uow.manager.query(`SELECT DISTINCT fiscal_year AS y FROM audits WHERE organization_id = $1`, [actor.organizationId])) as {
      y: number;
    }[];
    return [...new Set([current - 1, current, current + 1, ...rows.map((r) => r.y)])];
  }

  // ------------------------------------------------------------------ the plan form

  async newAudit(actor: Actor, formErrors?: FormErrors, today = tokyoToday()): Promise<object> {
    const values = formValues(null, sent(formErrors, PLAN_FORM), today);
    return {
      title: 'auditPlan.new.title',
      action: '/audits',
      fixed: false,
      form: await this.formData(actor, values, null, fiscalYearOf(today)),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async editAudit(actor: Actor, id: string, formErrors?: FormErrors, today = tokyoToday()): Promise<object> {
    const audit = await this.audits.get(actor, id);
    if (audit.status !== 'planned')
      throw new AppException('AUDIT_TRANSITION_NOT_ALLOWED', `The audit is ${audit.status}; only a planned audit's plan is changed`, undefined, {
        from: audit.status,
        to: 'planned',
        allowedTransitions: [],
      });
    const values = formValues(audit, sent(formErrors, PLAN_FORM), today);
    return {
      title: 'auditPlan.edit.title',
      titleDetail: { ja: audit.reference, en: audit.reference },
      action: `${auditPath(audit.id)}/edit`,
      back: auditPath(audit.id),
      audit: { id: audit.id, reference: audit.reference, title: audit.title, fiscalYear: audit.fiscalYear, kind: audit.kind },
      fixed: true,
      form: await this.formData(actor, values, audit, fiscalYearOf(today)),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async create(actor: Actor, form: AuditPlanForm): Promise<Audit> {
    const missing = (['fiscalYear', 'kind'] as const).filter((field) => form[field] === undefined);
    if (missing.length)
      throw new AppException(
        'VALIDATION_FAILED',
        `${missing.join(', ')} must be given`,
        missing.map((field) => ({ field, messages: [`${field} must be given`] })),
      );
    const dto: PlanAuditDto = {
      fiscalYear: form.fiscalYear!,
      kind: form.kind!,
      title: form.title,
      scope: await this.scopeOf(actor, form),
      leadAuditorId: form.leadAuditorId,
      auditorIds: form.auditorIds,
      plannedStart: form.plannedStart,
      plannedEnd: form.plannedEnd,
    };
    return this.audits.plan(actor, dto);
  }

  async update(actor: Actor, id: string, form: AuditPlanForm): Promise<Audit> {
    const dto: UpdateAuditDto = {
      title: form.title,
      scope: await this.scopeOf(actor, form),
      leadAuditorId: form.leadAuditorId,
      auditorIds: form.auditorIds,
      plannedStart: form.plannedStart,
      plannedEnd: form.plannedEnd,
    };
    return this.audits.update(actor, id, dto);
  }

  /** The plan's scope; 「すべて選択」 is every open department. */
  private async scopeOf(actor: Actor, form: AuditPlanForm): Promise<AuditScope> {
    const departmentIds = form.allDepartments === '1' ? (await this.departmentChoices(actor, [])).map((d) => d.id) : form.departmentIds;
    return {
      ...(form.chapters.length ? { chapters: form.chapters } : {}),
      ...(form.essentialOnly === '1' ? { essentialOnly: true } : {}),
      departmentIds,
    };
  }

  private async formData(actor: Actor, values: ReturnType<typeof formValues>, audit: Audit | null, current: number) {
    const [departments, auditors] = await Promise.all([this.departmentChoices(actor, audit?.departmentIds ?? []), this.auditorChoices(actor)]);
    const years = [...new Set([current - 1, current, current + 1, Number(values.fiscalYear)].filter((y) => Number.isInteger(y) && y >= 2000))].sort();
    const chapters = new Set(values.chapters);
    const scoped = new Set(values.departmentIds);
    const team = new Set(values.auditorIds);
    return {
      values,
      fiscalYears: years.map((value) => ({ value, selected: String(value) === values.fiscalYear })),
      kinds: AUDIT_KINDS.map((value) => ({ value, checked: value === values.kind })),
      chapters: CHAPTERS.map((value) => ({ value, checked: chapters.has(String(value)) })),
      departments: departments.map((d) => ({ ...d, checked: values.allDepartments || scoped.has(d.id) })),
      allDepartments: values.allDepartments,
      leads: auditors.map((a) => ({ ...a, selected: a.id === values.leadAuditorId })),
      team: auditors.map((a) => ({ ...a, checked: team.has(a.id) })),
    };
  }

  /** The departments that may be in scope: the open ones, and those already in the plan. */
  private async departmentChoices(actor: Actor, inPlan: readonly string[]): Promise<DepartmentChoice[]> {
    return (await this.uow.manager.query(
      `SELECT id, code, name, name_en AS "nameEn" FROM departments
        WHERE organization_id = $1 AND (closed_on IS NULL OR id = ANY($2::uuid[]))
        ORDER BY code`,
      [actor.organizationId, inPlan],
    )) as DepartmentChoice[];
  }

  /** Who may lead or join an audit: active staff with the auditor or security officer role, with their department. */
  async auditorChoices(actor: Actor): Promise<AuditorChoice[]> {
    const rows = (await this.uow.manager.query(
      `SELECT s.id, s.family_name || ' ' || s.given_name AS name, s.department_id, d.name AS department_name, s.roles::text[] AS roles
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.organization_id = $1 AND s.status = 'active' AND s.roles::text[] && $2::text[]
        ORDER BY s.family_name_kana NULLS LAST, s.employee_number`,
      [actor.organizationId, AUDITOR_ROLES],
    )) as { id: string; name: string; department_id: string | null; department_name: string | null; roles: string[] }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      departmentId: r.department_id,
      departmentName: r.department_name,
      roles: r.roles.filter((role) => AUDITOR_ROLES.includes(role)),
    }));
  }

  // ------------------------------------------------------------------ an audit's page

  async audit(actor: Actor, id: string, formErrors?: FormErrors, today = tokyoToday()): Promise<object> {
    const audit = await this.audits.get(actor, id);
    const own = this.audits.onlyDepartment(actor, audit);
    const [progress, names, departments, findings] = await Promise.all([
      this.audits.progress(actor, id),
      this.names(actor, [audit.leadAuditorId, ...audit.auditorIds, audit.acceptedById]),
      this.departmentNames(actor, audit.departmentIds),
      this.findingCount(actor, audit.id, own),
    ]);
    const canStart = audit.status === 'planned' && may(actor, AUDITS.start, audit);
    const canReport = audit.status === 'in_progress' && may(actor, AUDITS.report, audit);
    const href = auditPath(audit.id);
    const reportSent = sent(formErrors, REPORT_FORM);
    // a self-inspection goes to reporting once every department's manager has signed off (AUDIT_SIGN_OFFS_MISSING)
    const unsigned =
      audit.kind === 'self_inspection' ? progress.departments.filter((d) => d.total > 0 && d.signedOffAt === null).map((d) => d.departmentName) : [];
    return {
      title: 'auditPlan.audit.title',
      titleDetail: { ja: `${audit.reference} ${audit.title}`, en: `${audit.reference} ${audit.title}` },
      audit: {
        id: audit.id,
        href,
        reference: audit.reference,
        fiscalYear: audit.fiscalYear,
        kind: audit.kind,
        title: audit.title,
        status: audit.status,
        plannedStart: audit.plannedStart,
        plannedEnd: audit.plannedEnd,
        overdue: audit.status === 'in_progress' && audit.plannedEnd < today,
        startedAt: audit.startedAt,
        reportedAt: audit.reportedAt,
        acceptedAt: audit.acceptedAt,
        acceptedBy: audit.acceptedById ? (names.get(audit.acceptedById) ?? null) : null,
        acceptanceNote: audit.acceptanceNote,
        summary: audit.summary,
        lead: names.get(audit.leadAuditorId) ?? null,
        team: audit.auditorIds.map((staffId) => names.get(staffId)).filter((name): name is string => !!name),
        scope: {
          chapters: audit.scope.chapters ?? [],
          essentialOnly: audit.scope.essentialOnly === true,
          controls: audit.scope.controlIds?.length ?? 0,
          departments: audit.departmentIds.map((d) => departments.get(d)).filter((d): d is DepartmentChoice => !!d),
        },
      },
      selfInspection: audit.kind === 'self_inspection',
      started: audit.status !== 'planned',
      ownDepartmentOnly: own !== null,
      progress: {
        total: progress.total,
        answered: progress.answered,
        open: progress.total - progress.answered,
        rate: progress.total ? progress.answered / progress.total : null,
        byResult: progress.byResult,
        nonconformities: progress.byResult.minor_nonconformity + progress.byResult.major_nonconformity,
        departments: progress.departments.map((d) => ({
          ...d,
          open: d.total - d.answered,
          done: d.total > 0 && d.answered === d.total,
          checklistHref: `${href}/checklist?departmentId=${d.departmentId}`,
        })),
      },
      findings: { count: findings, href: findings > 0 && may(actor, FINDINGS.read) ? auditFindingsPath(audit.id) : null },
      /** the departments whose manager has not signed off yet, as the message names them (empty: none) */
      unsignedDepartments: unsigned.join('、'),
      checklistHref: `${href}/checklist`,
      unansweredHref: `${href}/checklist?result=unanswered`,
      reportHref: `${href}/report`,
      showReport: audit.status === 'reporting' || audit.status === 'closed',
      canEdit: audit.status === 'planned' && may(actor, AUDITS.plan),
      canStart,
      startEstimate: canStart ? await this.checklistSize(actor, audit) : null,
      canReport,
      reportValues: { summary: reportSent ? text(reportSent.summary) : audit.summary },
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /** How many findings the audit raised (a manager held to their department: that department's). */
  private async findingCount(actor: Actor, auditId: string, departmentId: string | null): Promise<number> {
    const rows = (await this.uow.manager.query(
      `SELECT count(*)::int AS n FROM findings
        WHERE organization_id = $1 AND source = 'audit' AND source_id = $2 AND ($3::uuid IS NULL OR owner_department_id = $3)`,
      [actor.organizationId, auditId, departmentId],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** How many checklist items starting the audit will make: controls in scope (in force) × departments in scope. */
  private async checklistSize(actor: Actor, audit: Audit): Promise<{ controls: number; departments: number; items: number }> {
    const controls = await this.audits.controlsInScope(this.uow.manager, actor.organizationId, audit.scope);
    const departments = audit.departmentIds.length;
    return { controls, departments, items: controls * departments };
  }

  /** The names of people, by id. */
  private async names(actor: Actor, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(
      `SELECT id, family_name || ' ' || given_name AS name FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [actor.organizationId, wanted],
    )) as { id: string; name: string }[];
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private async departmentNames(actor: Actor, ids: readonly string[]): Promise<Map<string, DepartmentChoice>> {
    if (!ids.length) return new Map();
    const rows = (await this.uow.manager.query(
      `SELECT id, code, name, name_en AS "nameEn" FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY code`,
      [actor.organizationId, ids],
    )) as DepartmentChoice[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The department names of people (for the own-department message of a refused plan). */
  async departmentOf(actor: Actor, ids: readonly string[]): Promise<Map<string, { name: string; departmentName: string | null }>> {
    const wanted = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!wanted.length) return new Map();
    const rows = (await this.uow.manager.query(
      `SELECT s.id, s.family_name || ' ' || s.given_name AS name, d.name AS department_name
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.organization_id = $1 AND s.id = ANY($2::uuid[])`,
      [actor.organizationId, wanted],
    )) as { id: string; name: string; department_name: string | null }[];
    return new Map(rows.map((r) => [r.id, { name: r.name, departmentName: r.department_name }]));
  }
}
