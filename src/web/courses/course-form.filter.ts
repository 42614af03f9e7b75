import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { AttendanceRefused } from '../../training/attendance-list.js';
import { formatBytes } from '../view-helpers.js';
import { FORM_PROBLEMS, FormErrorFilter, formErrors, type FormMessage, type FormPage } from '../forms/form-error.js';
import {
  ATTACHMENT_FORM,
  ATTENDANCE_CSV_FORM,
  ATTENDANCE_FORM,
  ATTENDANCE_ISSUES_ID,
  COURSE_ACTION_FORM,
  COURSE_FORM,
  CoursePagesService,
  EXEMPTION_FORM,
} from './course-pages.service.js';
import { CourseRecordsPagesService } from './course-records-pages.service.js';
import { QuizTextRefused } from './quiz-text.js';

/** What the course pages' forms explain on their own page (with the problem's status) rather than the error page. */
export const COURSE_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'COURSE_AUDIENCE_EMPTY',
  'COURSE_DEPARTMENT_UNKNOWN',
  'COURSE_DATES_OUT_OF_ORDER',
  'COURSE_QUIZ_INVALID',
  'COURSE_FOLLOW_UP_INVALID',
  'COURSE_NOT_DRAFT',
  'COURSE_NOT_PUBLISHED',
  'COURSE_REPEAT_EXISTS',
  'ATTACHMENT_REFUSED',
  'ATTACHMENT_TOO_LARGE',
  'ATTACHMENT_NOT_FOUND',
  'ALREADY_EXEMPT',
  'NOT_EXEMPT',
  'ENROLMENT_NOT_OPEN',
  'ENROLMENT_NOT_FOUND',
  'STAFF_NOT_FOUND',
  'ATTENDANCE_INVALID',
  'ATTENDANCE_NOT_CLASSROOM',
  'PAYLOAD_TOO_LARGE',
]);

/** The field ids of the course form: a problem about the audience's departments is shown beside their list, the quiz's beside its text. */
function courseFieldId(field: string): string {
  if (field.startsWith('audience.departmentIds')) return 'departmentIds';
  if (field.startsWith('quiz')) return 'quiz';
  if (field.startsWith('reminders.')) return field.split('.')[1]!;
  if (field === 'audienceMode') return 'audience';
  return field.split('.')[0]!;
}

/**
 * The messages of a refused form: a quiz that cannot be read, problem by problem with its line;
 * invalid fields as `formField.<form>.<field>`; any other problem as `courseAdmin.problem.<CODE>`,
 * beside the field it is about.
 */
export function courseFormMessages(
  form: string,
  error: AppException,
  fieldId: (field: string) => string = (field) => field.split('.')[0]!,
  problemField?: string,
): FormMessage[] {
  if (error instanceof QuizTextRefused) {
    return error.issues.map((issue) => ({
      key: `courseAdmin.quiz.issue.${issue.code}`,
      values: { question: String(issue.question), line: String(issue.line) },
      fieldId: 'quiz',
    }));
  }
  const fields = [...new Set((error.errors ?? []).map((e) => e.field))];
  if (error.code === 'VALIDATION_FAILED' && fields.length) {
    const ids = [...new Set(fields.map(fieldId))];
    return ids.map((id) => ({ key: `formField.${form}.${id}`, fieldId: id }));
  }
  const field = fields[0];
  const at = field ? fieldId(field) : problemField;
  if (error.code === 'ATTACHMENT_REFUSED') {
    const extra = error.extra as { reason?: string; expectedExtension?: string } | undefined;
    return [
      { key: `courseAdmin.problem.ATTACHMENT_REFUSED.${extra?.reason ?? 'not_accepted'}`, values: { extension: extra?.expectedExtension ?? '' }, fieldId: at },
    ];
  }
  if (error.code === 'ATTACHMENT_TOO_LARGE') {
    return [
      { key: 'courseAdmin.problem.ATTACHMENT_TOO_LARGE', values: { max: formatBytes(Number((error.extra as { maxBytes?: number })?.maxBytes)) }, fieldId: at },
    ];
  }
  return [{ key: `courseAdmin.problem.${error.code}`, fieldId: at }];
}

