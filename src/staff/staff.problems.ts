import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of staff and departments. */
export const STAFF_PROBLEMS = {
  DEPARTMENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Department not found' },
  DEPARTMENT_CODE_TAKEN: { status: HttpStatus.CONFLICT, title: 'A department with this code exists' },
  DEPARTMENT_CYCLE: { status: HttpStatus.BAD_REQUEST, title: 'A department cannot be its own ancestor' },
  DEPARTMENT_IN_USE: { status: HttpStatus.CONFLICT, title: 'The department still has staff or sub-departments' },
  STAFF_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Staff member not found' },
  STAFF_EMAIL_TAKEN: { status: HttpStatus.CONFLICT, title: 'A staff member with this e-mail address exists' },
  STAFF_EMPLOYEE_NUMBER_TAKEN: { status: HttpStatus.CONFLICT, title: 'A staff member with this employee number exists' },
  STAFF_OWN_ROLES: { status: HttpStatus.FORBIDDEN, title: 'You cannot change your own roles' },
  STAFF_IMPORT_INVALID: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The file has invalid rows; nothing was imported' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof STAFF_PROBLEMS, ProblemDefinition> {}
}
