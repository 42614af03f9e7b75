import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of sign-in and access. */
export const AUTH_PROBLEMS = {
  INVALID_CREDENTIALS: { status: HttpStatus.UNAUTHORIZED, title: 'E-mail address or password is wrong' },
  INVALID_SECOND_FACTOR: { status: HttpStatus.UNAUTHORIZED, title: 'The second-factor code is wrong' },
  ACCOUNT_LOCKED: { status: HttpStatus.LOCKED, title: 'The account is locked after repeated failures' },
  ACCOUNT_INACTIVE: { status: HttpStatus.UNAUTHORIZED, title: 'The account cannot sign in' },
  INVALID_REFRESH_TOKEN: { status: HttpStatus.UNAUTHORIZED, title: 'The refresh token is invalid or expired' },
  REFRESH_TOKEN_REUSED: { status: HttpStatus.UNAUTHORIZED, title: 'A used refresh token was presented; the session is revoked' },
  CSRF_TOKEN_INVALID: { status: HttpStatus.FORBIDDEN, title: 'The form has expired; reload the page' },
  SECOND_FACTOR_SESSION_REQUIRED: { status: HttpStatus.FORBIDDEN, title: 'Sign in with your current second factor before replacing it' },
  SECOND_FACTOR_NOT_PENDING: { status: HttpStatus.CONFLICT, title: 'No second-factor enrolment is waiting for confirmation' },
  PASSWORD_TOKEN_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The password link is invalid, already used or expired' },
  ACCOUNT_RETIRED: { status: HttpStatus.CONFLICT, title: 'The person has retired; their account cannot be given a password' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof AUTH_PROBLEMS, ProblemDefinition> {}
}
