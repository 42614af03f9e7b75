/** The roles of DESIGN.md §2. A person may hold several. */
export const ROLES = ['admin', 'ciso', 'security_officer', 'csirt', 'auditor', 'manager', 'staff'] as const;
export type Role = (typeof ROLES)[number];

const PRIVILEGED = ['admin', 'ciso', 'security_officer', 'csirt', 'auditor'] as const satisfies readonly Role[];

/** A role that signs in with a second factor and is granted or removed only through a role request (DESIGN.md §2). */
export type PrivilegedRole = (typeof PRIVILEGED)[number];

/** Roles that must sign in with a second factor (DESIGN.md §2). */
export const PRIVILEGED_ROLES: readonly Role[] = PRIVILEGED;

/** The same roles, typed as such (validation, enums of the API). */
export const PRIVILEGED_ROLE_NAMES: readonly PrivilegedRole[] = PRIVILEGED;

export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((role) => PRIVILEGED_ROLES.includes(role));
}

export function isPrivilegedRole(role: string): role is PrivilegedRole {
  return (PRIVILEGED_ROLES as readonly string[]).includes(role);
}

/** The privileged roles `after` adds to `before`, and those it removes. */
export function privilegedRoleChanges(before: readonly Role[], after: readonly Role[]): { granted: PrivilegedRole[]; revoked: PrivilegedRole[] } {
  return {
    granted: PRIVILEGED.filter((role) => after.includes(role) && !before.includes(role)),
    revoked: PRIVILEGED.filter((role) => before.includes(role) && !after.includes(role)),
  };
}
