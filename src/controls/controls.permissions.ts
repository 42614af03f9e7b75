import { definePermissions } from '../common/permissions.js';
import { ROLES } from '../common/roles.js';

/**
 * Who may do what with the control catalogue. Auditors read controls and their evidence but add
 * none (independence: they attach evidence to their own audit answers). A control's history (who
 * changed it and when, read from the audit trail) is for those who may read the audit trail.
 */
export const CONTROLS = definePermissions('controls', {
  read: ROLES,
  update_status: ['security_officer', 'ciso', 'admin'],
  record_check: ['security_officer', 'ciso', 'admin'],
  add_evidence: ['security_officer', 'ciso', 'admin'],
  read_evidence: ['security_officer', 'ciso', 'auditor', 'admin'],
  read_history: ['security_officer', 'ciso', 'auditor', 'admin'],
  export_soa: ['security_officer', 'ciso', 'auditor', 'admin'],
});
