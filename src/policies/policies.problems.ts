import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of policies, their versions, reviews, approval and acknowledgement. */
export const POLICY_PROBLEMS = {
  POLICY_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Policy not found' },
  POLICY_VERSION_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Policy version not found' },
  POLICY_VERSION_NOT_DRAFT: { status: HttpStatus.CONFLICT, title: 'Only a draft version can be approved' },
  POLICY_OWN_DRAFT: { status: HttpStatus.FORBIDDEN, title: 'Nobody approves a draft they wrote: another CISO approves it' },
  POLICY_VERSION_NOT_LATEST: { status: HttpStatus.CONFLICT, title: 'Only the latest draft of a policy can be approved' },
  POLICY_TEXT_UNCHANGED: { status: HttpStatus.CONFLICT, title: 'The text is the same as the version it revises' },
  POLICY_DRAFT_OPEN: { status: HttpStatus.CONFLICT, title: 'A draft of this policy awaits approval; name it in replacesDraft to replace it' },
  POLICY_DRAFT_NOT_OPEN: { status: HttpStatus.CONFLICT, title: 'The draft to replace is no longer the open draft of this policy' },
  APPROVAL_REQUIRES_SECOND_FACTOR: { status: HttpStatus.FORBIDDEN, title: 'Approving a policy requires a session opened with a second factor' },
  ACKNOWLEDGEMENT_DUTY_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Acknowledgement duty not found' },
  ALREADY_ACKNOWLEDGED: { status: HttpStatus.CONFLICT, title: 'This policy version has already been acknowledged' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof POLICY_PROBLEMS, ProblemDefinition> {}
}
