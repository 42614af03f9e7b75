import type { ScopeRules } from '../auth/access-scope.js';
import { definePermissions } from '../common/permissions.js';
import { ROLES, type Role } from '../common/roles.js';

/** The security office, which runs the courses (DESIGN.md §2). */
const OFFICE: readonly Role[] = ['security_officer'];
/** Who reads every department's figures: the office, the CISO (and the CIO through them). */
const READERS: readonly Role[] = ['security_officer', 'ciso'];

/** Whose figures and lists a reader sees: the security office and the CISO everyone's, a manager their own department's. */
export const TRAINING_SCOPE: ScopeRules = { all: READERS, department: ['manager'] };

/** Who may do what with courses, enrolments, figures and drill results. */
export const TRAINING = definePermissions('training', {
  /** the published courses of the organisation (titles, dates, audience) */
  read_courses: ROLES,
  /** drafts, quizzes with their answers, settings */
  manage_courses: OFFICE,
  /** publish a course: enrol its audience */
  publish: OFFICE,
  /** one's own enrolments: read the material, take the quiz, acknowledge */
  take: { roles: ROLES, when: (actor, enrolment: { staffId: string }) => enrolment.staffId === actor.staffId },
  /** record classroom attendance (completes the enrolments of those present) */
  record_attendance: OFFICE,
  /** exempt someone (long leave, secondment) with a reason, or lift it */
  exempt: OFFICE,
  /** completion figures and the not-completed list (a manager: their own department) */
  read_figures: [...READERS, 'manager'],
  /** import the results of a targeted-mail drill */
  import_drill_results: OFFICE,
});