/**
 * A refused form of the course pages shows its page again, with the error summary at the top (it
 * takes the focus) and each message beside its field: the course form, the publication's
 * confirmation, the course's page (material, closing, repeating), the exemptions and the attendance
 * (every bad row in a list by line, which the summary links to).
 */
@Injectable()
@Catch()
export class CourseFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = COURSE_FORM_PROBLEMS;

  constructor(
    private readonly pages: CoursePagesService,
    private readonly records: CourseRecordsPagesService,
  ) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const id = req.params.id ? String(req.params.id) : null;
    const path = req.path;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!id) {
      const errors = formErrors(COURSE_FORM, courseFormMessages(COURSE_FORM, error, courseFieldId), body);
      return { view: 'course-admin-form', data: { ...(await this.pages.newCourse(actor, errors)), formErrors: errors } };
    }
    if (path.endsWith('/edit')) {
      const errors = formErrors(COURSE_FORM, courseFormMessages(COURSE_FORM, error, courseFieldId), body);
      return { view: 'course-admin-form', data: { ...(await this.pages.editCourse(actor, id, errors)), formErrors: errors } };
    }
    if (path.endsWith('/publish')) {
      const errors = formErrors(COURSE_ACTION_FORM, courseFormMessages(COURSE_ACTION_FORM, error), {});
      return { view: 'course-admin-publish', data: { ...(await this.pages.publishing(actor, id, errors)), formErrors: errors } };
    }
    if (/\/exemptions(\/[^/]+\/lift)?$/.test(path)) {
      const lifting = path.endsWith('/lift');
      const form = lifting ? COURSE_ACTION_FORM : EXEMPTION_FORM;
      const errors = formErrors(form, courseFormMessages(form, error, undefined, lifting ? undefined : 'employeeNumber'), lifting ? {} : body);
      return { view: 'course-admin-exemptions', data: { ...(await this.records.exemptionsPage(actor, id, 1, errors)), formErrors: errors } };
    }
    if (/\/attendance(\.csv)?$/.test(path)) {
      const csv = path.endsWith('.csv');
      const form = csv ? ATTENDANCE_CSV_FORM : ATTENDANCE_FORM;
      const issues = error instanceof AttendanceRefused ? error.issues : [];
      const lines = issues.filter((issue) => issue.line !== undefined && issue.field === 'employeeNumber');
      let messages: FormMessage[];
      if (lines.length) {
        messages = [
          { key: 'courseAdmin.attendance.refused.rows', values: { lines: String(new Set(lines.map((i) => i.line)).size) }, fieldId: ATTENDANCE_ISSUES_ID },
        ];
      } else if (issues.length) {
        messages = issues.map((issue) => ({
          key: `courseAdmin.attendance.issue.${issue.code}`,
          values: { line: String(issue.line ?? ''), employeeNumber: '', firstLine: '' },
          fieldId: csv ? 'file' : 'employeeNumbers',
        }));
      } else {
        messages = courseFormMessages(form, error, (field) => (field === 'attendedAt' && csv ? 'csvAttendedAt' : field));
      }
      const errors = formErrors(form, messages, body);
      return {
        view: 'course-admin-attendance',
        data: { ...(await this.records.attendancePage(actor, id, { formErrors: errors, issues: lines })), formErrors: errors },
      };
    }
    // the course's page: its material, closing and repeating
    const upload = /\/attachments$/.test(path);
    const form = upload ? ATTACHMENT_FORM : COURSE_ACTION_FORM;
    const errors = formErrors(form, courseFormMessages(form, error, undefined, upload ? 'file' : undefined), {});
    return { view: 'course-admin', data: { ...(await this.pages.course(actor, id, errors)), formErrors: errors } };
  }
}
