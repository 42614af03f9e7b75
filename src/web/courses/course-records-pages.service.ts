import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import type { AttendanceIssue } from '../../training/attendance-list.js';
import { rowsOfPastedLines } from '../../training/attendance-list.js';
import { attendanceTime, AttendanceService, type AttendanceResult } from '../../training/attendance.service.js';
import { CoursesService } from '../../training/courses.service.js';
import { EXEMPTION_KINDS } from '../../training/enrolment.entity.js';
import { ExemptionsService } from '../../training/exemptions.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import type { AttendanceForm, ExemptionForm } from './course-page.dto.js';
import {
  ATTENDANCE_CSV_FORM,
  ATTENDANCE_FORM,
  ATTENDANCE_ISSUES_ID,
  completionRate,
  coursePath,
  EXEMPTION_FORM,
  EXEMPTION_PAGE_SIZE,
  sent,
  text,
} from './course-pages.service.js';

/**
 * The records the security office keeps of a published course's people: who is exempt (with the
 * form that exempts or lifts) and who attended a classroom session (pasted or from a CSV).
 */
@Injectable()
export class CourseRecordsPagesService {
  constructor(
    private readonly courses: CoursesService,
    private readonly exemptions: ExemptionsService,
    private readonly attendance: AttendanceService,
    private readonly uow: UnitOfWork,
  ) {}

  // ------------------------------------------------------------------ exemptions

  async exemptionsPage(actor: Actor, id: string, page: number, formErrors?: FormErrors): Promise<object> {
    const summary = await this.courses.get(actor, id);
    const { course } = summary;
    const result = await this.exemptions.list(actor, id, { page, pageSize: EXEMPTION_PAGE_SIZE });
    const submitted = sent(formErrors, EXEMPTION_FORM);
    return {
      title: 'courseAdmin.exemptions.title',
      titleDetail: { ja: course.title, en: course.titleEn ?? course.title },
      course: {
        id: course.id,
        href: coursePath(course.id),
        title: course.title,
        titleEn: course.titleEn,
        fiscalYear: course.fiscalYear,
        status: course.status,
      },
      counts: { enrolled: summary.enrolled, exempt: summary.exempt, completed: summary.completed, rate: completionRate(summary) },
      rows: result.items.map((item) => ({ ...item, liftAction: `${coursePath(course.id)}/exemptions/${item.enrolmentId}/lift` })),
      pager: pagerFor(result, `${coursePath(course.id)}/exemptions`, {}),
      canExempt: course.status === 'published',
      kinds: EXEMPTION_KINDS.map((value) => ({ value, checked: submitted ? submitted.kind === value : value === 'long_leave' })),
      values: { employeeNumber: text(submitted?.employeeNumber), reason: text(submitted?.reason), wholeYear: submitted?.wholeYear === '1' },
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /**
   * Exempts the person named by employee number from this course, or (wholeYear) from every open
   * enrolment of the course's fiscal year, this one included, in one statement.
   */
  async exempt(actor: Actor, id: string, form: ExemptionForm): Promise<{ exempted: number }> {
    const { enrolmentId, staffId } = await this.exemptions.enrolmentOf(actor, id, form.employeeNumber);
    const dto = { kind: form.kind, reason: form.reason };
    if (form.wholeYear !== '1') {
      await this.exemptions.exempt(actor, enrolmentId, dto);
      return { exempted: 1 };
    }
    const { course } = await this.courses.get(actor, id);
    return this.exemptions.exemptForYear(actor, staffId, { ...dto, fiscalYear: course.fiscalYear });
  }

  /** Lifts the exemption of an enrolment of this course. */
  async lift(actor: Actor, courseId: string, enrolmentId: string): Promise<void> {
    const [row] = (await this.uow.manager.query(`SELECT 1 FROM enrolments WHERE id = $1 AND course_id = $2 AND organization_id = $3`, [
      enrolmentId,
      courseId,
      actor.organizationId,
    ])) as unknown[];
    if (!row) throw new AppException('ENROLMENT_NOT_FOUND', 'No such enrolment of this course');
    await this.exemptions.unexempt(actor, enrolmentId);
  }

  // ------------------------------------------------------------------ attendance

  async attendancePage(actor: Actor, id: string, refused: { formErrors?: FormErrors; issues?: readonly AttendanceIssue[] } = {}): Promise<object> {
    const summary = await this.courses.get(actor, id);
    const { course } = summary;
    const pasted = sent(refused.formErrors, ATTENDANCE_FORM);
    const csv = sent(refused.formErrors, ATTENDANCE_CSV_FORM);
    const issues = (refused.issues ?? []).filter((issue) => issue.line !== undefined);
    return {
      title: 'courseAdmin.attendance.title',
      titleDetail: { ja: course.title, en: course.titleEn ?? course.title },
      course: {
        id: course.id,
        href: coursePath(course.id),
        title: course.title,
        titleEn: course.titleEn,
        fiscalYear: course.fiscalYear,
        status: course.status,
        kind: course.kind,
      },
      counts: { enrolled: summary.enrolled, completed: summary.completed, exempt: summary.exempt, rate: completionRate(summary) },
      classroom: course.kind === 'classroom',
      open: course.status === 'published',
      issues: issues.map((issue) => ({
        line: issue.line,
        key: `courseAdmin.attendance.issue.${issue.code}`,
        employeeNumber: issue.employeeNumber ?? '',
        firstLine: issue.firstLine ?? '',
      })),
      issueLines: new Set(issues.map((issue) => issue.line)).size,
      issuesId: ATTENDANCE_ISSUES_ID,
      values: { employeeNumbers: text(pasted?.employeeNumbers), attendedAt: text(pasted?.attendedAt), csvAttendedAt: text(csv?.csvAttendedAt) },
      ...(refused.formErrors ? { formErrors: refused.formErrors } : {}),
    };
  }

  /** Attendance pasted one employee number per line (empty lines left out; lines keep their numbers). */
  recordPasted(actor: Actor, id: string, form: AttendanceForm): Promise<AttendanceResult> {
    return this.attendance.record(actor, id, rowsOfPastedLines(form.employeeNumbers ?? ''), attendanceTime(form.attendedAt), 'employeeNumbers');
  }

  recordCsv(actor: Actor, id: string, file: { buffer: Buffer } | undefined, attendedAt: string | undefined): Promise<AttendanceResult> {
    return this.attendance.recordCsv(actor, id, file, attendedAt);
  }
}
