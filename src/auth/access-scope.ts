import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/actor.js';
import type { Role } from '../common/roles.js';

/** What part of a kind of record a person may see (DESIGN.md §2). */
export type AccessScope =
  { kind: 'all' } | { kind: 'department'; departmentId: string | null; staffId: string | null } | { kind: 'own'; staffId: string | null };

export interface ScopeRules {
  /** roles that see every record of the organisation */
  all: readonly Role[];
  /** roles that see their own department's records (and their own) */
  department: readonly Role[];
}

export function accessScope(actor: Actor, rules: ScopeRules): AccessScope {
  if (actor.roles.some((role) => rules.all.includes(role))) return { kind: 'all' };
  if (actor.roles.some((role) => rules.department.includes(role))) return { kind: 'department', departmentId: actor.departmentId, staffId: actor.staffId };
  return { kind: 'own', staffId: actor.staffId };
}

/**
 * Narrows a query to the organisation and the scope. `columns` name the record's department and
 * owner columns as `alias.column` paths.
 */
export function applyScope<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  actor: Actor,
  scope: AccessScope,
  columns: { organization: string; department: string; owner: string },
): SelectQueryBuilder<T> {
  query.andWhere(`${columns.organization} = :scopeOrganizationId`, { scopeOrganizationId: actor.organizationId });
  switch (scope.kind) {
    case 'all':
      return query;
    case 'department':
      return query.andWhere(`(${columns.department} = :scopeDepartmentId OR ${columns.owner} = :scopeStaffId)`, {
        scopeDepartmentId: scope.departmentId,
        scopeStaffId: scope.staffId,
      });
    case 'own':
      return query.andWhere(`${columns.owner} = :scopeStaffId`, { scopeStaffId: scope.staffId });
  }
}
