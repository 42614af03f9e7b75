import { definePermissions } from '../common/permissions.js';
import { ROLES } from '../common/roles.js';

/** Who may do what with policies, their versions, reviews and acknowledgements. */
export const POLICIES = definePermissions('policies', {
  /** the policies and the versions that were once in force */
  read: ROLES,
  /** drafts, their texts and diffs, the review queue */
  read_drafts: ['security_officer', 'ciso', 'admin', 'auditor'],
  read_reviews: ['security_officer', 'ciso', 'auditor', 'admin'],
  review: ['security_officer', 'ciso'],
  /** write a revised text in the app: a new draft for the CISO to approve */
  revise: ['security_officer'],
  /** with a session opened with the second factor (checked in the service) */
  approve: ['ciso'],
  /** how many have acknowledged (a manager: their department) */
  read_acknowledgements: ['security_officer', 'ciso', 'manager'],
  /** one's own acknowledgement duties only */
  acknowledge: { roles: ROLES, when: (actor, duty: { staffId: string }) => duty.staffId === actor.staffId },
});
