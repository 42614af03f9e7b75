import { definePermissions } from '../common/permissions.js';

/**
 * Who may do what with the plan's indicators: the security office, the CISO (who is the town's CIO)
 * and the auditors read them and the annual report; the security office and the CISO enter manual
 * values; only the CISO closes and reopens a fiscal year.
 */
export const INDICATORS = definePermissions('indicators', {
  read: ['ciso', 'security_officer', 'auditor'],
  enter_value: ['ciso', 'security_officer'],
  close_year: ['ciso'],
  reopen_year: ['ciso'],
  read_report: ['ciso', 'security_officer', 'auditor'],
});
