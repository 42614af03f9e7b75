import type { Actor } from '../common/actor.js';
import { definePermissions } from '../common/permissions.js';
import type { Role } from '../common/roles.js';

/** The security office, which chases any department. */
const OFFICE: readonly Role[] = ['security_officer', 'ciso'];

/** The department a chase is about: its id and its head. */
export interface ChasedDepartment {
  id: string;
  headId: string | null;
}

/**
 * Who chases a department's people: the security office any department; a manager the department
 * they belong to, or one they head (departments.head_id). A head without the manager role is given
 * it by an administrator (it is not a privileged role).
 */
export function chases(actor: Pick<Actor, 'roles' | 'departmentId' | 'staffId'>, department: ChasedDepartment): boolean {
  if (actor.roles.some((role) => OFFICE.includes(role))) return true;
  if (!actor.roles.includes('manager')) return false;
  return department.id === actor.departmentId || (department.headId !== null && department.headId === actor.staffId);
}

/** Who may see what a department's people still owe, and remind them. */
export const DEPARTMENT_DUTIES = definePermissions('department_duties', {
  /** each active person of the department with their outstanding duties and when they were last reminded */
  read: { roles: ['manager', ...OFFICE], when: chases },
  /** one reminder per person per day, by e-mail */
  remind: { roles: ['manager', ...OFFICE], when: chases },
});
