import { Injectable } from '@nestjs/common';
import { Not, type EntityManager } from 'typeorm';
import { accessScope, scopeConditions } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page, type PageQuery } from '../common/pagination.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Course } from './course.entity.js';
import { TRAINING, TRAINING_SCOPE } from './training.permissions.js';

/** One person's result as the list shows it. */
export interface DrillResultItem {
  staffId: string;
  employeeNumber: string;
  familyName: string;
  givenName: string;
  email: string;
  departmentId: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  sent: boolean;
  opened: boolean;
  clicked: boolean;
  submittedData: boolean;
  reported: boolean;
  /** enrolled in the drill's follow-up course (by this import or otherwise) */
  followUpEnrolled: boolean;
  followUpCompleted: boolean;
  updatedAt: Date;
}

export interface DrillResultsFilter extends PageQuery {
  clicked?: boolean;
  reported?: boolean;
  departmentId?: string;
}

/** The figures of one department (or of everyone, `departmentId` null in the total). */
export interface DrillFigureRow {
  departmentId: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  /** mails that reached someone (a person counts once per drill) */
  recipients: number;
  opened: number;
  clicked: number;
  submitted: number;
  reported: number;
  /** reported ÷ recipients (4 decimals; null without recipients) */
  reportRate: number | null;
  /** clicked ÷ recipients */
  clickRate: number | null;
}

export interface DrillFigures {
  fiscalYear: number;
  courseId: string | null;
  /** drills counted */
  drills: number;
  departments: DrillFigureRow[];
  total: DrillFigureRow;
}

interface FigureSqlRow {
  is_total: number;
  department_id: string | null;
  code: string | null;
  name: string | null;
  name_en: string | null;
  drills: number;
  recipients: number;
  opened: number;
  clicked: number;
  submitted: number;
  reported: number;
}

