import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of calendar subscriptions. */
export const CALENDAR_FEED_PROBLEMS = {
  CALENDAR_FEED_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No calendar subscription (none was made, or it was stopped)' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof CALENDAR_FEED_PROBLEMS, ProblemDefinition> {}
}
