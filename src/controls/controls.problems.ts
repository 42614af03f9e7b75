import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of the control catalogue, status, evidence and coverage. */
export const CONTROL_PROBLEMS = {
  CONTROL_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Control not found' },
  CONTROL_RETIRED: { status: HttpStatus.CONFLICT, title: 'The control is retired and cannot be changed' },
  CONTROL_EVIDENCE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Evidence file not found' },
  EVIDENCE_EMPTY: { status: HttpStatus.BAD_REQUEST, title: 'The evidence file is empty' },
  EVIDENCE_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The evidence file is too large' },
  EVIDENCE_TYPE_NOT_ALLOWED: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'This kind of file is not accepted as evidence' },
  EVIDENCE_CONTENT_UNAVAILABLE: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'The stored evidence file is missing or damaged' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof CONTROL_PROBLEMS, ProblemDefinition> {}
}
