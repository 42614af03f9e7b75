import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';

/** Problems of policy reviews, approval and acknowledgement. */
export const POLICY_REVIEW_PROBLEMS = {
  // e.g. SOME_CODE: { status: HttpStatus.CONFLICT, title: 'What went wrong' },
} as const satisfies Record<string, ProblemDefinition>;

export type _Unused = typeof HttpStatus;
