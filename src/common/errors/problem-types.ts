import { HttpStatus } from '@nestjs/common';
import { AUTH_PROBLEMS } from '../../auth/auth.problems.js';
import { CONTROL_PROBLEMS } from '../../policies/controls.problems.js';
import { POLICY_PROBLEMS } from '../../policies/policies.problems.js';
import { POLICY_REVIEW_PROBLEMS } from '../../policies/policy-reviews.problems.js';
import { STAFF_PROBLEMS } from '../../staff/staff.problems.js';
import type { ProblemDefinition } from './problem-definition.js';

const COMMON_PROBLEMS = {
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST, title: 'The request has invalid fields' },
  BAD_REQUEST: { status: HttpStatus.BAD_REQUEST, title: 'The request cannot be processed' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such route' },
  CONFLICT: { status: HttpStatus.CONFLICT, title: 'The change conflicts with existing data' },
  TOO_MANY_REQUESTS: { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many attempts; wait before trying again' },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported content type' },
  INTERNAL: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'A required service is unavailable' },
} as const satisfies Record<string, ProblemDefinition>;

/**
 * Every problem Mamori answers with, by stable code: each module declares its own in
 * `<module>.problems.ts`; the filter maps a code to its HTTP status and problem+json `type`.
 * Keys are the codes clients may rely on.
 */
export const PROBLEM_TYPES = { ...COMMON_PROBLEMS, ...AUTH_PROBLEMS, ...STAFF_PROBLEMS, ...POLICY_PROBLEMS, ...CONTROL_PROBLEMS, ...POLICY_REVIEW_PROBLEMS };

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** `VALIDATION_FAILED` → `/problems/validation-failed` (a stable URI reference, RFC 9457 §3.1.1) */
export function problemTypeUri(code: ProblemCode): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