const rate = (part: number, whole: number): number | null => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** The course, which must be a targeted-mail drill of the organisation (404, also a draft for whoever does not manage courses; 409 DRILL_NOT_MAIL_DRILL); locked for an import. */
export async function drillCourse(manager: EntityManager, actor: Actor, id: string, lock: boolean): Promise<Course> {
  const course = await manager
    .getRepository(Course)
    .findOne({ where: { id, organizationId: actor.organizationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!course || (course.status === 'draft' && !may(actor, TRAINING.manage_courses))) throw new AppException('COURSE_NOT_FOUND');
  if (course.kind !== 'targeted_mail_drill') throw new AppException('DRILL_NOT_MAIL_DRILL', `The course is a ${course.kind} course, not a targeted-mail drill`);
  return course;
}

/**
 * What the targeted-mail drills show: the results per person, the report and click rates by
 * department (one query, for the indicators too), the drills themselves. A manager reads their own
 * department; a planned drill (a draft) only the security office. The import is MailDrillsService's.
 */
@Injectable()
export class MailDrillResultsService {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * The results of a drill, one row per person, by department code then employee number: the whole
   * organisation for the security office and the CISO, their own department for a manager.
   */
  async results(actor: Actor, courseId: string, query: DrillResultsFilter): Promise<Page<DrillResultItem> & { course: Course }> {
    assertMay(actor, TRAINING.read_figures);
    const course = await drillCourse(this.uow.manager, actor, courseId, false);
    const where = scopeConditions(actor, accessScope(actor, TRAINING_SCOPE), {
      organization: 'm.organization_id',
      department: 'm.department_id',
      owner: 'm.staff_id',
    }).add('m.course_id = ?', course.id);
    if (query.clicked !== undefined) where.add('m.clicked = ?', query.clicked);
    if (query.reported !== undefined) where.add('m.reported = ?', query.reported);
    if (query.departmentId) where.add('m.department_id = ?', query.departmentId);
    const { skip, take } = skipTake(query);
    const n = where.next();
    const rows = (await this.uow.manager.query(
      `SELECT m.staff_id, s.employee_number, s.family_name, s.given_name, s.email, m.department_id,
              d.code AS department_code, d.name AS department_name, d.name_en AS department_name_en,
              m.sent, m.opened, m.clicked, m.submitted_data, m.reported, m.updated_at,
              (f.id IS NOT NULL) AS follow_up_enrolled, (f.completed_at IS NOT NULL) AS follow_up_completed,
              count(*) OVER () AS total
         FROM mail_drill_results m
         JOIN staff s ON s.id = m.staff_id
         LEFT JOIN departments d ON d.id = m.department_id
         LEFT JOIN enrolments f ON f.course_id = $${n} AND f.staff_id = m.staff_id
        WHERE ${where.sql()}
        ORDER BY d.code NULLS LAST, s.employee_number
        LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...where.values, course.followUpCourseId, take, skip],
    )) as {
      staff_id: string;
      employee_number: string;
      family_name: string;
      given_name: string;
      email: string;
      department_id: string | null;
      department_code: string | null;
      department_name: string | null;
      department_name_en: string | null;
      sent: boolean;
      opened: boolean;
      clicked: boolean;
      submitted_data: boolean;
      reported: boolean;
      updated_at: Date;
      follow_up_enrolled: boolean;
      follow_up_completed: boolean;
      total: string;
    }[];
    let total = rows.length ? Number(rows[0]!.total) : 0;
    if (!rows.length && skip > 0) {
      const [counted] = (await this.uow.manager.query(`SELECT count(*)::int AS n FROM mail_drill_results m WHERE ${where.sql()}`, where.values)) as {
        n: number;
      }[];
      total = counted!.n;
    }
    return {
      ...pageOf(
        rows.map((row) => ({
          staffId: row.staff_id,
          employeeNumber: row.employee_number,
          familyName: row.family_name,
          givenName: row.given_name,
          email: row.email,
          departmentId: row.department_id,
          departmentCode: row.department_code,
          departmentName: row.department_name,
          departmentNameEn: row.department_name_en,
          sent: row.sent,
          opened: row.opened,
          clicked: row.clicked,
          submittedData: row.submitted_data,
          reported: row.reported,
          followUpEnrolled: row.follow_up_enrolled,
          followUpCompleted: row.follow_up_completed,
          updatedAt: row.updated_at,
        })),
        total,
        query,
      ),
      course,
    };
  }

  /**
   * The drill figures of a fiscal year (or of one drill) by department, with the total, in one
   * query: recipients (mails that reached someone), opened, clicked, submitted, reported, and the
   * report and click rates over the recipients. A person counts once per drill, credited to the
   * department they were in at the import. The security office and the CISO see every department;
   * a manager their own (and the total is theirs).
   */
  async drillFigures(actor: Actor, options: { fiscalYear?: number; courseId?: string } = {}): Promise<DrillFigures> {
    assertMay(actor, TRAINING.read_figures);
    const fiscalYear = options.fiscalYear ?? fiscalYearOf(tokyoToday());
    const whole = accessScope(actor, TRAINING_SCOPE).kind === 'all';
    if (options.courseId) await drillCourse(this.uow.manager, actor, options.courseId, false);
    const rows = (await this.uow.manager.query(
      `SELECT GROUPING(m.department_id)::int AS is_total, m.department_id, d.code, d.name, d.name_en,
              count(DISTINCT m.course_id)::int AS drills,
              count(*) FILTER (WHERE m.sent)::int AS recipients,
              count(*) FILTER (WHERE m.opened)::int AS opened,
              count(*) FILTER (WHERE m.clicked)::int AS clicked,
              count(*) FILTER (WHERE m.submitted_data)::int AS submitted,
              count(*) FILTER (WHERE m.reported)::int AS reported
         FROM mail_drill_results m
         JOIN courses c ON c.id = m.course_id
         LEFT JOIN departments d ON d.id = m.department_id
        WHERE m.organization_id = $1 AND c.organization_id = $1 AND c.kind = 'targeted_mail_drill' AND c.fiscal_year = $2
          AND ($3::uuid IS NULL OR m.course_id = $3::uuid)
          AND ($4::boolean OR m.department_id = $5::uuid)
        GROUP BY GROUPING SETS ((m.department_id, d.code, d.name, d.name_en), ())
        ORDER BY is_total, d.code NULLS LAST`,
      [actor.organizationId, fiscalYear, options.courseId ?? null, whole, whole ? null : actor.departmentId],
    )) as FigureSqlRow[];
    const figure = (row: FigureSqlRow | undefined): DrillFigureRow => ({
      departmentId: row && !row.is_total ? row.department_id : null,
      departmentCode: row && !row.is_total ? row.code : null,
      departmentName: row && !row.is_total ? row.name : null,
      departmentNameEn: row && !row.is_total ? row.name_en : null,
      recipients: row?.recipients ?? 0,
      opened: row?.opened ?? 0,
      clicked: row?.clicked ?? 0,
      submitted: row?.submitted ?? 0,
      reported: row?.reported ?? 0,
      reportRate: rate(row?.reported ?? 0, row?.recipients ?? 0),
      clickRate: rate(row?.clicked ?? 0, row?.recipients ?? 0),
    });
    const total = rows.find((row) => row.is_total);
    return {
      fiscalYear,
      courseId: options.courseId ?? null,
      drills: total?.drills ?? 0,
      departments: rows.filter((row) => !row.is_total).map(figure),
      total: figure(total),
    };
  }

  /** One targeted-mail drill (a draft only for the security office: a planned drill is not announced to the managers). */
  async drill(actor: Actor, courseId: string): Promise<Course> {
    assertMay(actor, TRAINING.read_figures);
    return drillCourse(this.uow.manager, actor, courseId, false);
  }

  /** The targeted-mail drills of the organisation, newest fiscal year first (the pages' list). */
  async drills(actor: Actor): Promise<(Course & { recipients: number; reported: number; clicked: number })[]> {
    assertMay(actor, TRAINING.read_figures);
    const courses = await this.uow.manager.getRepository(Course).find({
      where: {
        organizationId: actor.organizationId,
        kind: 'targeted_mail_drill',
        // a planned drill is not announced: drafts only for the security office
        ...(may(actor, TRAINING.manage_courses) ? {} : { status: Not('draft' as const) }),
      },
      order: { fiscalYear: 'DESC', dueOn: 'DESC', title: 'ASC' },
    });
    if (courses.length === 0) return [];
    const whole = accessScope(actor, TRAINING_SCOPE).kind === 'all';
    const counts = (await this.uow.manager.query(
      `SELECT course_id, count(*) FILTER (WHERE sent)::int AS recipients, count(*) FILTER (WHERE reported)::int AS reported,
              count(*) FILTER (WHERE clicked)::int AS clicked
         FROM mail_drill_results
        WHERE organization_id = $1 AND course_id = ANY($2::uuid[]) AND ($3::boolean OR department_id = $4::uuid)
        GROUP BY course_id`,
      [actor.organizationId, courses.map((c) => c.id), whole, whole ? null : actor.departmentId],
    )) as { course_id: string; recipients: number; reported: number; clicked: number }[];
    const byCourse = new Map(counts.map((row) => [row.course_id, row]));
    return courses.map((course) =>
      Object.assign(course, {
        recipients: byCourse.get(course.id)?.recipients ?? 0,
        reported: byCourse.get(course.id)?.reported ?? 0,
        clicked: byCourse.get(course.id)?.clicked ?? 0,
      }),
    );
  }
}
