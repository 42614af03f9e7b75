import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of the emergency response plan. */
export const RESPONSE_PLAN_PROBLEMS = {
  SCENARIO_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such scenario' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof RESPONSE_PLAN_PROBLEMS, ProblemDefinition> {}
}
