import { definePermissions } from '../common/permissions.js';
import { PRIVILEGED_ROLES, ROLES } from '../common/roles.js';

/** The pages of the web layer itself. */
export const WEB = definePermissions('web', {
  /** what one owes, one's account */
  my_page: ROLES,
  /** the security office's work queue (its home page): what is due, with counts */
  work_queue: ['security_officer', 'ciso'],
  /** the API documentation (for those who script against the API) */
  api_docs: PRIVILEGED_ROLES,
});
