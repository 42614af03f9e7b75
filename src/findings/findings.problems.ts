import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of findings and corrective actions. */
export const FINDING_PROBLEMS = {
  FINDING_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such finding (or not one you may see)' },
  FINDING_LINK_INVALID: {
    status: HttpStatus.BAD_REQUEST,
    title: 'A department, control or assignee named is not one of this organisation (an assignee must be active); the fields say which',
  },
  FINDING_TRANSITION_NOT_ALLOWED: { status: HttpStatus.CONFLICT, title: 'The finding cannot move to that status from where it is' },
  CORRECTIVE_ACTION_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such corrective action (or not one you may see)' },
  CORRECTIVE_ACTION_TRANSITION_NOT_ALLOWED: {
    status: HttpStatus.CONFLICT,
    title: 'The corrective action cannot do that from its status; allowedTransitions names what it can',
  },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof FINDING_PROBLEMS, ProblemDefinition> {}
}
