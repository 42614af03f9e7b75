import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from './problem-definition.js';

/** Problems every part of Mamori may answer with; features declare their own in `<feature>.problems.ts`. */
export const COMMON_PROBLEMS = {
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST, title: 'The request has invalid fields' },
  BAD_REQUEST: { status: HttpStatus.BAD_REQUEST, title: 'The request cannot be processed' },
  UNAUTHENTICATED: { status: HttpStatus.UNAUTHORIZED, title: 'Authentication required' },
  FORBIDDEN: { status: HttpStatus.FORBIDDEN, title: 'Your roles do not allow this' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such route' },
  CONFLICT: { status: HttpStatus.CONFLICT, title: 'The change conflicts with existing data' },
  TOO_MANY_REQUESTS: { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many attempts; wait before trying again' },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported content type' },
  INTERNAL: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'A required service is unavailable' },
} as const satisfies ProblemTable;

export type ProblemTable = Record<string, ProblemDefinition>;

/**
 * Every problem code Mamori answers with. Each feature adds its own where it declares them:
 *
 * ```ts
 * export const STAFF_PROBLEMS = { STAFF_NOT_FOUND: { status: 404, title: '…' } } as const satisfies ProblemTable;
 * declare module '../common/errors/problem-registry.js' {
 *   interface ProblemCatalog extends Record<keyof typeof STAFF_PROBLEMS, ProblemDefinition> {}
 * }
 * ```
 *
 * and lists the table in its `@Feature({ problems })`, which registers it at start-up.
 */
export interface ProblemCatalog extends Record<keyof typeof COMMON_PROBLEMS, ProblemDefinition> {}

export type ProblemCode = keyof ProblemCatalog & string;

/** Two features declared the same code (the codes are a contract with clients: one meaning each). */
export class DuplicateProblemError extends Error {
  constructor(
    readonly code: string,
    readonly owners: [string, string],
  ) {
    super(`problem code ${code} is declared by both ${owners[0]} and ${owners[1]}`);
    this.name = 'DuplicateProblemError';
  }
}

/** A register of problem codes: code → status, title and the feature that declared it. */
export class ProblemRegistry {
  private readonly problems = new Map<string, ProblemDefinition & { owner: string }>();

  /** Adds a feature's table; a code already declared elsewhere throws DuplicateProblemError. */
  register(owner: string, table: ProblemTable): void {
    for (const [code, definition] of Object.entries(table)) {
      const known = this.problems.get(code);
      if (known && (known.owner !== owner || known.status !== definition.status || known.title !== definition.title)) {
        throw new DuplicateProblemError(code, [known.owner, owner]);
      }
      this.problems.set(code, { ...definition, owner });
    }
  }

  definition(code: string): ProblemDefinition | undefined {
    return this.problems.get(code);
  }

  codes(): string[] {
    return [...this.problems.keys()];
  }
}

/** The process's register; each feature's table is added by its `@Feature({ problems })` (src/common/features/feature.ts). */
export const PROBLEMS = new ProblemRegistry();
PROBLEMS.register('common', COMMON_PROBLEMS);

/** The definition of a code; an unregistered one (a bug) is answered as an internal error. */
export function problemDefinition(code: ProblemCode): ProblemDefinition {
  return PROBLEMS.definition(code) ?? COMMON_PROBLEMS.INTERNAL;
}

/** `VALIDATION_FAILED` → `/problems/validation-failed` (a stable URI reference, RFC 9457 §3.1.1) */
export function problemTypeUri(code: ProblemCode): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
