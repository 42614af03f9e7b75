import type { Request } from 'express';
import { ROLES, type Role } from '../auth/roles.js';

/** Who may open the staff list (the same roles that may list staff through the API). */
export const STAFF_PAGE_ROLES = ['admin', 'ciso', 'security_officer', 'manager'] as const satisfies readonly Role[];
/** Who may read the audit trail. */
export const AUDIT_TRAIL_PAGE_ROLES = ['admin', 'ciso', 'security_officer', 'auditor'] as const satisfies readonly Role[];

export interface NavigationItem {
  href: string;
  /** message key of the label */
  label: string;
  current: boolean;
}

const ITEMS: { href: string; label: string; roles: readonly Role[] }[] = [
  { href: '/', label: 'nav.myPage', roles: ROLES },
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

/** The path of the request as the browser sent it (middleware may be mounted below the root). */
export function pathOf(request: Request): string {
  return new URL(request.originalUrl, 'http://mamori.invalid').pathname;
}
