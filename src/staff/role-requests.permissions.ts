import { definePermissions } from '../common/permissions.js';
import { ROLES } from '../common/roles.js';

/**
 * Who may do what with role requests (role-request-rules.ts says who decides which request). Reads
 * are narrowed by ROLE_REQUEST_SCOPE: the office sees every request, anyone else those about them
 * (the person who must confirm finds their request).
 */
export const ROLE_REQUESTS = definePermissions('role_requests', {
  read: ROLES,
  request: ['admin'],
  /** a CISO, or for `ciso` another administrator; never the requester or the person concerned */
  approve: ['admin', 'ciso'],
  /** whoever would approve; at the confirmation step, whoever would confirm */
  reject: ROLES,
  /** `ciso`: a sitting CISO, or (granting the first CISO) the person concerned */
  confirm: ROLES,
  /** the requester */
  withdraw: ['admin'],
});
