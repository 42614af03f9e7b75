import { definePermissions } from '../common/permissions.js';
import { ROLES, type Role } from '../common/roles.js';

/** Who the plan names for out-of-hours numbers: the CISO, the security office, the CSIRT. */
export const PLAN_RESPONDERS: readonly Role[] = ['ciso', 'security_officer', 'csirt'];

/** Who may do what with the emergency response plan (緊急時対応計画). */
export const RESPONSE_PLAN = definePermissions('response_plan', {
  /** read the scenarios and their playbooks (every member of staff: the plan is for everyone) */
  read: ROLES,
  /** read the outside contacts (the office, the CSIRT, the CISO, managers); out-of-hours numbers only for PLAN_RESPONDERS */
  read_contacts: [...PLAN_RESPONDERS, 'manager', 'admin'],
});
