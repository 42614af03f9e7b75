import { definePermissions } from '../common/permissions.js';
import { ROLES } from '../common/roles.js';

/** Who may do what with calendar subscriptions: everyone, with their own. */
export const CALENDAR_FEEDS = definePermissions('calendar_feeds', {
  /** make, read and revoke one's own subscription address */
  manage_own: ROLES,
});
