import { tokyoInstant } from '../common/calendar.js';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import {
  AttendanceRefused,
  decodeAttendanceFile,
  fileRefused,
  readAttendanceCsv,
  rowsOfList,
  rowsRefused,
  type AttendanceIssue,
  type AttendanceRow,
} from './attendance-list.js';
import { CoursesService } from './courses.service.js';
import { EnrolmentCompletion } from './enrolment-completion.js';
import { TRAINING } from './training.permissions.js';

/** What recording attendance did: people completed now, and people who had completed before (harmless). */
export interface AttendanceResult {
  completed: number;
  alreadyCompleted: number;
}

/** A time the session was held: an ISO date-time, read in Asia/Tokyo when it names no offset. */
export function attendanceTime(value: string | undefined, now: Date = new Date()): Date {
  if (!value) return now;
  const at = tokyoInstant(value);
  // a session that has not taken place yet is not attended (a few minutes of clock difference allowed)
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppException('VALIDATION_FAILED', 'attendedAt must be a time that has passed', [
      { field: 'attendedAt', messages: ['attendedAt must not be in the future'] },
    ]);
  }
  return at;
}

interface Resolved {
  line: number;
  number: string;
  staff_id: string | null;
  enrolment_id: string | null;
  exempt: boolean;
  withdrawn: boolean;
}

/**
 * Classroom attendance (集合研修の出席): the security office names the people present, by employee
 * number, from a list, pasted lines or a CSV file, and their enrolments are completed through
 * EnrolmentCompletion in one transaction. Every bad row (blank, repeated, an unknown employee number,
 * someone not enrolled or exempt) is named by its line and nothing is recorded; people who had
 * completed already are counted as such.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly courses: CoursesService,
    private readonly completion: EnrolmentCompletion,
  ) {}

  /** Attendance from a JSON list of employee numbers (a row's line is its position in the list). */
  recordList(actor: Actor, courseId: string, employeeNumbers: readonly string[], attendedAt?: string): Promise<AttendanceResult> {
    assertMay(actor, TRAINING.record_attendance);
    return this.record(actor, courseId, rowsOfList(employeeNumbers), attendanceTime(attendedAt), 'employeeNumbers');
  }

  /** Attendance from a CSV file with a column 職員番号 (UTF-8 with or without BOM, or Shift_JIS). */
  recordCsv(actor: Actor, courseId: string, file: { buffer: Buffer } | undefined, attendedAt?: string): Promise<AttendanceResult> {
    assertMay(actor, TRAINING.record_attendance);
    if (!file) throw fileRefused('missing', 'No file was sent: attach the CSV as the multipart field "file"', 'VALIDATION_FAILED');
    const at = attendanceTime(attendedAt);
    return this.record(actor, courseId, readAttendanceCsv(decodeAttendanceFile(file.buffer)), at, 'file');
  }

  /** Records the rows (from any source; `source` is the field an empty list is about). */
  async record(
    actor: Actor,
    courseId: string,
    rows: readonly AttendanceRow[],
    at: Date,
    source: 'employeeNumbers' | 'file' = 'employeeNumbers',
  ): Promise<AttendanceResult> {
    assertMay(actor, TRAINING.record_attendance);
    return this.uow.run(actor, async (tx) => {
      const course = await this.courses.lock(tx, courseId);
      if (course.kind !== 'classroom') throw new AppException('ATTENDANCE_NOT_CLASSROOM');
      if (course.status !== 'published') throw new AppException('COURSE_NOT_PUBLISHED', 'Attendance is recorded for a published course');
      if (rows.length === 0) {
        throw new AttendanceRefused('ATTENDANCE_INVALID', 'The list names nobody; nothing was recorded', [
          { field: source, code: 'empty', message: 'name at least one person present' },
        ]);
      }

      const issues: AttendanceIssue[] = [];
      const firstLineOf = new Map<string, number>();
      const named: AttendanceRow[] = [];
      for (const row of rows) {
        if (row.employeeNumber === '') {
          issues.push({ line: row.line, field: 'employeeNumber', code: 'blank', message: 'no employee number' });
          continue;
        }
        const first = firstLineOf.get(row.employeeNumber);
        if (first !== undefined) {
          issues.push({
            line: row.line,
            field: 'employeeNumber',
            code: 'duplicate',
            employeeNumber: row.employeeNumber,
            firstLine: first,
            message: `${row.employeeNumber} is named on line ${first} too`,
          });
          continue;
        }
        firstLineOf.set(row.employeeNumber, row.line);
        named.push(row);
      }

      // everyone named, in one statement: who they are and their enrolment in the course
      const resolved = (await tx.manager.query(
        `SELECT u.line, u.number, s.id AS staff_id, e.id AS enrolment_id,
                (e.exempt_at IS NOT NULL AND e.completed_at IS NULL) AS exempt,
                (e.withdrawn_at IS NOT NULL AND e.completed_at IS NULL) AS withdrawn
           FROM unnest($2::text[], $3::int[]) AS u(number, line)
           LEFT JOIN staff s ON s.organization_id = $1 AND s.employee_number = u.number
           LEFT JOIN enrolments e ON e.organization_id = $1 AND e.course_id = $4 AND e.staff_id = s.id
          ORDER BY u.line`,
        [actor.organizationId, named.map((row) => row.employeeNumber), named.map((row) => row.line), course.id],
      )) as Resolved[];
      const present: string[] = [];
      for (const row of resolved) {
        const at = { line: row.line, field: 'employeeNumber' as const, employeeNumber: row.number };
        if (!row.staff_id) issues.push({ ...at, code: 'unknown', message: `no member of staff has employee number ${row.number}` });
        else if (!row.enrolment_id || row.withdrawn) issues.push({ ...at, code: 'notEnrolled', message: `${row.number} is not enrolled in the course` });
        else if (row.exempt) issues.push({ ...at, code: 'exempt', message: `${row.number} is exempt from the course; lift the exemption first` });
        else present.push(row.enrolment_id);
      }
      if (issues.length) throw rowsRefused(issues);

      const completed = await this.completion.record(
        tx,
        course.id,
        present.map((enrolmentId) => ({ enrolmentId, via: 'attendance' as const, at })),
      );
      return { completed: completed.length, alreadyCompleted: present.length - completed.length };
    });
  }
}
