import { definePermissions } from '../common/permissions.js';
import { ROLES } from '../common/roles.js';

/** Who may do what with accounts and sessions. */
export const AUTH = definePermissions('auth', {
  /** their own session and second factor */
  own_session: ROLES,
  /** e-mail someone a link to set their password */
  invite: ['admin'],
});
