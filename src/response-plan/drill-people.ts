import type { EntityManager } from 'typeorm';
import type { DrillInvitation } from './drill-calendar.js';
import type { Drill, DrillInvitees } from './drill.entity.js';

/**
 * Whether the member of staff `s` is one of the people of the drill `d` (SQL, aliases `s` and `d`):
 * its facilitator, or invited by id, by a role they hold or by their department.
 */
export const DRILL_PERSON_SQL = `(s.id = d.facilitator_id OR d.invitees -> 'staffIds' ? s.id::text OR d.invitees -> 'roles' ?| s.roles
  OR (s.department_id IS NOT NULL AND d.invitees -> 'departmentIds' ? s.department_id::text))`;

/** The active staff a drill invites: by name, by role, by department. */
export const INVITED_STAFF_SQL = `
  SELECT s.id FROM staff s
   WHERE s.organization_id = $1 AND s.status = 'active'
     AND (s.id = ANY($2::uuid[]) OR s.roles && $3::text[] OR s.department_id = ANY($4::uuid[]))`;

export function invitedStaffParameters(organizationId: string, invitees: DrillInvitees): unknown[] {
  return [organizationId, invitees.staffIds ?? [], invitees.roles ?? [], invitees.departmentIds ?? []];
}

/** The active members of staff a drill's facilitator and invitees name (people, roles, departments), by id. */
export async function drillPeople(manager: EntityManager, organizationId: string, plan: { facilitatorId: string; invitees: DrillInvitees }): Promise<string[]> {
  const people = { ...plan.invitees, staffIds: [plan.facilitatorId, ...(plan.invitees.staffIds ?? [])] };
  const rows = (await manager.query(`${INVITED_STAFF_SQL} ORDER BY s.employee_number`, invitedStaffParameters(organizationId, people))) as { id: string }[];
  return rows.map((row) => row.id);
}

/** What a drill's invitation says, for drills of one organisation: the scenario's title and the facilitator as organiser. */
export async function invitationsOf(manager: EntityManager, organizationId: string, drills: readonly Drill[]): Promise<Map<string, DrillInvitation>> {
  if (drills.length === 0) return new Map();
  const rows = (await manager.query(
    `SELECT d.id, sc.title AS scenario_title, st.email, st.family_name || ' ' || st.given_name AS name
       FROM drills d LEFT JOIN response_scenarios sc ON sc.id = d.scenario_id
       LEFT JOIN staff st ON st.id = d.facilitator_id AND st.organization_id = d.organization_id
      WHERE d.organization_id = $1 AND d.id = ANY($2::uuid[])`,
    [organizationId, drills.map((drill) => drill.id)],
  )) as { id: string; scenario_title: string | null; email: string | null; name: string | null }[];
  const facts = new Map(rows.map((row) => [row.id, row]));
  return new Map(
    drills.map((drill) => {
      const row = facts.get(drill.id);
      return [
        drill.id,
        {
          id: drill.id,
          title: drill.title,
          kind: drill.kind,
          scenarioTitle: row?.scenario_title ?? '',
          startsAt: drill.startsAt,
          endsAt: drill.endsAt,
          location: drill.location,
          onlineUrl: drill.onlineUrl,
          sequence: drill.sequence,
          cancelled: drill.status === 'cancelled',
          organizerEmail: row?.email ?? null,
          organizerName: row?.name ?? null,
        },
      ];
    }),
  );
}
