import type { ScopeRules } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { definePermissions } from '../common/permissions.js';
import { ROLES, type Role } from '../common/roles.js';

/** The security office raises findings by hand and verifies corrective actions; auditors verify too. */
const OFFICE: readonly Role[] = ['security_officer'];
const VERIFIERS: readonly Role[] = ['security_officer', 'auditor'];
/** Who reads every finding: the security office, the CISO, auditors, and the CSIRT (whose incident reviews raise them). */
const READ_ALL: readonly Role[] = ['security_officer', 'ciso', 'auditor', 'csirt'];

/** Whose findings a reader sees: READ_ALL every one, a manager their department's (the owner department). */
export const FINDING_SCOPE: ScopeRules = { all: READ_ALL, department: ['manager'] };

/** A finding as the rules read it: the department that owns it. */
export interface OwnedFinding {
  ownerDepartmentId: string | null;
}

/** A corrective action as the rules read it: who does it, and the department that owns its finding. */
export interface AssignedAction extends OwnedFinding {
  assigneeId: string | null;
}

/** The manager of the department that owns the finding (their own department). */
export function managesOwner(actor: Pick<Actor, 'roles' | 'departmentId'>, finding: OwnedFinding): boolean {
  return actor.roles.includes('manager') && finding.ownerDepartmentId !== null && finding.ownerDepartmentId === actor.departmentId;
}

/** Who may do what with findings (指摘事項) and corrective actions (是正措置). */
export const FINDINGS = definePermissions('findings', {
  /** read findings and their actions (a manager: their department's) */
  read: [...READ_ALL, 'manager'],
  /** raise a finding by hand (source `manual`) */
  raise: OFFICE,
  /** plan a corrective action of a finding: the security office and auditors any, a manager their department's */
  plan_action: {
    roles: ['security_officer', 'auditor', 'manager'],
    when: (actor, finding: OwnedFinding) => actor.roles.some((role) => VERIFIERS.includes(role)) || managesOwner(actor, finding),
  },
  /** report an action done: its assignee, or the manager of the finding's department */
  report_progress: {
    roles: ROLES,
    when: (actor, action: AssignedAction) => (action.assigneeId !== null && action.assigneeId === actor.staffId) || managesOwner(actor, action),
  },
  /** verify an action done, or reopen it (the security office, auditors) */
  verify: VERIFIERS,
});
