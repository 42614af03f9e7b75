import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of reading the audit trail. */
export const AUDIT_TRAIL_PROBLEMS = {
  AUDIT_TRAIL_RANGE_REVERSED: { status: HttpStatus.BAD_REQUEST, title: 'The end of the period (to) is before its start (from)' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof AUDIT_TRAIL_PROBLEMS, ProblemDefinition> {}
}
