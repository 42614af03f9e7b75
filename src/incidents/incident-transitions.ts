import type { IncidentStatus } from './incident.entity.js';

/** States in which an incident is still being worked (rejected from any of them). */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['reported', 'triaged', 'contained', 'eradicated', 'recovered', 'reopened'];

/**
 * The state machine of an incident, as a table: from each state, where it may go. Every transition
 * needs a reason and lands on the timeline. `rejected` (not an incident, or a duplicate of another)
 * is allowed from any open state; a closed or rejected incident comes back only as `reopened`, and
 * goes on to `triaged`.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  reported: ['triaged', 'rejected'],
  triaged: ['contained', 'rejected'],
  contained: ['eradicated', 'rejected'],
  eradicated: ['recovered', 'rejected'],
  recovered: ['closed', 'rejected'],
  closed: ['reopened'],
  rejected: ['reopened'],
  reopened: ['triaged', 'rejected'],
};

export function allowedTransitions(from: IncidentStatus): readonly IncidentStatus[] {
  return INCIDENT_TRANSITIONS[from];
}

export function mayTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return INCIDENT_TRANSITIONS[from].includes(to);
}

export function isOpen(status: IncidentStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
