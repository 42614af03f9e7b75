import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { AppException } from '../../common/errors/app.exception.js';
import { may } from '../../common/permissions.js';
import { ROLES } from '../../common/roles.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { DepartmentsService } from '../../staff/departments.service.js';
import { EMPLOYMENT_TYPES } from '../../staff/employment.js';
import { CourseAttachmentsService, type UploadedAttachmentFile } from '../../training/course-attachments.service.js';
import { audienceSql } from '../../training/course-audience.js';
import { COURSE_MATERIAL_EXTENSIONS, COURSE_MATERIAL_TYPES } from '../../training/course-material.js';
import { COURSE_KINDS, COURSE_STATUSES, DEFAULT_REMINDER_SETTINGS, type Course, type CourseAudience, type Quiz } from '../../training/course.entity.js';
import { CoursesService, DEFAULT_STATEMENT, DEFAULT_STATEMENT_EN, type CourseSummary } from '../../training/courses.service.js';
import type { UpdateCourseDto } from '../../training/dto/course.dto.js';
import { TRAINING } from '../../training/training.permissions.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import type { CourseForm, CourseListQuery } from './course-page.dto.js';
import { parseQuizText, quizText, sameQuizText } from './quiz-text.js';

export const COURSE_PAGE_SIZE = 50;
export const EXEMPTION_PAGE_SIZE = 100;

/** The forms of the pages (the error summary's `formField.<form>.<field>` messages). */
export const COURSE_FORM = 'courseForm';
export const ATTACHMENT_FORM = 'courseAttachment';
export const COURSE_ACTION_FORM = 'courseAction';
export const EXEMPTION_FORM = 'courseExemption';
export const ATTENDANCE_FORM = 'courseAttendance';
export const ATTENDANCE_CSV_FORM = 'courseAttendanceCsv';

/** The id of the list of bad rows on the attendance page (the error summary links to it). */
export const ATTENDANCE_ISSUES_ID = 'attendance-issues';

/** The pass mark a quiz gets when the form leaves it empty. */
export const DEFAULT_PASS_MARK = 80;

export const coursePath = (id: string): string => `/training/courses/${id}`;

/** What a refused form sent, to show it again. */
export const sent = (formErrors: FormErrors | undefined, form: string): Record<string, unknown> | null =>
  formErrors?.form === form ? formErrors.submitted : null;
export const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : []);

/** completed ÷ (enrolled − exempt); null while nobody is owed it. */
export function completionRate(summary: Pick<CourseSummary, 'enrolled' | 'completed' | 'exempt'>): number | null {
  const owed = summary.enrolled - summary.exempt;
  return owed > 0 ? summary.completed / owed : null;
}

/** The days-before list of the reminders as typed: 「7, 1」 → [7, 1] (each 1–365, largest first). */
export function daysBeforeOf(value: string | undefined): number[] {
  const days = [
    ...new Set(
      (value ?? '')
        .normalize('NFKC')
        .split(/[\s,、，]+/)
        .filter(Boolean)
        .map(Number),
    ),
  ];
  if (days.some((day) => !Number.isInteger(day) || day < 1 || day > 365)) {
    throw new AppException('VALIDATION_FAILED', 'daysBefore must be whole days between 1 and 365', [
      { field: 'daysBefore', messages: ['each day must be 1–365'] },
    ]);
  }
  return days.sort((a, b) => b - a);
}

