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
  DRILL_TOO_EARLY: {
    status: HttpStatus.CONFLICT,
    title: 'The drill is scheduled for a later day: it is started from the day before its scheduled day on; change its date first (scheduledOn)',
  },
  DRILL_STEP_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'The drill’s scenario has no step at this position' },
  DRILL_TIME_INVALID: {
    status: HttpStatus.BAD_REQUEST,
    title: 'A time of the drill record is outside the drill (before its start, after its end, or in the future); the fields say which',
  },
  RESPONSE_PLAN_VERSION_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such version of the response plan (or a draft you may not see)' },
  RESPONSE_PLAN_VERSION_NOT_DRAFT: { status: HttpStatus.CONFLICT, title: 'Only the draft version of the plan can be approved; versionStatus says what it is' },
  RESPONSE_PLAN_OWN_DRAFT: {
    status: HttpStatus.FORBIDDEN,
    title: 'Nobody approves a plan draft they opened or wrote into (its text, a playbook, a proposal): another CISO approves it',
  },
  PLAN_APPROVAL_REQUIRES_SECOND_FACTOR: {
    status: HttpStatus.FORBIDDEN,
    title: 'Approving the response plan requires a session opened with a second factor: sign in again with it',
  },
  RESPONSE_PLAN_TEXT_UNCHANGED: { status: HttpStatus.CONFLICT, title: 'The text (or the playbook) is the same as the one it revises' },
  DRILL_PROPOSAL_STEP_NOT_FOUND: { status: HttpStatus.BAD_REQUEST, title: 'The scenario’s playbook has no step at that position' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof RESPONSE_PLAN_PROBLEMS, ProblemDefinition> {}
}
