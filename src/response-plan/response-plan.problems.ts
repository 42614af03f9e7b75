import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of the emergency response plan. */
export const RESPONSE_PLAN_PROBLEMS = {
  SCENARIO_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such scenario' },
  DRILL_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such drill (or not one you may see)' },
  DRILL_LINK_INVALID: {
    status: HttpStatus.BAD_REQUEST,
    title:
      'The scenario (in force), the facilitator (an active member of staff) or a person or department invited is not one of this organisation; the fields say which',
  },
  DRILL_NOT_SCHEDULED: { status: HttpStatus.CONFLICT, title: 'The drill is no longer scheduled (it runs, was held or was cancelled); drillStatus says which' },
  DRILL_NOT_RUNNING: {
    status: HttpStatus.CONFLICT,
    title: 'The drill is not in a state for this: it is started once, run until finished, then only corrected; drillStatus says which it is',
  },
  DRILL_STEP_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'The drill’s scenario has no step at this position' },
  DRILL_TIME_INVALID: {
    status: HttpStatus.BAD_REQUEST,
    title: 'A time of the drill record is outside the drill (before its start, after its end, or in the future); the fields say which',
  },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof RESPONSE_PLAN_PROBLEMS, ProblemDefinition> {}
}
