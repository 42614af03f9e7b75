import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';

/** Problems of policies, reviews and controls. */
export const POLICY_PROBLEMS = {
  CONTROL_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Control not found' },
  POLICY_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Policy not found' },
} as const satisfies Record<string, ProblemDefinition>;
