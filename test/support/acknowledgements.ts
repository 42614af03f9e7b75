import type { TestApp } from './test-app.js';

/** A policy acknowledgement duty as training keeps it: an enrolment in a version's `policy_acknowledgement` course. */
export interface AcknowledgementDutyRow {
  id: string;
  organizationId: string;
  staffId: string;
  policyVersionId: string;
  courseId: string;
  dueOn: string;
  acknowledgedAt: Date | null;
  clientAddress: string | null;
}

export interface AcknowledgementDutyFilter {
  organizationId?: string;
  staffId?: string;
  staffIds?: readonly string[];
  policyVersionId?: string;
  dueOn?: string;
  acknowledged?: boolean;
}

const FROM = `FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement'
  WHERE ($1::uuid IS NULL OR e.organization_id = $1::uuid) AND ($2::uuid IS NULL OR e.staff_id = $2::uuid)
    AND ($3::uuid[] IS NULL OR e.staff_id = ANY($3::uuid[])) AND ($4::uuid IS NULL OR c.policy_version_id = $4::uuid)
    AND ($5::date IS NULL OR e.due_on = $5::date) AND ($6::boolean IS NULL OR (e.completed_at IS NOT NULL) = $6::boolean)`;

const params = (where: AcknowledgementDutyFilter) => [
  where.organizationId ?? null,
  where.staffId ?? null,
  where.staffIds ?? null,
  where.policyVersionId ?? null,
  where.dueOn ?? null,
  where.acknowledged ?? null,
];

/** The duties that match, read from the enrolments of the policy versions' acknowledgement courses. */
export async function acknowledgementDuties(t: Pick<TestApp, 'dataSource'>, where: AcknowledgementDutyFilter = {}): Promise<AcknowledgementDutyRow[]> {
  return (await t.dataSource.query(
    `SELECT e.id, e.organization_id AS "organizationId", e.staff_id AS "staffId", c.policy_version_id AS "policyVersionId", c.id AS "courseId",
            e.due_on::text AS "dueOn", e.completed_at AS "acknowledgedAt", host(e.client_address) AS "clientAddress"
       ${FROM} ORDER BY e.id`,
    params(where),
  )) as AcknowledgementDutyRow[];
}

/** How many duties match. */
export async function countAcknowledgementDuties(t: Pick<TestApp, 'dataSource'>, where: AcknowledgementDutyFilter = {}): Promise<number> {
  const [row] = (await t.dataSource.query(`SELECT count(*)::int AS n ${FROM}`, params(where))) as { n: number }[];
  return row!.n;
}

/** Moves the due day of a person's duties (a late one, for the reminders). */
export async function setAcknowledgementDue(t: Pick<TestApp, 'dataSource'>, staffId: string, dueOn: string): Promise<void> {
  await t.dataSource.query(
    `UPDATE enrolments e SET due_on = $2::date FROM courses c WHERE c.id = e.course_id AND c.kind = 'policy_acknowledgement' AND e.staff_id = $1`,
    [staffId, dueOn],
  );
}
