import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of staff, departments and role requests. */
export const STAFF_PROBLEMS = {
  DEPARTMENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Department not found' },
  DEPARTMENT_CODE_TAKEN: { status: HttpStatus.CONFLICT, title: 'A department with this code exists' },
  DEPARTMENT_CYCLE: { status: HttpStatus.BAD_REQUEST, title: 'A department cannot be its own ancestor' },
  DEPARTMENT_IN_USE: { status: HttpStatus.CONFLICT, title: 'The department still has staff or sub-departments' },
  DEPARTMENT_HAS_MEMBERS: { status: HttpStatus.CONFLICT, title: 'The department still has active members; move them first' },
  DEPARTMENT_CLOSED: { status: HttpStatus.CONFLICT, title: 'The department is closed' },
  DEPARTMENT_NOT_CLOSED: { status: HttpStatus.CONFLICT, title: 'The department is open; only a closed department is reopened' },
  DEPARTMENT_HEAD_INVALID: { status: HttpStatus.CONFLICT, title: 'The head must be a staff member of the organisation who has not retired' },
  STAFF_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Staff member not found' },
  STAFF_EMAIL_TAKEN: { status: HttpStatus.CONFLICT, title: 'A staff member with this e-mail address exists' },
  STAFF_EMPLOYEE_NUMBER_TAKEN: { status: HttpStatus.CONFLICT, title: 'A staff member with this employee number exists' },
  STAFF_OWN_ROLES: { status: HttpStatus.FORBIDDEN, title: 'You cannot change your own roles' },
  STAFF_IMPORT_INVALID: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The file has invalid rows; nothing was imported' },
  PRIVILEGED_EMAIL_CHANGE: {
    status: HttpStatus.CONFLICT,
    title: 'The e-mail address of a person with a privileged role or an open role request does not change',
  },
  ROLE_CHANGE_NEEDS_APPROVAL: { status: HttpStatus.CONFLICT, title: 'A privileged role is granted or removed only through a role request' },
  ROLE_REQUEST_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Role request not found' },
  ROLE_REQUEST_OPEN_EXISTS: { status: HttpStatus.CONFLICT, title: 'An open request for this person and role exists' },
  ROLE_REQUEST_NO_CHANGE: { status: HttpStatus.CONFLICT, title: 'The person already holds the role, or does not hold the role to remove' },
  ROLE_REQUEST_TARGET_RETIRED: { status: HttpStatus.CONFLICT, title: 'The person has retired; no role is granted to them' },
  ROLE_REQUEST_LAST_ADMIN: { status: HttpStatus.CONFLICT, title: "The organisation's last active administrator keeps the role" },
  ROLE_REQUEST_TRANSITION_NOT_ALLOWED: { status: HttpStatus.CONFLICT, title: 'The role request is not at a step where this can be done' },
  ROLE_REQUEST_EXPIRED: { status: HttpStatus.CONFLICT, title: 'The role request has expired; make a new one' },
  ROLE_REQUEST_OWN: { status: HttpStatus.FORBIDDEN, title: 'Nobody decides a role request they made or one about themselves' },
  ROLE_REQUEST_APPROVER_ROLE: { status: HttpStatus.FORBIDDEN, title: 'Another role decides this role request' },
  ROLE_REQUEST_SECOND_FACTOR: { status: HttpStatus.FORBIDDEN, title: 'Deciding a role request requires a session opened with a second factor' },
  ROLE_REQUEST_NOT_CONCERNED: {
    status: HttpStatus.FORBIDDEN,
    title: 'Only a sitting CISO (where there is none, the person concerned) confirms or declines this role request',
  },
  ROLE_REQUEST_NOT_REQUESTER: { status: HttpStatus.FORBIDDEN, title: 'Only the person who made the role request withdraws it' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof STAFF_PROBLEMS, ProblemDefinition> {}
}
