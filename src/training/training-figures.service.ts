import { Injectable } from '@nestjs/common';
import { accessScope } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { addDays, tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { assertMay } from '../common/permissions.js';
import { ROLES, type Role } from '../common/roles.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../staff/employment.js';
import { COURSE_KINDS, type CourseKind } from './course.entity.js';
import { fiscalYearDays } from './courses.service.js';
import type { ExemptionKind } from './enrolment.entity.js';
import type {
  CompletionCountsView,
  CompletionGroup,
  CompletionQuery,
  CompletionRowView,
  CompletionView,
  NotCompletedPageView,
  NotCompletedQuery,
  NotCompletedRowView,
} from './dto/figures.dto.js';
import { TRAINING, TRAINING_SCOPE } from './training.permissions.js';

/** Targeted-mail drills have figures of their own (report and click rates): completion leaves them out unless asked. */
export const DEFAULT_FIGURE_KINDS: readonly CourseKind[] = COURSE_KINDS.filter((kind) => kind !== 'targeted_mail_drill');

/**
 * The day the figures of a fiscal year are taken at when none is asked: today (Asia/Tokyo), or the
 * year's last day (31 March) once the year is over.
 */
export function defaultAsOf(fiscalYear: number, today: string = tokyoToday()): string {
  const { last } = fiscalYearDays(fiscalYear);
  return today > last ? last : today;
}

/** The first moment after a day in Asia/Tokyo: whatever happened before it had happened by the end of that day. */
export function endOfDayBound(day: string): Date {
  return new Date(`${addDays(day, 1)}T00:00:00+09:00`);
}

/** completed ÷ (enrolled − exempt) to 4 decimals; null when nobody is owed. */
export function completionRate(counts: { enrolled: number; exempt: number; completed: number }): number | null {
  const owed = counts.enrolled - counts.exempt;
  return owed > 0 ? Math.round((counts.completed / owed) * 10_000) / 10_000 : null;
}

interface CountsRow {
  key: string | number | null;
  enrolled: number;
  exempt: number;
  completed: number;
  late: number;
}

/**
 * The four counts of the enrolments `e` as at `bound` (the first moment after the day asked), one
 * pass over the rows the figures index holds:
 * - enrolled: enrolled before the bound, and not withdrawn by then without having completed;
 * - exempt: of those, exempt by then and not completed by then;
 * - completed: completed by then (a completion is always of someone enrolled);
 * - late: of those, after their due day.
 */
function countsSql(e: string, bound: string): string {
  return `count(*) FILTER (WHERE ${e}.withdrawn_at IS NULL OR ${e}.withdrawn_at >= ${bound} OR ${e}.completed_at < ${bound})::int AS enrolled,
          count(*) FILTER (WHERE ${e}.exempt_at < ${bound} AND (${e}.completed_at IS NULL OR ${e}.completed_at >= ${bound})
                             AND (${e}.withdrawn_at IS NULL OR ${e}.withdrawn_at >= ${bound}))::int AS exempt,
          count(*) FILTER (WHERE ${e}.completed_at < ${bound})::int AS completed,
          count(*) FILTER (WHERE ${e}.completed_at < ${bound} AND ${e}.completed_late)::int AS late`;
}

/** A query's parameters, numbered as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What the figures read: one organisation's fiscal year as at a day, the courses counted, whose department. */
interface Selection {
  fiscalYear: number;
  asOf: string;
  courseId: string | null;
  kinds: readonly CourseKind[];
  scope: 'all' | 'department';
  departmentId: string | null;
}

/**
 * Training completion figures (研修の受講状況) and the not-completed list, each one SQL statement over
 * the enrolments, as of any day: completion = completed ÷ (enrolled − exempt) by department (the
 * one credited: a mover's completed enrolment stays where it was done), course, role, employment type
 * or the whole fiscal year. The security office and the CISO see every department; a manager their own.
 */
@Injectable()
export class TrainingFiguresService {
  constructor(private readonly uow: UnitOfWork) {}

  /** The completion figures of a fiscal year as of a day, grouped, with the total. */
  async completion(actor: Actor, query: CompletionQuery): Promise<CompletionView> {
    assertMay(actor, TRAINING.read_figures);
    const selection = this.selection(actor, query);
    const groupBy: CompletionGroup = query.groupBy ?? 'department';
    const params = new Params();
    const where = this.enrolmentConditions('e', selection, params, actor.organizationId);
    const bound = params.add(endOfDayBound(selection.asOf).toISOString());
    const counts = countsSql('e', `${bound}::timestamptz`);
    const enrolledBefore = `e.enrolled_at < ${bound}::timestamptz`;
    const manager = this.uow.manager;
    let rows: CountsRow[];
    let items: CompletionRowView[];
    let totals: CompletionCountsView;
    switch (groupBy) {
      case 'department': {
        const found = (await manager.query(
          `WITH figures AS (
             SELECT e.department_id AS key, ${counts}
               FROM enrolments e
              WHERE ${where} AND ${enrolledBefore}
              GROUP BY e.department_id)
           SELECT f.*, d.code, d.name, d.name_en
             FROM figures f LEFT JOIN departments d ON d.id = f.key
            WHERE f.enrolled > 0
            ORDER BY d.code NULLS LAST, d.name`,
          params.values,
        )) as (CountsRow & { code: string | null; name: string | null; name_en: string | null })[];
        rows = found;
        items = found.map((row) => ({
          departmentId: row.key as string | null,
          departmentCode: row.code,
          departmentName: row.name,
          departmentNameEn: row.name_en,
          ...countsOf(row),
        }));
        totals = sumOf(rows);
        break;
      }
      case 'course': {
        const found = (await manager.query(
          `WITH figures AS (
             SELECT e.course_id AS key, ${counts}
               FROM enrolments e
              WHERE ${where} AND ${enrolledBefore}
              GROUP BY e.course_id)
           SELECT f.*, c.title, c.title_en, c.kind, c.due_on::text AS due_on
             FROM figures f JOIN courses c ON c.id = f.key
            WHERE f.enrolled > 0
            ORDER BY c.due_on, c.title, c.id`,
          params.values,
        )) as (CountsRow & { title: string; title_en: string | null; kind: CourseKind; due_on: string })[];
        rows = found;
        items = found.map((row) => ({
          courseId: row.key as string,
          courseTitle: row.title,
          courseTitleEn: row.title_en,
          courseKind: row.kind,
          dueDate: row.due_on,
          ...countsOf(row),
        }));
        totals = sumOf(rows);
        break;
      }
      case 'employment_type': {
        rows = (await manager.query(
          `SELECT s.employment_type AS key, ${counts}
             FROM enrolments e JOIN staff s ON s.id = e.staff_id
            WHERE ${where} AND ${enrolledBefore}
            GROUP BY s.employment_type`,
          params.values,
        )) as CountsRow[];
        const order = (key: unknown) => EMPLOYMENT_TYPES.indexOf(key as EmploymentType);
        items = rows
          .filter((row) => row.enrolled > 0)
          .sort((a, b) => order(a.key) - order(b.key))
          .map((row) => ({ employmentType: row.key as EmploymentType, ...countsOf(row) }));
        totals = sumOf(rows);
        break;
      }
      case 'role': {
        // a person counts under each role they hold; the total counts each enrolment once
        const found = (await manager.query(
          `WITH counted AS (
             SELECT e.staff_id, e.completed_at, e.completed_late, e.exempt_at, e.withdrawn_at
               FROM enrolments e
              WHERE ${where} AND ${enrolledBefore})
           SELECT false AS is_total, r.role AS key, ${countsSql('x', `${bound}::timestamptz`)}
             FROM counted x JOIN staff s ON s.id = x.staff_id CROSS JOIN LATERAL unnest(s.roles) AS r(role)
            GROUP BY r.role
           UNION ALL
           SELECT true, NULL, ${countsSql('x', `${bound}::timestamptz`)} FROM counted x`,
          params.values,
        )) as (CountsRow & { is_total: boolean })[];
        rows = found.filter((row) => !row.is_total);
        const order = (key: unknown) => ROLES.indexOf(key as Role);
        items = rows
          .filter((row) => row.enrolled > 0)
          .sort((a, b) => order(a.key) - order(b.key))
          .map((row) => ({ role: row.key as Role, ...countsOf(row) }));
        totals = countsOf(found.find((row) => row.is_total) ?? { key: null, enrolled: 0, exempt: 0, completed: 0, late: 0 });
        break;
      }
      case 'fiscal_year': {
        rows = (await manager.query(`SELECT ${counts} FROM enrolments e WHERE ${where} AND ${enrolledBefore}`, params.values)) as CountsRow[];
        totals = sumOf(rows);
        items = [{ fiscalYear: selection.fiscalYear, ...totals }];
        break;
      }
    }
    return {
      fiscalYear: selection.fiscalYear,
      asOf: selection.asOf,
      groupBy,
      courseId: selection.courseId,
      kinds: [...selection.kinds],
      scope: selection.scope,
      items,
      total: items.length,
      totals,
    };
  }

  /**
   * The enrolments not completed as of the day (state `open`: still owed; `exempt`: exempt, listed
   * apart), by department, person and due day; `pageSize: null` for all (the exports).
   */
  async notCompleted(actor: Actor, query: Omit<NotCompletedQuery, 'pageSize'> & { pageSize: number | null }): Promise<NotCompletedPageView> {
    assertMay(actor, TRAINING.read_figures);
    const selection = this.selection(actor, query);
    const state = query.state ?? 'open';
    const params = new Params();
    const where = this.enrolmentConditions('e', selection, params, actor.organizationId);
    const bound = `${params.add(endOfDayBound(selection.asOf).toISOString())}::timestamptz`;
    const asOfDay = `${params.add(selection.asOf)}::date`;
    const conditions = [
      where,
      `e.enrolled_at < ${bound}`,
      `(e.withdrawn_at IS NULL OR e.withdrawn_at >= ${bound})`,
      `(e.completed_at IS NULL OR e.completed_at >= ${bound})`,
      state === 'exempt' ? `e.exempt_at < ${bound}` : `(e.exempt_at IS NULL OR e.exempt_at >= ${bound})`,
    ];
    if (query.departmentId) conditions.push(`e.department_id = ${params.add(query.departmentId)}::uuid`);
    const page = query.page ?? 1;
    const limit = params.add(query.pageSize);
    const offset = params.add(query.pageSize === null ? 0 : (page - 1) * query.pageSize);
    const rows = (await this.uow.manager.query(
      `WITH matched AS (
         SELECT e.id, e.staff_id, s.employee_number, s.family_name, s.given_name, s.family_name_kana, s.given_name_kana,
                e.department_id, d.code AS department_code, d.name AS department_name, d.name_en AS department_name_en,
                e.course_id, c.title, c.title_en, c.kind, e.due_on::text AS due_on, e.due_on AS due_day,
                GREATEST(${asOfDay} - e.due_on, 0) AS overdue_days,
                e.exempt_at, e.exemption_kind, e.exemption_reason
           FROM enrolments e
           JOIN staff s ON s.id = e.staff_id
           JOIN courses c ON c.id = e.course_id
           LEFT JOIN departments d ON d.id = e.department_id
          WHERE ${conditions.join(' AND ')})
       SELECT t.total, m.*
         FROM (SELECT count(*)::int AS total FROM matched) t
         LEFT JOIN LATERAL (
           SELECT * FROM matched
            ORDER BY department_code NULLS LAST, employee_number, due_day, title, id
            LIMIT ${limit}::int OFFSET ${offset}::int) m ON true`,
      params.values,
    )) as NotCompletedSqlRow[];
    const office = selection.scope === 'all';
    return {
      items: rows.filter((row) => row.id !== null).map((row) => notCompletedView(row, office)),
      total: rows[0]?.total ?? 0,
      page,
      pageSize: query.pageSize ?? Math.max(1, rows[0]?.total ?? 1),
      fiscalYear: selection.fiscalYear,
      asOf: selection.asOf,
      state,
    };
  }

  /** The fiscal years that have published courses, newest first, and the current one. */
  async fiscalYears(actor: Actor): Promise<number[]> {
    assertMay(actor, TRAINING.read_figures);
    const rows = (await this.uow.manager.query(
      `SELECT DISTINCT fiscal_year FROM courses WHERE organization_id = $1 AND status <> 'draft' ORDER BY fiscal_year DESC`,
      [actor.organizationId],
    )) as { fiscal_year: number }[];
    const years = new Set([fiscalYearOf(tokyoToday()), ...rows.map((row) => row.fiscal_year)]);
    return [...years].sort((a, b) => b - a);
  }

  /** The published courses of a fiscal year (for the figures' course filter), by due day. */
  async courses(actor: Actor, fiscalYear: number): Promise<{ id: string; title: string; titleEn: string | null; kind: CourseKind; dueOn: string }[]> {
    assertMay(actor, TRAINING.read_figures);
    const rows = (await this.uow.manager.query(
      `SELECT id, title, title_en, kind, due_on::text AS due_on FROM courses
        WHERE organization_id = $1 AND fiscal_year = $2 AND status <> 'draft' ORDER BY due_on, title, id`,
      [actor.organizationId, fiscalYear],
    )) as { id: string; title: string; title_en: string | null; kind: CourseKind; due_on: string }[];
    return rows.map((row) => ({ id: row.id, title: row.title, titleEn: row.title_en, kind: row.kind, dueOn: row.due_on }));
  }

  /** The departments a reader may choose in the figures: every one for the security office and the CISO (open ones first), a manager's own. */
  async departments(actor: Actor): Promise<{ id: string; code: string; name: string; nameEn: string | null }[]> {
    assertMay(actor, TRAINING.read_figures);
    const scope = accessScope(actor, TRAINING_SCOPE);
    if (scope.kind !== 'all' && !actor.departmentId) return [];
    const rows = (await this.uow.manager.query(
      `SELECT id, code, name, name_en FROM departments
        WHERE organization_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)
        ORDER BY closed_on IS NOT NULL, code`,
      [actor.organizationId, scope.kind === 'all' ? null : actor.departmentId],
    )) as { id: string; code: string; name: string; name_en: string | null }[];
    return rows.map((row) => ({ id: row.id, code: row.code, name: row.name, nameEn: row.name_en }));
  }

  /**
   * The open enrolments of published courses of the reader's scope (everyone's for the security
   * office and the CISO, their department's for a manager), and how many are past their due day:
   * the work queue's count. One query.
   */
  async openCounts(actor: Actor, today: string): Promise<{ open: number; overdue: number }> {
    assertMay(actor, TRAINING.read_figures);
    const scope = accessScope(actor, TRAINING_SCOPE);
    if (scope.kind !== 'all' && !actor.departmentId) return { open: 0, overdue: 0 };
    const [row] = (await this.uow.manager.query(
      `SELECT count(*)::int AS open, count(*) FILTER (WHERE e.due_on < $3::date)::int AS overdue
         FROM enrolments e JOIN courses c ON c.id = e.course_id JOIN staff s ON s.id = e.staff_id
        WHERE e.organization_id = $1 AND ($2::uuid IS NULL OR e.department_id = $2::uuid)
          AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
          AND c.status = 'published' AND s.status = 'active'`,
      [actor.organizationId, scope.kind === 'all' ? null : actor.departmentId, today],
    )) as { open: number; overdue: number }[];
    return row!;
  }

  /** What a reader's query selects: the day, the kinds of course, their scope. */
  private selection(actor: Actor, query: { fiscalYear: number; asOf?: string; courseId?: string; kind?: CourseKind }): Selection {
    const scope = accessScope(actor, TRAINING_SCOPE);
    return {
      fiscalYear: query.fiscalYear,
      asOf: query.asOf ?? defaultAsOf(query.fiscalYear),
      courseId: query.courseId ?? null,
      // one kind when asked; every kind for one course; else all but the drills
      kinds: query.kind ? [query.kind] : query.courseId ? COURSE_KINDS : DEFAULT_FIGURE_KINDS,
      scope: scope.kind === 'all' ? 'all' : 'department',
      departmentId: scope.kind === 'all' ? null : scope.kind === 'department' ? scope.departmentId : null,
    };
  }

  /**
   * The enrolments of the organisation's fiscal year, of the courses counted (one ANY over the
   * year's course ids: the figures index answers it on its own) and, for a manager, of their
   * department (none when they have none).
   */
  private enrolmentConditions(e: string, selection: Selection, params: Params, organizationId: string): string {
    const org = params.add(organizationId);
    const year = params.add(selection.fiscalYear);
    const courseConditions = [`c.organization_id = ${org}::uuid`, `c.fiscal_year = ${year}::int`];
    if (selection.courseId) courseConditions.push(`c.id = ${params.add(selection.courseId)}::uuid`);
    if (selection.kinds.length < COURSE_KINDS.length) courseConditions.push(`c.kind = ANY(${params.add(selection.kinds)}::text[])`);
    const conditions = [
      `${e}.organization_id = ${org}::uuid`,
      `${e}.fiscal_year = ${year}::int`,
      `${e}.course_id = ANY(ARRAY(SELECT c.id FROM courses c WHERE ${courseConditions.join(' AND ')}))`,
    ];
    if (selection.scope === 'department') conditions.push(`${e}.department_id = ${params.add(selection.departmentId)}::uuid`);
    return conditions.join(' AND ');
  }
}

interface NotCompletedSqlRow {
  total: number;
  id: string | null;
  staff_id: string;
  employee_number: string;
  family_name: string;
  given_name: string;
  family_name_kana: string | null;
  given_name_kana: string | null;
  department_id: string | null;
  department_code: string | null;
  department_name: string | null;
  department_name_en: string | null;
  course_id: string;
  title: string;
  title_en: string | null;
  kind: CourseKind;
  due_on: string;
  overdue_days: number;
  exempt_at: Date | null;
  exemption_kind: ExemptionKind | null;
  exemption_reason: string | null;
}

function notCompletedView(row: NotCompletedSqlRow, office: boolean): NotCompletedRowView {
  return {
    enrolmentId: row.id!,
    staffId: row.staff_id,
    employeeNumber: row.employee_number,
    name: `${row.family_name} ${row.given_name}`,
    nameKana: row.family_name_kana && row.given_name_kana ? `${row.family_name_kana} ${row.given_name_kana}` : null,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    departmentName: row.department_name,
    departmentNameEn: row.department_name_en,
    courseId: row.course_id,
    courseTitle: row.title,
    courseTitleEn: row.title_en,
    courseKind: row.kind,
    dueDate: row.due_on,
    overdueDays: Number(row.overdue_days),
    exemptAt: row.exempt_at ? new Date(row.exempt_at).toISOString() : null,
    exemptionKind: row.exemption_kind,
    // the reason may speak of someone's health or family: the security office and the CISO read it
    ...(office ? { exemptionReason: row.exemption_reason } : {}),
  };
}

function countsOf(row: CountsRow): CompletionCountsView {
  const counts = { enrolled: row.enrolled, exempt: row.exempt, completed: row.completed, late: row.late };
  return { ...counts, rate: completionRate(counts) };
}

/** The total of rows that each count an enrolment once. */
function sumOf(rows: readonly CountsRow[]): CompletionCountsView {
  const sum = rows.reduce(
    (total, row) => ({
      key: null,
      enrolled: total.enrolled + row.enrolled,
      exempt: total.exempt + row.exempt,
      completed: total.completed + row.completed,
      late: total.late + row.late,
    }),
    { key: null, enrolled: 0, exempt: 0, completed: 0, late: 0 } as CountsRow,
  );
  return countsOf(sum);
}
