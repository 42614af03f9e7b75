import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';

/** Problems of control status, evidence and coverage. */
export const CONTROL_PROBLEMS = {
  CONTROL_RETIRED: { status: HttpStatus.CONFLICT, title: 'The control is retired and cannot be changed' },
  CONTROL_EVIDENCE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Evidence file not found' },
  EVIDENCE_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The evidence file is too large' },
  EVIDENCE_TYPE_NOT_ALLOWED: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'This kind of file is not accepted as evidence' },
  EVIDENCE_CONTENT_UNAVAILABLE: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'The stored evidence file is missing or damaged' },
} as const satisfies Record<string, ProblemDefinition>;
