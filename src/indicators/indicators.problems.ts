import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of the indicators and the year close. */
export const INDICATOR_PROBLEMS = {
  INDICATOR_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such indicator' },
  INDICATOR_COMPUTED: {
    status: HttpStatus.CONFLICT,
    title: 'The indicator is computed from the records; only a manual indicator takes a value entered by hand',
  },
  FISCAL_YEAR_CLOSED: { status: HttpStatus.CONFLICT, title: 'The fiscal year is closed: its figures are frozen; the CISO can reopen it with a reason' },
  FISCAL_YEAR_NOT_CLOSED: { status: HttpStatus.CONFLICT, title: 'The fiscal year is not closed' },
  FISCAL_YEAR_NOT_OVER: { status: HttpStatus.CONFLICT, title: 'The fiscal year is not over yet: it can be closed from 1 April after it' },
  YEAR_CLOSE_REQUIRES_SECOND_FACTOR: {
    status: HttpStatus.FORBIDDEN,
    title: 'Closing or reopening a fiscal year requires a session opened with a second factor: sign in again with it',
  },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof INDICATOR_PROBLEMS, ProblemDefinition> {}
}
