import { definePermissions } from '../../common/permissions.js';
import { ROLES } from '../../common/roles.js';

/**
 * Who opens the finding pages beyond what FINDINGS (src/findings/findings.permissions.ts) says: a
 * finding's page is also for the people its corrective actions are assigned to (staff who may not
 * read findings otherwise), so that the assignee reports done where the finding is explained. The
 * service narrows it to those who read the finding or are assigned one of its actions.
 */
export const FINDING_PAGES = definePermissions('finding_pages', {
  open: ROLES,
});