/** The values the course form shows: what was sent when it was refused, else the course (or a new course's defaults). */
function formValues(course: Course | null, submitted: Record<string, unknown> | null, today: string) {
  if (submitted) {
    return {
      fiscalYear: text(submitted.fiscalYear),
      kind: text(submitted.kind),
      title: text(submitted.title),
      titleEn: text(submitted.titleEn),
      body: text(submitted.body),
      bodyEn: text(submitted.bodyEn),
      audienceMode: text(submitted.audienceMode) || 'all',
      roles: list(submitted.roles),
      departmentIds: list(submitted.departmentIds),
      employmentTypes: list(submitted.employmentTypes),
      newHiresSince: text(submitted.newHiresSince),
      opensOn: text(submitted.opensOn),
      dueDate: text(submitted.dueDate),
      quiz: text(submitted.quiz),
      passMark: text(submitted.passMark),
      maxAttempts: text(submitted.maxAttempts),
      statement: text(submitted.statement),
      statementEn: text(submitted.statementEn),
      daysBefore: text(submitted.daysBefore),
      onDueDate: submitted.onDueDate === '1',
      overdueDailyLimit: text(submitted.overdueDailyLimit),
      managerWeekly: submitted.managerWeekly === '1',
      securityOfficeAfterDays: text(submitted.securityOfficeAfterDays),
      followUpCourseId: text(submitted.followUpCourseId),
    };
  }
  const reminders = course?.reminders ?? DEFAULT_REMINDER_SETTINGS;
  const audience: CourseAudience = course?.audience ?? { all: true };
  return {
    fiscalYear: String(course?.fiscalYear ?? fiscalYearOf(today)),
    kind: course?.kind ?? 'e_learning',
    title: course?.title ?? '',
    titleEn: course?.titleEn ?? '',
    body: course?.body ?? '',
    bodyEn: course?.bodyEn ?? '',
    audienceMode: audience.all ? 'all' : 'some',
    roles: audience.roles ?? [],
    departmentIds: audience.departmentIds ?? [],
    employmentTypes: audience.employmentTypes ?? [],
    newHiresSince: audience.newHiresSince ?? '',
    opensOn: course?.opensOn ?? '',
    dueDate: course?.dueOn ?? '',
    quiz: quizText(course?.quiz),
    passMark: String(course?.quiz?.passMark ?? DEFAULT_PASS_MARK),
    maxAttempts: course?.quiz?.maxAttempts ? String(course.quiz.maxAttempts) : '',
    statement: course?.statement ?? DEFAULT_STATEMENT,
    statementEn: course ? (course.statementEn ?? '') : DEFAULT_STATEMENT_EN,
    daysBefore: reminders.daysBefore.join(', '),
    onDueDate: reminders.onDueDate,
    overdueDailyLimit: String(reminders.overdueDailyLimit),
    managerWeekly: reminders.managerWeekly,
    securityOfficeAfterDays: reminders.securityOfficeAfterDays === null ? '' : String(reminders.securityOfficeAfterDays),
    followUpCourseId: course?.followUpCourseId ?? '',
  };
}

/**
 * 研修の管理: the data of the security office's course pages (the list, the form, a course's page
 * with its material, publishing; exemptions and attendance are CourseRecordsPagesService's), and their forms turned into
 * the training services' changes. Words are the views' (keys and values), so the service needs no
 * catalogue.
 */
@Injectable()
export class CoursePagesService {
  constructor(
    private readonly courses: CoursesService,
    private readonly attachments: CourseAttachmentsService,
    private readonly departments: DepartmentsService,
    private readonly uow: UnitOfWork,
  ) {}

  // ------------------------------------------------------------------ list

  async list(actor: Actor, query: CourseListQuery): Promise<object> {
    const filter = { fiscalYear: query.fiscalYear, kind: query.kind, status: query.status };
    const [result, years] = await Promise.all([
      this.courses.list(actor, { ...filter, page: query.page, pageSize: COURSE_PAGE_SIZE }),
      this.fiscalYears(actor, query.fiscalYear),
    ]);
    return {
      title: 'courseAdmin.list.title',
      canCreate: may(actor, TRAINING.manage_courses),
      fiscalYears: years.map((value) => ({ value, selected: value === query.fiscalYear })),
      kinds: COURSE_KINDS.map((value) => ({ value, selected: value === query.kind })),
      statuses: COURSE_STATUSES.map((value) => ({ value, selected: value === query.status })),
      rows: result.items.map((summary) => ({
        href: coursePath(summary.course.id),
        title: summary.course.title,
        titleEn: summary.course.titleEn,
        fiscalYear: summary.course.fiscalYear,
        kind: summary.course.kind,
        status: summary.course.status,
        dueOn: summary.course.dueOn,
        enrolled: summary.enrolled,
        completed: summary.completed,
        exempt: summary.exempt,
        rate: completionRate(summary),
      })),
      pager: pagerFor(result, '/training/courses', {
        fiscalYear: query.fiscalYear === undefined ? undefined : String(query.fiscalYear),
        kind: query.kind,
        status: query.status,
      }),
    };
  }

