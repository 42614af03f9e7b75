import { HttpStatus } from '@nestjs/common';

/**
 * Every problem Mamori answers with, by stable code. A module adds its codes here; the filter maps a
 * code to its HTTP status and problem+json `type`. Keys are the codes clients may rely on.
 */
export const PROBLEM_TYPES = {
  // common
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST, title: 'The request has invalid fields' },
  BAD_REQUEST: { status: HttpStatus.BAD_REQUEST, title: 'The request cannot be processed' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such route' },
  CONFLICT: { status: HttpStatus.CONFLICT, title: 'The change conflicts with existing data' },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported content type' },
  INTERNAL: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'A required service is unavailable' },
  // auth
  UNAUTHENTICATED: { status: HttpStatus.UNAUTHORIZED, title: 'Authentication required' },
  INVALID_CREDENTIALS: { status: HttpStatus.UNAUTHORIZED, title: 'E-mail address or password is wrong' },
  INVALID_SECOND_FACTOR: { status: HttpStatus.UNAUTHORIZED, title: 'The second-factor code is wrong' },
  ACCOUNT_LOCKED: { status: HttpStatus.LOCKED, title: 'The account is locked after repeated failures' },
  ACCOUNT_INACTIVE: { status: HttpStatus.UNAUTHORIZED, title: 'The account cannot sign in' },
  INVALID_REFRESH_TOKEN: { status: HttpStatus.UNAUTHORIZED, title: 'The refresh token is invalid or expired' },
  REFRESH_TOKEN_REUSED: { status: HttpStatus.UNAUTHORIZED, title: 'A used refresh token was presented; the session is revoked' },
  FORBIDDEN: { status: HttpStatus.FORBIDDEN, title: 'Your roles do not allow this' },
  CSRF_TOKEN_INVALID: { status: HttpStatus.FORBIDDEN, title: 'The form has expired; reload the page' },
  SECOND_FACTOR_NOT_PENDING: { status: HttpStatus.CONFLICT, title: 'No second-factor enrolment is waiting for confirmation' },
  // staff
  DEPARTMENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Department not found' },
  DEPARTMENT_CODE_TAKEN: { status: HttpStatus.CONFLICT, title: 'A department with this code exists' },
  DEPARTMENT_CYCLE: { status: HttpStatus.BAD_REQUEST, title: 'A department cannot be its own ancestor' },
  DEPARTMENT_IN_USE: { status: HttpStatus.CONFLICT, title: 'The department still has staff or sub-departments' },
  STAFF_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Staff member not found' },
  STAFF_EMAIL_TAKEN: { status: HttpStatus.CONFLICT, title: 'A staff member with this e-mail address exists' },
  STAFF_EMPLOYEE_NUMBER_TAKEN: { status: HttpStatus.CONFLICT, title: 'A staff member with this employee number exists' },
  STAFF_IMPORT_INVALID: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The file has invalid rows; nothing was imported' },
  // policies and controls
  CONTROL_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Control not found' },
  POLICY_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Policy not found' },
} as const satisfies Record<string, { status: HttpStatus; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** `VALIDATION_FAILED` → `/problems/validation-failed` (a stable URI reference, RFC 9457 §3.1.1) */
export function problemTypeUri(code: ProblemCode): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
