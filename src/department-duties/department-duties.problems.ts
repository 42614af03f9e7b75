import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of chasing a department's outstanding duties. */
export const DEPARTMENT_DUTY_PROBLEMS = {
  REMINDER_NOT_A_MEMBER: {
    status: HttpStatus.BAD_REQUEST,
    title: 'A reminder goes only to active members of the department; staffIds names someone else',
  },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof DEPARTMENT_DUTY_PROBLEMS, ProblemDefinition> {}
}
