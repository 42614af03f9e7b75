import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from './actor.js';
import { AppException } from './errors/app.exception.js';
import type { Role } from './roles.js';

/**
 * Who may do one thing: the roles, and optionally a rule about the record it is done to. Declared
 * once per feature in `<feature>.permissions.ts`; the same object drives the route's `@May` (and so
 * `@Roles` and the OpenAPI `x-roles`), the navigation, and `assertMay` at the top of the service
 * method, so an API route, a page and a CLI command cannot disagree.
 */
export interface Permission<S = unknown> {
  /** `<feature>.<action>`, e.g. `controls.add_evidence` */
  readonly name: string;
  readonly roles: readonly Role[];
  /** a rule on the record, checked when the caller names one (e.g. "only their own duty") */
  readonly when?: (actor: Actor, subject: S) => boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rule = readonly Role[] | { roles: readonly Role[]; when?: (actor: Actor, subject: any) => boolean };
type SubjectOf<R> = R extends { when: (actor: Actor, subject: infer S) => boolean } ? S : unknown;
export type PermissionSet<T extends Record<string, Rule>> = { readonly [K in keyof T]: Permission<SubjectOf<T[K]>> };

const declared = new Map<string, Permission<never>>();

/** Every permission declared so far, by name (the route test walks them). */
export function declaredPermissions(): ReadonlyMap<string, Permission<never>> {
  return declared;
}

/** A feature's table of permissions: `definePermissions('controls', { read: ROLES, add_evidence: ['security_officer'] })`. */
export function definePermissions<const T extends Record<string, Rule>>(feature: string, rules: T): PermissionSet<T> {
  const set = {} as Record<string, Permission<never>>;
  for (const [action, rule] of Object.entries(rules)) {
    const name = `${feature}.${action}`;
    const permission: Permission<never> = Array.isArray(rule)
      ? { name, roles: rule as readonly Role[] }
      : { name, roles: (rule as { roles: readonly Role[] }).roles, when: (rule as { when?: Permission<never>['when'] }).when };
    declared.set(name, permission);
    set[action] = permission;
  }
  return set as PermissionSet<T>;
}

/**
 * Whether the actor holds one of the permission's roles (and, given a record, passes its rule).
 * Mamori itself (`systemActor`: the operator's CLI, seeds, jobs) may do everything; a request's
 * caller is never a system actor.
 */
export function may<S>(actor: Pick<Actor, 'roles'> & Partial<Actor>, permission: Permission<S>, ...subject: [] | [S]): boolean {
  if (actor.system) return true;
  if (!actor.roles.some((role) => permission.roles.includes(role))) return false;
  if (subject.length === 0 || !permission.when) return true;
  return permission.when(actor as Actor, subject[0] as S);
}

/** One `assertMay` while serving a request: the permission, and whether the actor's roles passed it. */
export interface AssertedPermission {
  permission: Permission<never>;
  rolesPassed: boolean;
}

/**
 * The permissions asserted while serving one request, when something listens (the tests check
 * that a route's `@May` and the `assertMay` of the services it calls agree).
 */
export const assertedPermissions = new AsyncLocalStorage<AssertedPermission[]>();

/** The first line of a service method: refuses with 403 FORBIDDEN naming the roles that may. */
export function assertMay<S>(actor: Actor, permission: Permission<S>, ...subject: [] | [S]): void {
  assertedPermissions.getStore()?.push({ permission: permission as Permission<never>, rolesPassed: may(actor, permission) });
  if (may(actor, permission, ...subject)) return;
  throw refusal(permission);
}

/** 403 FORBIDDEN naming the roles that may (the access guard's answer too). */
export function refusal(permission: Permission<never>): AppException {
  return new AppException('FORBIDDEN', `Requires one of: ${permission.roles.join(', ')}`, undefined, { requiredRoles: permission.roles });
}
