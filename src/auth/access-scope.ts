import type { Actor } from '../common/actor.js';
import { SqlConditions } from '../database/sql-conditions.js';
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
 * The conditions that narrow a read to the organisation and the scope. `columns` name the record's
 * organisation, department and owner columns as `alias.column`.
 */
export function scopeConditions(actor: Actor, scope: AccessScope, columns: { organization: string; department: string; owner: string }): SqlConditions {
  const where = new SqlConditions().add(`${columns.organization} = ?`, actor.organizationId);
  switch (scope.kind) {
    case 'all':
      return where;
    case 'department':
      return where.add(`${columns.department} = ? OR ${columns.owner} = ?`, scope.departmentId, scope.staffId);
    case 'own':
      return where.add(`${columns.owner} = ?`, scope.staffId);
  }
}
