import { definePermissions } from '../common/permissions.js';

/** Who reads and verifies the audit trail. */
export const AUDIT_TRAIL = definePermissions('audit_trail', {
  read: ['admin', 'ciso', 'security_officer', 'auditor'],
});
