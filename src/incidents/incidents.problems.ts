import { HttpStatus } from '@nestjs/common';
import type { ProblemDefinition } from '../common/errors/problem-definition.js';
import type { ProblemTable } from '../common/errors/problem-registry.js';

/** Problems of incidents, their escalation and external reports. */
export const INCIDENT_PROBLEMS = {
  INCIDENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such incident (or not one you may see)' },
  INCIDENT_TRANSITION_NOT_ALLOWED: {
    status: HttpStatus.CONFLICT,
    title: 'The incident cannot go to that state from where it is; allowedTransitions names where it can',
  },
  INCIDENT_TRIAGE_INCOMPLETE: { status: HttpStatus.BAD_REQUEST, title: 'Triage needs a severity and a category' },
  INCIDENT_DUPLICATE_OF_REQUIRED: { status: HttpStatus.BAD_REQUEST, title: 'A duplicate names the original incident (duplicateOfId)' },
  INCIDENT_DUPLICATE_OF_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The original incident must be another incident of this organisation' },
  INCIDENT_REVIEW_REQUIRED: { status: HttpStatus.CONFLICT, title: 'An L2 or L3 incident needs its post-incident review before it is closed' },
  INCIDENT_CLOSED: { status: HttpStatus.CONFLICT, title: 'The incident is closed or rejected; reopen it first' },
  INCIDENT_OCCURRED_IN_FUTURE: { status: HttpStatus.BAD_REQUEST, title: 'The time it happened lies in the future' },
  INCIDENT_DEPARTMENT_UNKNOWN: { status: HttpStatus.BAD_REQUEST, title: 'No such department' },
  INCIDENT_ASSIGNEE_UNKNOWN: { status: HttpStatus.BAD_REQUEST, title: 'The assignee must be an active member of staff of this organisation' },
  INCIDENT_VERSION_CONFLICT: { status: HttpStatus.CONFLICT, title: 'The incident was changed meanwhile; reload it and try again' },
  IDEMPOTENCY_KEY_REUSED: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'This Idempotency-Key was used for another report; send a new key' },
  IDEMPOTENCY_KEY_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The Idempotency-Key must be 1 to 200 visible ASCII characters' },
  INCIDENT_NOTHING_TO_ACKNOWLEDGE: { status: HttpStatus.CONFLICT, title: 'No escalation of this incident is waiting for an acknowledgement' },
  TASK_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such task of this incident' },
  TASK_TRANSITION_NOT_ALLOWED: { status: HttpStatus.CONFLICT, title: 'The task is already in that state' },
  EXTERNAL_REPORT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such external report of this incident' },
  EXTERNAL_REPORT_ALREADY_SENT: { status: HttpStatus.CONFLICT, title: 'The report was already recorded as sent' },
  ESCALATION_POLICY_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such escalation policy' },
  ESCALATION_POLICY_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The escalation policy is not well formed' },
  ESCALATION_TRIGGER_TAKEN: { status: HttpStatus.CONFLICT, title: 'Another active policy is already chosen for that severity' },
  INCIDENT_ATTACHMENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such attachment of this incident' },
  INCIDENT_ATTACHMENT_REFUSED: {
    status: HttpStatus.BAD_REQUEST,
    title: 'The file is not a kind Mamori keeps (PDF, images, text, e-mail, office documents, archives)',
  },
  INCIDENT_ATTACHMENT_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The file is too large' },
  RESIDENT_REPORT_RATE_LIMITED: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    title: 'Too many reports from this address; please try again later or telephone the town hall',
  },
  RESIDENT_REPORT_ORGANIZATION_UNKNOWN: { status: HttpStatus.BAD_REQUEST, title: 'No such organisation takes reports here (organization)' },
  EXTERNAL_REPORT_CANCELLED: { status: HttpStatus.CONFLICT, title: 'The report is no longer owed (the assessment changed); nothing to record' },
  EXTERNAL_REPORT_SENT_AT_INVALID: { status: HttpStatus.BAD_REQUEST, title: 'The time it was sent must lie between the detection of the incident and now' },
  INCIDENT_REVIEW_NOT_ALLOWED: { status: HttpStatus.CONFLICT, title: 'A post-incident review needs a triaged incident that was not rejected' },
  ESCALATION_POLICY_KEY_TAKEN: { status: HttpStatus.CONFLICT, title: 'Another escalation policy already has that key' },
} as const satisfies ProblemTable;

declare module '../common/errors/problem-registry.js' {
  interface ProblemCatalog extends Record<keyof typeof INCIDENT_PROBLEMS, ProblemDefinition> {}
}
