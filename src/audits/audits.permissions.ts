import type { Actor } from '../common/actor.js';
import { definePermissions } from '../common/permissions.js';
import type { Role } from '../common/roles.js';
import type { AuditKind } from './audit.entity.js';

/** Who plans and runs the programme of audits: the security office (DESIGN.md §2). */
const OFFICE: readonly Role[] = ['security_officer'];
/** Who reads every audit: the security office and the CISO. */
export const AUDIT_READ_ALL: readonly Role[] = ['security_officer', 'ciso'];

/** An audit as the rules read it: its kind, its team and the departments it covers. */
export interface AuditTeam {
  kind: AuditKind;
  leadAuditorId: string;
  auditorIds: readonly string[];
  departmentIds: readonly string[];
}

/** An item as the rules read it: its audit and its department. */
export interface AuditedItem {
  audit: AuditTeam;
  departmentId: string;
}

/** The lead auditor or a member of the team. */
export function onTeam(actor: Pick<Actor, 'staffId'>, audit: AuditTeam): boolean {
  return actor.staffId !== null && (audit.leadAuditorId === actor.staffId || audit.auditorIds.includes(actor.staffId));
}

/** The manager of a department the audit covers. */
export function managesAudited(actor: Pick<Actor, 'roles' | 'departmentId'>, audit: AuditTeam): boolean {
  return actor.roles.includes('manager') && actor.departmentId !== null && audit.departmentIds.includes(actor.departmentId);
}

/** Whether the actor sees the audit: the office and the CISO every one, an auditor those they are on, a manager those of their department. */
export function seesAudit(actor: Actor, audit: AuditTeam): boolean {
  return actor.roles.some((role) => AUDIT_READ_ALL.includes(role)) || onTeam(actor, audit) || managesAudited(actor, audit);
}

/**
 * Who may answer an item: in an audit, its team; in a self-inspection, the manager of the item's
 * department (their own section only), or the team that runs it for them.
 */
export function answersItem(actor: Actor, item: AuditedItem): boolean {
  if (onTeam(actor, item.audit)) return true;
  return item.audit.kind === 'self_inspection' && actor.roles.includes('manager') && actor.departmentId === item.departmentId;
}

/** Who may do what with audits and self-inspections (監査・自己点検). */
export const AUDITS = definePermissions('audits', {
  /** read audits: the office and the CISO all; an auditor those they are on; a manager those of their department (its items only) */
  read: [...AUDIT_READ_ALL, 'auditor', 'manager'],
  /** plan an audit, change its plan, start it */
  plan: OFFICE,
  /** start an audit (the office, or its lead auditor) */
  start: {
    roles: ['security_officer', 'auditor'],
    when: (actor, audit: AuditTeam) => actor.roles.includes('security_officer') || audit.leadAuditorId === actor.staffId,
  },
  /** answer a checklist item, attach its evidence */
  answer: { roles: ['auditor', 'security_officer', 'manager'], when: (actor, item: AuditedItem) => answersItem(actor, item) },
  /** a manager signs off their department's self-inspection (課長確認) */
  sign_off: {
    roles: ['manager'],
    when: (actor, item: AuditedItem) => item.audit.kind === 'self_inspection' && actor.departmentId === item.departmentId,
  },
  /** move the audit to reporting, write the report's summary (the office, the lead auditor) */
  report: {
    roles: ['security_officer', 'auditor'],
    when: (actor, audit: AuditTeam) => actor.roles.includes('security_officer') || audit.leadAuditorId === actor.staffId,
  },
  /** accept the report, which closes the audit, or return it (the CISO) */
  accept: ['ciso'],
  /** the conformance trend across fiscal years */
  read_trend: AUDIT_READ_ALL,
});
