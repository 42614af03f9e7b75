import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of courses, enrolments and drill results. */
export const TRAINING_PROBLEMS = {
  COURSE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such course' },
  ENROLMENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such enrolment of yours' },
  COURSE_NOT_DRAFT: { status: HttpStatus.CONFLICT, title: 'Only a draft course can be changed this way; this one is published or closed' },
  COURSE_NOT_PUBLISHED: { status: HttpStatus.CONFLICT, title: 'The course is not published (a draft, or closed)' },
  COURSE_AUDIENCE_EMPTY: {
    status: HttpStatus.BAD_REQUEST,
    title: 'The audience names nobody: give all, or roles, departments, employment types or a new-hire date',
  },
  COURSE_DEPARTMENT_UNKNOWN: { status: HttpStatus.BAD_REQUEST, title: 'The audience names a department that does not exist' },
  COURSE_DATES_OUT_OF_ORDER: { status: HttpStatus.BAD_REQUEST, title: 'The course opens after it is due' },
  COURSE_QUIZ_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The quiz is not well formed' },
  COURSE_FOLLOW_UP_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The follow-up course must be another course of this organisation' },
  COURSE_REPEAT_EXISTS: { status: HttpStatus.CONFLICT, title: 'The course was already repeated into that fiscal year' },
  ENROLMENT_NOT_OPEN: { status: HttpStatus.CONFLICT, title: 'The enrolment is exempt or withdrawn: there is nothing to complete' },
  ENROLMENT_NOT_YET_OPEN: { status: HttpStatus.CONFLICT, title: 'The course does not open before its opening day' },
  QUIZ_NOT_PASSED: { status: HttpStatus.CONFLICT, title: 'The quiz must be passed before the course can be completed' },
  QUIZ_NO_ATTEMPTS_LEFT: { status: HttpStatus.CONFLICT, title: 'No quiz attempts are left; the security office can reset them' },
  QUIZ_ANSWERS_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The answers do not match the quiz' },
  COURSE_HAS_NO_QUIZ: { status: HttpStatus.CONFLICT, title: 'The course has no quiz: complete it with the acknowledgement alone' },
  ENROLMENT_NOT_COMPLETED: { status: HttpStatus.CONFLICT, title: 'The course is not completed yet: the certificate comes with the completion' },
  ACKNOWLEDGEMENT_REQUIRED: { status: HttpStatus.BAD_REQUEST, title: 'Tick the acknowledgement to complete the course' },
  ALREADY_EXEMPT: { status: HttpStatus.CONFLICT, title: 'The person is already exempt from this course' },
  NOT_EXEMPT: { status: HttpStatus.CONFLICT, title: 'The person is not exempt from this course' },
  ATTENDANCE_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The attendance list has bad rows; nothing was recorded' },
  ATTENDANCE_NOT_CLASSROOM: { status: HttpStatus.CONFLICT, title: 'Attendance is recorded only for classroom courses' },
  DRILL_RESULTS_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The drill results have bad rows; nothing was imported' },
  DRILL_NOT_MAIL_DRILL: { status: HttpStatus.CONFLICT, title: 'Drill results are imported only into a targeted-mail drill course' },
  DRILL_UPLOAD_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such checked drill results file of yours' },
  DRILL_UPLOAD_EXPIRED: { status: HttpStatus.GONE, title: 'The checked drill results file has expired; upload it again' },
  ATTACHMENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such attachment' },
  ATTACHMENT_REFUSED: { status: HttpStatus.BAD_REQUEST, title: 'The file is not a kind of course material Mamori serves (PDF, slides, MP4, images)' },
  ATTACHMENT_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The file of course material is too large' },
  ATTACHMENT_RANGE_NOT_SATISFIABLE: { status: HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, title: 'The range asked for lies outside the file' },
  ATTACHMENT_CONTENT_UNAVAILABLE: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'The stored file of course material is missing' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof TRAINING_PROBLEMS, ProblemDefinition> {}
}
