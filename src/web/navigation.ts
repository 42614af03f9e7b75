import type { Request } from 'express';
import { ROLES, type Role } from '../auth/roles.js';

/** Who may open the staff list (the same roles that may list staff through the API). */
export const STAFF_PAGE_ROLES = ['admin', 'ciso', 'security_officer', 'manager'] as const satisfies readonly Role[];
/** Who may read the audit trail. */
export const AUDIT_TRAIL_PAGE_ROLES = ['admin', 'ciso', 'security_officer', 'auditor'] as const satisfies readonly Role[];
/** Who sees the review queue, policy drafts and their diffs (the API's DRAFT_READERS). */
export const POLICY_REVIEW_PAGE_ROLES = ['security_officer', 'ciso', 'auditor', 'admin'] as const satisfies readonly Role[];
/** Who records a policy review. */
export const POLICY_REVIEWER_ROLES = ['security_officer', 'ciso'] as const satisfies readonly Role[];
/** Who approves a policy version (with a second factor). */
export const POLICY_APPROVER_ROLES = ['ciso'] as const satisfies readonly Role[];
/** Who changes a control's status. */
export const CONTROL_STATUS_ROLES = ['security_officer', 'ciso', 'admin'] as const satisfies readonly Role[];
/** Who attaches evidence to a control. */
export const CONTROL_EVIDENCE_ROLES = ['security_officer', 'ciso', 'admin', 'auditor'] as const satisfies readonly Role[];
/** Who downloads the statement of applicability. */
export const SOA_ROLES = ['security_officer', 'ciso', 'auditor', 'admin'] as const satisfies readonly Role[];

export interface NavigationItem {
  href: string;
  /** message key of the label */
  label: string;
  current: boolean;
}

const ITEMS: { href: string; label: string; roles: readonly Role[] }[] = [
  { href: '/', label: 'nav.myPage', roles: ROLES },
  { href: '/policies', label: 'nav.policies', roles: ROLES },
  { href: '/controls', label: 'nav.controls', roles: ROLES },
  { href: '/reviews', label: 'nav.reviews', roles: POLICY_REVIEW_PAGE_ROLES },
  { href: '/staff', label: 'nav.staff', roles: STAFF_PAGE_ROLES },
  { href: '/audit-trail', label: 'nav.auditTrail', roles: AUDIT_TRAIL_PAGE_ROLES },
  { href: '/api/docs', label: 'nav.apiDocs', roles: ROLES },
];

/** The menu of a signed-in person: the pages their roles open; the one being shown is `current`. */
export function navigationFor(roles: readonly Role[], path: string): NavigationItem[] {
  return ITEMS.filter((item) => item.roles.some((role) => roles.includes(role))).map(({ href, label }) => ({
    href,
    label,
    current: href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`),
  }));
}

/** Whether the person holds one of `roles` (what a page shows them). */
export function mayUse(actorRoles: readonly Role[], roles: readonly Role[]): boolean {
  return actorRoles.some((role) => roles.includes(role));
}

/** The path of the request as the browser sent it (middleware may be mounted below the root). */
export function pathOf(request: Request): string {
  return new URL(request.originalUrl, 'http://mamori.invalid').pathname;
}
