/** The roles of DESIGN.md §2. A person may hold several. */
export const ROLES = ['admin', 'ciso', 'security_officer', 'csirt', 'auditor', 'manager', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that must sign in with a second factor (DESIGN.md §2). */
export const PRIVILEGED_ROLES: readonly Role[] = ['admin', 'ciso', 'security_officer', 'csirt', 'auditor'];

export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((role) => PRIVILEGED_ROLES.includes(role));
}
