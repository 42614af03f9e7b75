import type { ScopeRules } from '../auth/access-scope.js';
import { definePermissions } from '../common/permissions.js';
import { ROLES, type Role } from '../common/roles.js';

/** Who works incidents: the CSIRT and the security office (DESIGN.md §2); the CISO reads everything and acknowledges. */
const RESPONDERS: readonly Role[] = ['csirt', 'security_officer'];
const READ_ALL: readonly Role[] = ['csirt', 'security_officer', 'ciso'];

/** Whose incidents a person sees: CSIRT and above all, a manager their department's, everyone their own reports. */
export const INCIDENT_SCOPE: ScopeRules = { all: READ_ALL, department: ['manager'] };

/** Who may do what with incidents, escalation policies and external reports. */
export const INCIDENTS = definePermissions('incidents', {
  /** report an incident or near miss (everyone) */
  report: ROLES,
  /** read incidents (each in their scope: own, department, all) */
  read: ROLES,
  /** triage, transitions, severity, assignee, tasks, external reports, reviews */
  respond: RESPONDERS,
  /** write a note, an action or a contact on the timeline (the responders, the CISO) */
  write_timeline: [...RESPONDERS, 'ciso'],
  /**
   * acknowledge an escalation: stops the whole climb, so only those who take the incident on (the
   * responders, the CISO); a manager told of it reads it but cannot silence the levels above them
   */
  acknowledge: READ_ALL,
  /** read every incident and the figures */
  read_all: READ_ALL,
  /** the figures (a manager: their department) */
  read_figures: [...READ_ALL, 'manager'],
  /** escalation policies: read (responders, the CISO) */
  read_escalation_policies: READ_ALL,
  /** escalation policies: change (the security office) */
  manage_escalation_policies: ['security_officer'],
  /** attach a file to an incident (the reporter to their own open report; responders to any: checked in the service) */
  add_attachment: ROLES,
});