  // ------------------------------------------------------------------ the course form

  async newCourse(actor: Actor, formErrors?: FormErrors): Promise<object> {
    const values = formValues(null, sent(formErrors, COURSE_FORM), tokyoToday());
    return {
      title: 'courseAdmin.new.title',
      action: '/training/courses/new',
      fixed: false,
      form: await this.formData(actor, values, null),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async editCourse(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const { course } = await this.courses.get(actor, id);
    if (course.status === 'closed') throw new AppException('COURSE_NOT_DRAFT', 'A closed course is not changed');
    const values = formValues(course, sent(formErrors, COURSE_FORM), tokyoToday());
    return {
      title: 'courseAdmin.edit.title',
      titleDetail: { ja: course.title, en: course.titleEn ?? course.title },
      action: `${coursePath(course.id)}/edit`,
      back: coursePath(course.id),
      course: {
        id: course.id,
        title: course.title,
        fiscalYear: course.fiscalYear,
        kind: course.kind,
        status: course.status,
        audience: await this.audienceView(actor, course.audience),
      },
      // a published course keeps its fiscal year, kind and audience: its enrolments were made from them
      fixed: course.status === 'published',
      form: await this.formData(actor, values, course),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async create(actor: Actor, form: CourseForm): Promise<Course> {
    const dto = this.payload(form, null);
    return this.courses.create(actor, dto as Required<Pick<UpdateCourseDto, 'fiscalYear' | 'kind' | 'title' | 'audience' | 'dueDate'>> & UpdateCourseDto);
  }

  async update(actor: Actor, id: string, form: CourseForm): Promise<void> {
    const { course } = await this.courses.get(actor, id);
    await this.courses.update(actor, id, this.payload(form, course));
  }

  /** The form as the courses service's change: the quiz read from its text, the reminders from their fields. */
  private payload(form: CourseForm, current: Course | null): UpdateCourseDto {
    const fixed = current?.status === 'published';
    const missing = fixed ? [] : (['fiscalYear', 'kind'] as const).filter((field) => form[field] === undefined);
    if (missing.length) {
      throw new AppException(
        'VALIDATION_FAILED',
        `${missing.join(', ')} must be given`,
        missing.map((field) => ({ field, messages: [`${field} must be given`] })),
      );
    }
    const dto: UpdateCourseDto = {
      title: form.title,
      titleEn: form.titleEn,
      body: form.body ?? null,
      bodyEn: form.bodyEn ?? null,
      dueDate: form.dueDate,
      ...(form.opensOn ? { opensOn: form.opensOn } : {}),
      ...(form.statement ? { statement: form.statement } : {}),
      statementEn: form.statementEn ?? null,
      quiz: this.quizOf(form, current?.quiz ?? null),
      reminders: {
        daysBefore: daysBeforeOf(form.daysBefore),
        onDueDate: form.onDueDate === '1',
        overdueDailyLimit: form.overdueDailyLimit,
        managerWeekly: form.managerWeekly === '1',
        securityOfficeAfterDays: form.securityOfficeAfterDays ?? null,
      },
      followUpCourseId: form.followUpCourseId ?? null,
    };
    if (!fixed) {
      dto.fiscalYear = form.fiscalYear;
      dto.kind = form.kind;
      dto.audience =
        form.audienceMode === 'some'
          ? {
              roles: form.roles,
              departmentIds: form.departmentIds,
              employmentTypes: form.employmentTypes,
              ...(form.newHiresSince ? { newHiresSince: form.newHiresSince } : {}),
            }
          : { all: true };
    }
    return dto;
  }

  /** The quiz of the form: none when its text is empty; the course's own questions (their ids and English) when the text is unchanged. */
  private quizOf(form: CourseForm, current: Quiz | null): Quiz | null {
    const written = form.quiz ?? '';
    if (!written.trim()) return null;
    const settings = { passMark: form.passMark ?? DEFAULT_PASS_MARK, maxAttempts: form.maxAttempts ?? null };
    if (current && sameQuizText(written, quizText(current))) return { questions: current.questions, ...settings };
    return { questions: parseQuizText(written), ...settings };
  }

  private async formData(actor: Actor, values: ReturnType<typeof formValues>, course: Course | null) {
    const [tree, others] = await Promise.all([this.departments.tree(actor), this.followUpChoices(actor, course?.id ?? null)]);
    const thisYear = fiscalYearOf(tokyoToday());
    const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, thisYear + 2, ...(course ? [course.fiscalYear] : [])])].sort((a, b) => a - b);
    return {
      values,
      fiscalYears: years.map((value) => ({ value, selected: String(value) === values.fiscalYear })),
      kinds: COURSE_KINDS.map((value) => ({ value, selected: value === values.kind })),
      audienceAll: values.audienceMode !== 'some',
      roles: ROLES.map((value) => ({ value, checked: values.roles.includes(value) })),
      departments: tree
        .filter((node) => node.closedOn === null || values.departmentIds.includes(node.id))
        .map((node) => ({
          id: node.id,
          label: `${node.depth > 0 ? '\u3000'.repeat(node.depth) : ''}${node.name}（${node.code}）`,
          selected: values.departmentIds.includes(node.id),
        })),
      employmentTypes: EMPLOYMENT_TYPES.map((value) => ({ value, checked: values.employmentTypes.includes(value) })),
      followUps: others.map((other) => ({ ...other, selected: other.id === values.followUpCourseId })),
    };
  }

  /** The courses a targeted-mail drill can enrol its clickers in: the organisation's other courses, newest year first. */
  private async followUpChoices(actor: Actor, except: string | null): Promise<{ id: string; title: string; fiscalYear: number }[]> {
    return (await this.uow.manager.query(
      `SELECT id, title, fiscal_year AS "fiscalYear" FROM courses
        WHERE organization_id = $1 AND ($2::uuid IS NULL OR id <> $2) AND status <> 'closed'
        ORDER BY fiscal_year DESC, title LIMIT 200`,
      [actor.organizationId, except],
    )) as { id: string; title: string; fiscalYear: number }[];
  }

  // ------------------------------------------------------------------ a course's page

  async course(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const summary = await this.courses.get(actor, id);
    const { course } = summary;
    const [attachments, repeated, followUp, template] = await Promise.all([
      this.attachments.list(actor, id),
      this.courseIn(actor, { templateId: course.id, fiscalYear: course.fiscalYear + 1 }),
      course.followUpCourseId ? this.courseIn(actor, { id: course.followUpCourseId }) : null,
      course.templateId ? this.courseIn(actor, { id: course.templateId }) : null,
    ]);
    const open = course.status !== 'closed';
    return {
      title: 'courseAdmin.course.title',
      titleDetail: { ja: course.title, en: course.titleEn ?? course.title },
      course: {
        ...course,
        href: coursePath(course.id),
        audience: await this.audienceView(actor, course.audience),
        quiz: course.quiz ? { questions: course.quiz.questions.length, passMark: course.quiz.passMark, maxAttempts: course.quiz.maxAttempts } : null,
        followUp,
        template,
        daysBeforeText: { ja: course.reminders.daysBefore.join('、'), en: course.reminders.daysBefore.join(', ') },
      },
      counts: {
        enrolled: summary.enrolled,
        completed: summary.completed,
        exempt: summary.exempt,
        owed: summary.enrolled - summary.exempt,
        rate: completionRate(summary),
      },
      canEdit: open,
      canPublish: course.status === 'draft' && may(actor, TRAINING.publish),
      canClose: course.status === 'published',
      repeat: { fiscalYear: course.fiscalYear + 1, existing: repeated },
      canExempt: course.status !== 'draft' && may(actor, TRAINING.exempt),
      canRecordAttendance: course.kind === 'classroom' && course.status === 'published' && may(actor, TRAINING.record_attendance),
      attachments: attachments.map((a) => ({ ...a, href: `${coursePath(course.id)}/attachments/${a.id}`, kind: kindOfType(a.contentType) })),
      canUpload: open,
      maxAttachmentBytes: this.attachments.maxBytes,
      accept: COURSE_MATERIAL_EXTENSIONS.join(','),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /** The publication's confirmation: how many people it will enrol, counted with the statement that will enrol them. */
  async publishing(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const { course } = await this.courses.get(actor, id);
    const params: unknown[] = [actor.organizationId];
    const condition = audienceSql(course.audience, params);
    const [row] = (await this.uow.manager.query(
      `SELECT count(*)::int AS n FROM staff s WHERE s.organization_id = $1 AND s.status = 'active' AND ${condition}`,
      params,
    )) as {
      n: number;
    }[];
    return {
      title: 'courseAdmin.publish.title',
      titleDetail: { ja: course.title, en: course.titleEn ?? course.title },
      course: {
        id: course.id,
        href: coursePath(course.id),
        title: course.title,
        titleEn: course.titleEn,
        status: course.status,
        fiscalYear: course.fiscalYear,
        dueOn: course.dueOn,
        opensOn: course.opensOn,
        audience: await this.audienceView(actor, course.audience),
      },
      audienceCount: row!.n,
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /** A course's audience in words: every active member of staff, or the criteria (departments by name). */
  private async audienceView(actor: Actor, audience: CourseAudience) {
    if (audience.all) return { all: true };
    const departments = audience.departmentIds?.length
      ? ((await this.uow.manager.query(
          `SELECT id, code, name, name_en AS "nameEn" FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY code`,
          [actor.organizationId, audience.departmentIds],
        )) as { id: string; code: string; name: string; nameEn: string | null }[])
      : [];
    return {
      all: false,
      roles: audience.roles ?? [],
      departments,
      employmentTypes: audience.employmentTypes ?? [],
      newHiresSince: audience.newHiresSince ?? null,
    };
  }

  private async courseIn(
    actor: Actor,
    where: { id?: string; templateId?: string; fiscalYear?: number },
  ): Promise<{ id: string; title: string; fiscalYear: number; href: string } | null> {
    const [row] = (await this.uow.manager.query(
      `SELECT id, title, fiscal_year AS "fiscalYear" FROM courses
        WHERE organization_id = $1 AND ($2::uuid IS NULL OR id = $2) AND ($3::uuid IS NULL OR template_id = $3) AND ($4::int IS NULL OR fiscal_year = $4)
        LIMIT 1`,
      [actor.organizationId, where.id ?? null, where.templateId ?? null, where.fiscalYear ?? null],
    )) as { id: string; title: string; fiscalYear: number }[];
    return row ? { ...row, href: coursePath(row.id) } : null;
  }

  uploadAttachment(actor: Actor, id: string, file: UploadedAttachmentFile | undefined) {
    return this.attachments.upload(actor, id, file);
  }

  // ------------------------------------------------------------------

  private async fiscalYears(actor: Actor, chosen: number | undefined): Promise<number[]> {
    const rows = (await this.uow.manager.query(`SELECT DISTINCT fiscal_year AS y FROM courses WHERE organization_id = $1`, [actor.organizationId])) as {
      y: number;
    }[];
    const thisYear = fiscalYearOf(tokyoToday());
    return [...new Set([...rows.map((row) => row.y), thisYear, ...(chosen !== undefined ? [chosen] : [])])].sort((a, b) => b - a);
  }
}

/** What kind of material a content type is, for the list: pdf, slides, video, image. */
export function kindOfType(contentType: string): 'pdf' | 'slides' | 'video' | 'image' {
  const kind = (Object.keys(COURSE_MATERIAL_TYPES) as (keyof typeof COURSE_MATERIAL_TYPES)[]).find((k) => COURSE_MATERIAL_TYPES[k].contentType === contentType);
  if (kind === 'pdf') return 'pdf';
  if (kind === 'mp4') return 'video';
  if (kind === 'png' || kind === 'jpeg') return 'image';
  return 'slides';
}
