import type { Actor } from '../common/actor.js';
import { definePermissions } from '../common/permissions.js';
import { ROLES, type Role } from '../common/roles.js';
import type { Drill } from './drill.entity.js';

/** Who the plan names for out-of-hours numbers: the CISO, the security office, the CSIRT. */
export const PLAN_RESPONDERS: readonly Role[] = ['ciso', 'security_officer', 'csirt'];

/** Who may do what with the emergency response plan (緊急時対応計画). */
export const RESPONSE_PLAN = definePermissions('response_plan', {
  /** read the scenarios and their playbooks (every member of staff: the plan is for everyone) */
  read: ROLES,
  /** read the outside contacts (the office, the CSIRT, the CISO, managers); out-of-hours numbers only for PLAN_RESPONDERS */
  read_contacts: [...PLAN_RESPONDERS, 'manager', 'admin'],
  /** schedule, change and cancel drills (the security office) */
  schedule_drills: ['security_officer'],
  /** read a drill and its invitation: the office, the CISO, the CSIRT, auditors, its facilitator and its invitees */
  read_drill: { roles: ROLES, when: (actor: Actor, drill: Pick<Drill, 'facilitatorId' | 'invitees'>) => seesDrill(actor, drill) },
  /** run a drill (start, attendance, steps, injects, finish, the paper record, lessons, its findings): its facilitator or the security office */
  run_drill: { roles: ROLES, when: (actor: Actor, drill: Pick<Drill, 'facilitatorId'>) => runsDrill(actor, drill) },
  /** the drill figures of a fiscal year (drills held, attendance, steps on time) */
  read_drill_figures: ['ciso', 'security_officer', 'csirt', 'auditor', 'admin'],
  /** edit the plan's text and its scenarios' playbooks in the app (a draft version of the plan) */
  edit_plan: ['security_officer'],
  /** read the plan's drafts (versions awaiting approval) and their changes */
  read_plan_drafts: ['security_officer', 'ciso'],
  /** approve a draft version of the plan (with the second factor; not one's own draft) */
  approve_plan: ['ciso'],
  /** propose from a drill to change a step of its scenario: the drill's facilitator or the security office */
  propose_change: {
    roles: ROLES,
    when: (actor: Actor, drill: Pick<Drill, 'facilitatorId'>) =>
      actor.roles.includes('security_officer') || (!!actor.staffId && drill.facilitatorId === actor.staffId),
  },
});

/** Whether the person runs the drill: its facilitator, or the security office. */
export function runsDrill(actor: Actor, drill: Pick<Drill, 'facilitatorId'>): boolean {
  return !!actor.system || actor.roles.includes('security_officer') || (!!actor.staffId && actor.staffId === drill.facilitatorId);
}

/** Who reads every drill: the office, the CISO, the CSIRT, and auditors (drills are part of what they audit, plan item III-5). */
export const DRILL_READ_ALL: readonly Role[] = ['security_officer', 'ciso', 'csirt', 'auditor'];

/** Whether the person reads the drill: the office, the CISO, the CSIRT, the facilitator, or an invitee (by id, role or department). */
export function seesDrill(actor: Actor, drill: Pick<Drill, 'facilitatorId' | 'invitees'>): boolean {
  if (actor.system || actor.roles.some((role) => DRILL_READ_ALL.includes(role))) return true;
  if (actor.staffId && (drill.facilitatorId === actor.staffId || drill.invitees.staffIds?.includes(actor.staffId))) return true;
  if (actor.roles.some((role) => drill.invitees.roles?.includes(role))) return true;
  return !!actor.departmentId && !!drill.invitees.departmentIds?.includes(actor.departmentId);
}
