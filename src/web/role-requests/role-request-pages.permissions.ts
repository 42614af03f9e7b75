import { definePermissions } from '../../common/permissions.js';

/**
 * Who opens the role requests' pages beyond what ROLE_REQUESTS (src/staff/role-requests.permissions.ts)
 * already says: the list is for those who act on requests, administrators (who ask, and decide `ciso`)
 * and CISOs (who decide the rest). A request's own page is ROLE_REQUESTS.read, narrowed by the
 * service to the office and the person concerned (who accepts when they are to be the first CISO).
 */
export const ROLE_REQUEST_PAGES = definePermissions('role_request_pages', {
  list: ['admin', 'ciso'],
});
