import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { addDays, tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { timeOrderedIdsSql } from '../common/uuid.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { audienceIsEmpty, audienceSql } from './course-audience.js';
import { CourseStatement } from './course-statement.entity.js';
import { checkedQuiz } from './quiz.js';
import { Course, DEFAULT_REMINDER_SETTINGS, type CourseAudience } from './course.entity.js';
import type { CourseQuery, CreateCourseDto, UpdateCourseDto } from './dto/course.dto.js';
import './training.events.js';
import { TRAINING } from './training.permissions.js';

/** The statement a course gets when the security office writes none. */
export const DEFAULT_STATEMENT = '研修の内容を理解し、情報セキュリティポリシーを遵守することを誓約します。';
export const DEFAULT_STATEMENT_EN = 'I have understood the training and will comply with the information security policy.';

/** A course with what the list and its page show about its enrolments. */
export interface CourseSummary {
  course: Course;
  enrolled: number;
  completed: number;
  exempt: number;
}

/** What a publication did. */
export interface PublishResult {
  course: Course;
  enrolled: number;
}

/** The fields of a course that always have a value (the others may be set to null to clear them). */
const REQUIRED_FIELDS = ['fiscalYear', 'kind', 'title', 'audience', 'dueDate', 'opensOn', 'statement', 'reminders'] as const;

/** The first day of a fiscal year and its last (Asia/Tokyo calendar days). */
export function fiscalYearDays(fiscalYear: number): { first: string; last: string } {
  return { first: `${fiscalYear}-04-01`, last: `${fiscalYear + 1}-03-31` };
}

/**
 * Courses of a fiscal year (研修): written as drafts by the security office, published to their
 * audience in one set-based statement, repeated into the next fiscal year from themselves as a
 * template, closed at the end.
 */
@Injectable()
export class CoursesService {
  constructor(private readonly uow: UnitOfWork) {}

  async create(actor: Actor, dto: CreateCourseDto): Promise<Course> {
    assertMay(actor, TRAINING.manage_courses);
    return this.uow.run(actor, async (tx) => {
      const fields = await this.checked(tx, null, dto);
      const course = await tx.create(
        Course,
        {
          ...fields,
          statementVersion: 1,
          status: 'draft',
          createdById: actor.staffId,
        },
        { action: 'course.create', entityType: 'course', omit: ['body', 'bodyEn'] },
      );
      await this.recordStatement(tx, course);
      return course;
    });
  }

  /**
   * Changes a course. A draft can change in every way; a published course keeps its fiscal year,
   * kind and audience (its enrolments were made from them), and a changed statement gets a new
   * version (completions keep the version they signed).
   */
  async update(actor: Actor, id: string, dto: UpdateCourseDto): Promise<Course> {
    assertMay(actor, TRAINING.manage_courses);
    return this.uow.run(actor, async (tx) => {
      const course = await this.lock(tx, id);
      if (course.status === 'closed') throw new AppException('COURSE_NOT_DRAFT');
      if (course.status === 'published') {
        const fixed = (['fiscalYear', 'kind', 'audience'] as const).filter((field) => dto[field] !== undefined);
        if (fixed.length) {
          throw new AppException(
            'COURSE_NOT_DRAFT',
            `A published course keeps its ${fixed.join(', ')}`,
            fixed.map((field) => ({ field, messages: [`${field} cannot change once the course is published`] })),
          );
        }
      }
      const fields = await this.checked(tx, course, dto);
      const previousDueOn = course.dueOn;
      const statementChanged =
        (fields.statement !== undefined && fields.statement !== course.statement) ||
        (fields.statementEn !== undefined && fields.statementEn !== course.statementEn);
      const updated = await tx.update(
        course,
        { ...fields, ...(statementChanged ? { statementVersion: course.statementVersion + 1 } : {}) },
        { action: 'course.update', entityType: 'course', omit: ['body', 'bodyEn'] },
      );
      if (statementChanged) await this.recordStatement(tx, updated);
      if (fields.dueOn !== undefined && course.status === 'published') {
        // people enrolled with the course's date follow it; a joiner's own later date stays
        await tx.manager.query(
          `UPDATE enrolments SET due_on = $3::date, updated_at = now() WHERE course_id = $1 AND completed_at IS NULL AND due_on = $2::date`,
          [course.id, previousDueOn, fields.dueOn],
        );
      }
      return updated;
    });
  }

  async get(actor: Actor, id: string): Promise<CourseSummary> {
    assertMay(actor, TRAINING.read_courses);
    const course = await this.uow.manager.getRepository(Course).findOne({ where: { id, organizationId: actor.organizationId } });
    if (!course || (course.status === 'draft' && !may(actor, TRAINING.manage_courses))) throw new AppException('COURSE_NOT_FOUND');
    const [counts] = await this.counts(actor.organizationId, [course.id]);
    return { course, enrolled: counts?.enrolled ?? 0, completed: counts?.completed ?? 0, exempt: counts?.exempt ?? 0 };
  }

  /** The courses, newest fiscal year first, then by due date; drafts only for the security office. */
  async list(actor: Actor, query: CourseQuery): Promise<Page<CourseSummary>> {
    assertMay(actor, TRAINING.read_courses);
    const qb = this.uow.manager.getRepository(Course).createQueryBuilder('c').where('c.organizationId = :org', { org: actor.organizationId });
    if (query.fiscalYear !== undefined) qb.andWhere('c.fiscalYear = :fy', { fy: query.fiscalYear });
    if (query.kind) qb.andWhere('c.kind = :kind', { kind: query.kind });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (!may(actor, TRAINING.manage_courses)) qb.andWhere(`c.status <> 'draft'`);
    const { skip, take } = skipTake(query);
    const [courses, total] = await qb
      .orderBy('c.fiscalYear', 'DESC')
      .addOrderBy('c.dueOn', 'ASC')
      .addOrderBy('c.title', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
    const counts = new Map(
      (
        await this.counts(
          actor.organizationId,
          courses.map((c) => c.id),
        )
      ).map((row) => [row.course_id, row]),
    );
    return pageOf(
      courses.map((course) => ({
        course,
        enrolled: counts.get(course.id)?.enrolled ?? 0,
        completed: counts.get(course.id)?.completed ?? 0,
        exempt: counts.get(course.id)?.exempt ?? 0,
      })),
      total,
      query,
    );
  }

  /**
   * Publishes a draft: enrols its audience (active staff) in one INSERT … SELECT and writes one
   * outbox message that tells them (read at sending, so who completed meanwhile is not told). The
   * audit trail records the publication with its audience and how many it enrolled; each enrolment
   * row says it came from the publication (`source`), when, and for whom.
   */
  async publish(actor: Actor, id: string): Promise<PublishResult> {
    assertMay(actor, TRAINING.publish);
    return this.uow.run(actor, async (tx) => {
      const course = await this.lock(tx, id);
      if (course.status !== 'draft') throw new AppException('COURSE_NOT_DRAFT', 'The course is already published or closed');
      return this.publishIn(tx, course);
    });
  }

  /** Publishes a course in the caller's transaction (the policies' acknowledgement courses are published this way). */
  async publishIn(tx: Transaction, course: Course): Promise<PublishResult> {
    const enrolled = await this.enrolAudience(tx, course);
    const published = await tx.update(
      course,
      { status: 'published', publishedAt: new Date(), publishedById: tx.actor.staffId },
      { action: 'course.publish', entityType: 'course', omit: ['body', 'bodyEn', 'quiz'], context: { audience: course.audience, enrolled } },
    );
    if (enrolled > 0) await tx.outbox({ topic: 'training.course_published', dedupeKey: `course-published:${course.id}`, payload: { courseId: course.id } });
    await tx.publish({ type: 'training.course_published', courseId: course.id, fiscalYear: course.fiscalYear, kind: course.kind, enrolled });
    return { course: published, enrolled };
  }

  /**
   * The one statement that enrols a course's audience; returns how many it enrolled (none for a targeted-mail drill). The people are
   * taken in the order of their ids and given time-ordered ids in that order, so the new rows land
   * side by side in the primary key and in the (course, person) index instead of on a random page
   * each (a prefecture's 100,000 enrolments at once). A course nobody is enrolled in yet (a draft:
   * the staff events enrol people in published courses only) needs no conflict check per row.
   */
  async enrolAudience(tx: Transaction, course: Course): Promise<number> {
    // a targeted-mail drill owes nobody anything: its results are imported, its audience is who got the mail
    if (course.kind === 'targeted_mail_drill') return 0;
    const [{ any }] = (await tx.manager.query(`SELECT EXISTS (SELECT 1 FROM enrolments WHERE course_id = $1) AS any`, [course.id])) as { any: boolean }[];
    const params: unknown[] = [course.organizationId, course.id, course.fiscalYear, course.dueOn];
    const condition = audienceSql(course.audience, params);
    const id = timeOrderedIdsSql(params, 'row_number() OVER (ORDER BY s.id)');
    // the people sorted in memory, not on disk
    await tx.manager.query(`SET LOCAL work_mem = '32MB'`);
    const result = (await tx.manager.queryRunner!.query(
      `INSERT INTO enrolments (id, organization_id, course_id, fiscal_year, staff_id, department_id, source, due_on)
       SELECT ${id}, $1, $2, $3, s.id, s.department_id, 'publish', $4
         FROM staff s
        WHERE s.organization_id = $1 AND s.status = 'active' AND ${condition}
        ORDER BY s.id
       ${any ? 'ON CONFLICT (course_id, staff_id) DO NOTHING' : ''}`,
      params,
      true,
    )) as { affected?: number };
    return result.affected ?? 0;
  }

  /** Closes a published course: nobody is enrolled in it any more; what was done stays. */
  async close(actor: Actor, id: string): Promise<Course> {
    assertMay(actor, TRAINING.manage_courses);
    return this.uow.run(actor, async (tx) => {
      const course = await this.lock(tx, id);
      if (course.status !== 'published') throw new AppException('COURSE_NOT_PUBLISHED');
      return tx.update(course, { status: 'closed', closedAt: new Date() }, { action: 'course.close', entityType: 'course', omit: ['body', 'bodyEn', 'quiz'] });
    });
  }

  /**
   * Repeats a course into another fiscal year from itself as a template: a draft with the same
   * content, audience, quiz, statement and settings, its dates moved by the years between. Once per
   * template and year (409 COURSE_REPEAT_EXISTS).
   */
  async repeat(actor: Actor, id: string, fiscalYear: number): Promise<Course> {
    assertMay(actor, TRAINING.manage_courses);
    return this.uow.run(actor, async (tx) => {
      const template = await this.lock(tx, id);
      const existing = await tx.manager.getRepository(Course).findOne({ where: { organizationId: actor.organizationId, templateId: template.id, fiscalYear } });
      if (existing)
        throw new AppException('COURSE_REPEAT_EXISTS', undefined, [{ field: 'fiscalYear', messages: [`already repeated into ${fiscalYear}`] }], {
          courseId: existing.id,
        });
      const years = fiscalYear - template.fiscalYear;
      const course = await tx.create(
        Course,
        {
          fiscalYear,
          kind: template.kind,
          title: template.title,
          titleEn: template.titleEn,
          body: template.body,
          bodyEn: template.bodyEn,
          audience: template.audience,
          opensOn: shiftYears(template.opensOn, years),
          dueOn: shiftYears(template.dueOn, years),
          quiz: template.quiz,
          statement: template.statement,
          statementEn: template.statementEn,
          statementVersion: 1,
          status: 'draft',
          reminders: template.reminders,
          templateId: template.id,
          followUpCourseId: null,
          createdById: actor.staffId,
        },
        { action: 'course.create', entityType: 'course', omit: ['body', 'bodyEn'], context: { repeatedFrom: template.id } },
      );
      await this.recordStatement(tx, course);
      return course;
    });
  }

  /** The course, locked for the change, or 404. */
  async lock(tx: Transaction, id: string): Promise<Course> {
    const course = await tx.manager
      .getRepository(Course)
      .findOne({ where: { id, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!course) throw new AppException('COURSE_NOT_FOUND');
    return course;
  }

  /** Keeps the course's current statement as its version `statementVersion` (a new course, a changed statement). */
  async recordStatement(tx: Transaction, course: Course): Promise<void> {
    await tx.manager.getRepository(CourseStatement).insert({
      organizationId: course.organizationId,
      courseId: course.id,
      version: course.statementVersion,
      text: course.statement,
      textEn: course.statementEn,
    });
  }

  /** The fields of a create or update, checked against each other and the organisation's records. */
  private async checked(tx: Transaction, current: Course | null, dto: UpdateCourseDto): Promise<Partial<Course>> {
    // optional is not nullable: leaving a field out keeps it, null would erase what a course must have
    const nulls = REQUIRED_FIELDS.filter((field) => dto[field] === null);
    if (nulls.length)
      throw new AppException(
        'VALIDATION_FAILED',
        undefined,
        nulls.map((field) => ({ field, messages: [`${field} cannot be null; leave it out to keep it`] })),
      );
    const fields: Partial<Course> = {};
    if (dto.fiscalYear !== undefined) fields.fiscalYear = dto.fiscalYear;
    if (dto.kind !== undefined) fields.kind = dto.kind;
    if (dto.title !== undefined) fields.title = dto.title.trim();
    if (dto.titleEn !== undefined) fields.titleEn = dto.titleEn?.trim() || null;
    if (dto.body !== undefined) fields.body = dto.body || null;
    if (dto.bodyEn !== undefined) fields.bodyEn = dto.bodyEn || null;
    if (dto.audience !== undefined) fields.audience = await this.checkedAudience(tx, dto.audience);
    if (dto.dueDate !== undefined) fields.dueOn = dto.dueDate;
    if (dto.opensOn !== undefined) fields.opensOn = dto.opensOn;
    if (dto.quiz !== undefined) fields.quiz = dto.quiz === null ? null : checkedQuiz(dto.quiz);
    if (dto.statement !== undefined) fields.statement = dto.statement.trim();
    if (dto.statementEn !== undefined) fields.statementEn = dto.statementEn?.trim() || null;
    if (dto.reminders !== undefined) fields.reminders = { ...(current?.reminders ?? DEFAULT_REMINDER_SETTINGS), ...stripUndefined(dto.reminders) };
    if (dto.followUpCourseId !== undefined) {
      if (dto.followUpCourseId !== null) {
        const followUp = await tx.manager
          .getRepository(Course)
          .findOne({ where: { id: dto.followUpCourseId, organizationId: tx.actor.organizationId }, select: { id: true, kind: true } });
        // a course to learn from: not another drill, not a policy's acknowledgement
        if (!followUp || followUp.id === current?.id || followUp.kind === 'targeted_mail_drill' || followUp.kind === 'policy_acknowledgement') {
          throw new AppException('COURSE_FOLLOW_UP_INVALID', undefined, [
            { field: 'followUpCourseId', messages: ['name another course of this organisation that teaches (not a drill, not a policy acknowledgement)'] },
          ]);
        }
      }
      fields.followUpCourseId = dto.followUpCourseId;
    }
    if (!current) {
      const fiscalYear = fields.fiscalYear!;
      fields.opensOn ??= fiscalYearDays(fiscalYear).first;
      fields.statement ??= DEFAULT_STATEMENT;
      if (dto.statementEn === undefined && !dto.statement) fields.statementEn = DEFAULT_STATEMENT_EN;
      fields.reminders ??= { ...DEFAULT_REMINDER_SETTINGS };
    }
    const opensOn = fields.opensOn ?? current!.opensOn;
    const dueOn = fields.dueOn ?? current!.dueOn;
    if (opensOn > dueOn)
      throw new AppException('COURSE_DATES_OUT_OF_ORDER', undefined, [{ field: 'opensOn', messages: ['opensOn must be on or before dueDate'] }]);
    return fields;
  }

  private async checkedAudience(tx: Transaction, audience: CourseAudience): Promise<CourseAudience> {
    const clean: CourseAudience = audience.all
      ? { all: true }
      : stripUndefined({
          roles: audience.roles?.length ? [...new Set(audience.roles)] : undefined,
          departmentIds: audience.departmentIds?.length ? [...new Set(audience.departmentIds)] : undefined,
          employmentTypes: audience.employmentTypes?.length ? [...new Set(audience.employmentTypes)] : undefined,
          newHiresSince: audience.newHiresSince,
        });
    if (audienceIsEmpty(clean))
      throw new AppException('COURSE_AUDIENCE_EMPTY', undefined, [
        { field: 'audience', messages: ['name all, or roles, departments, employment types or a new-hire date'] },
      ]);
    if (clean.departmentIds?.length) {
      const found = (await tx.manager.query(`SELECT id FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
        tx.actor.organizationId,
        clean.departmentIds,
      ])) as { id: string }[];
      const known = new Set(found.map((row) => row.id));
      const unknown = clean.departmentIds.map((id, index) => ({ id, index })).filter(({ id }) => !known.has(id));
      if (unknown.length) {
        throw new AppException(
          'COURSE_DEPARTMENT_UNKNOWN',
          undefined,
          unknown.map(({ id, index }) => ({ field: `audience.departmentIds.${index}`, messages: [`no department ${id}`] })),
        );
      }
    }
    return clean;
  }

  private async counts(organizationId: string, courseIds: string[]): Promise<{ course_id: string; enrolled: number; completed: number; exempt: number }[]> {
    if (courseIds.length === 0) return [];
    return (await this.uow.manager.query(
      `SELECT course_id, count(*) FILTER (WHERE withdrawn_at IS NULL OR completed_at IS NOT NULL)::int AS enrolled,
              count(completed_at)::int AS completed,
              count(*) FILTER (WHERE exempt_at IS NOT NULL AND completed_at IS NULL AND withdrawn_at IS NULL)::int AS exempt
         FROM enrolments WHERE organization_id = $1 AND course_id = ANY($2::uuid[])
        GROUP BY course_id`,
      [organizationId, courseIds],
    )) as { course_id: string; enrolled: number; completed: number; exempt: number }[];
  }
}

/** The due day of someone enrolled after the course started: 30 days from today, not before the course's, within its fiscal year. */
export function joinerDueOn(courseDueOn: string, fiscalYear: number, today: string = tokyoToday()): string {
  const latest = fiscalYearDays(fiscalYear).last;
  const wanted = addDays(today, 30);
  const capped = wanted > latest ? latest : wanted;
  return capped > courseDueOn ? capped : courseDueOn;
}

function shiftYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const year = y + years;
  // 29 February into a common year becomes 28 February
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
