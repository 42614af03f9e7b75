import { fiscalYearOf } from '../common/dates.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { Audit, AuditScope } from './audit.entity.js';

/**
 * The controls of a scope, as a condition on `controls c` with parameters $chapters (int[] or null),
 * $named (uuid[] or null) and $essential (bool): the chapters named (every chapter when none is
 * named, unless the scope is only a list of controls), only the essential ones when asked, plus the
 * controls named.
 */
export function scopeCondition(chapters: string, named: string, essential: string): string {
  return `(((${chapters}::int[] IS NOT NULL AND c.chapter = ANY(${chapters}::int[])) OR (${chapters}::int[] IS NULL AND (${named}::uuid[] IS NULL OR ${essential})))
            AND (NOT ${essential} OR c.essential) OR c.id = ANY(${named}::uuid[]))`;
}

/** The parameters of `scopeCondition`, in order. */
export function scopeParameters(scope: AuditScope): [number[] | null, string[] | null, boolean] {
  return [scope.chapters?.length ? scope.chapters : null, scope.controlIds?.length ? scope.controlIds : null, scope.essentialOnly === true];
}

/** The roles that may lead or join an audit team. */
const AUDITOR_ROLES = ['auditor', 'security_officer'];

/** The team without the lead and without repeats. */
export function teamWithoutLead(leadAuditorId: string, auditorIds: readonly string[] = []): string[] {
  return [...new Set(auditorIds)].filter((id) => id !== leadAuditorId);
}

/** A scope as stored: chapters sorted, no repeats, empty parts left out. */
export function scopeOf(dto: AuditScope): AuditScope {
  return {
    ...(dto.chapters?.length ? { chapters: [...new Set(dto.chapters)].sort((a, b) => a - b) } : {}),
    ...(dto.controlIds?.length ? { controlIds: [...new Set(dto.controlIds)] } : {}),
    ...(dto.essentialOnly ? { essentialOnly: true } : {}),
    departmentIds: [...new Set(dto.departmentIds)],
  };
}

/** The one check a start repeats, in one statement: nobody on the team now belongs to a department in scope. */
export async function assertTeamOutsideScope(tx: Transaction, audit: Pick<Audit, 'leadAuditorId' | 'auditorIds' | 'departmentIds'>): Promise<void> {
  const people = [audit.leadAuditorId, ...audit.auditorIds];
  const rows = (await tx.manager.query(
    `SELECT s.id, s.family_name || ' ' || s.given_name AS name, d.name AS department
       FROM staff s JOIN departments d ON d.id = s.department_id
      WHERE s.organization_id = $1 AND s.id = ANY($2::uuid[]) AND s.department_id = ANY($3::uuid[])`,
    [tx.actor.organizationId, people, audit.departmentIds],
  )) as { id: string; name: string; department: string }[];
  if (!rows.length) return;
  const fieldOf = (id: string) => (id === audit.leadAuditorId ? 'leadAuditorId' : `auditorIds.${audit.auditorIds.indexOf(id)}`);
  const departments = [...new Set(rows.map((row) => row.department))];
  throw new AppException(
    'AUDIT_OWN_DEPARTMENT',
    `An auditor may not audit their own department: ${departments.join('、')}`,
    rows.map((row) => ({
      field: fieldOf(row.id),
      messages: [`${row.name} belongs to ${row.department}, which is in scope: an auditor may not audit their own department`],
    })),
    { departments },
  );
}

/**
 * Checks a plan: the dates in order and the start in the fiscal year; the departments, controls and
 * auditors exist (auditors active, with the auditor or security officer role); and, for an audit
 * (not a self-inspection), no auditor belongs to a department in scope.
 */
export async function assertPlan(
  tx: Transaction,
  plan: Pick<Audit, 'fiscalYear' | 'kind' | 'scope' | 'leadAuditorId' | 'auditorIds' | 'plannedStart' | 'plannedEnd'>,
): Promise<void> {
  const errors: FieldError[] = [];
  if (plan.plannedEnd < plan.plannedStart) errors.push({ field: 'plannedEnd', messages: ['must be on or after plannedStart'] });
  if (fiscalYearOf(plan.plannedStart) !== plan.fiscalYear)
    errors.push({
      field: 'plannedStart',
      messages: [`must fall in fiscal year ${plan.fiscalYear} (${plan.fiscalYear}-04-01 to ${plan.fiscalYear + 1}-03-31)`],
    });
  if (errors.length) throw new AppException('VALIDATION_FAILED', undefined, errors);

  const org = tx.actor.organizationId;
  const people = [plan.leadAuditorId, ...plan.auditorIds];
  const [departments, controls, auditors] = await Promise.all([
    tx.manager.query(`SELECT id, name FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND closed_on IS NULL`, [
      org,
      plan.scope.departmentIds,
    ]) as Promise<{ id: string; name: string }[]>,
    plan.scope.controlIds?.length
      ? (tx.manager.query(`SELECT id FROM controls WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND retired_at IS NULL`, [
          org,
          plan.scope.controlIds,
        ]) as Promise<{ id: string }[]>)
      : Promise.resolve([]),
    tx.manager.query(
      `SELECT id, department_id, family_name || ' ' || given_name AS name, roles::text[] && $3::text[] AS audits
         FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`,
      [org, people, AUDITOR_ROLES],
    ) as Promise<{ id: string; department_id: string | null; name: string; audits: boolean }[]>,
  ]);
  const departmentNames = new Map(departments.map((d) => [d.id, d.name]));
  const unknownDepartments = plan.scope.departmentIds.filter((id) => !departmentNames.has(id));
  if (unknownDepartments.length) errors.push({ field: 'scope.departmentIds', messages: [`no such open department: ${unknownDepartments.join(', ')}`] });
  const knownControls = new Set(controls.map((c) => c.id));
  const unknownControls = (plan.scope.controlIds ?? []).filter((id) => !knownControls.has(id));
  if (unknownControls.length) errors.push({ field: 'scope.controlIds', messages: [`no such control in force: ${unknownControls.join(', ')}`] });
  const byId = new Map(auditors.map((a) => [a.id, a]));
  const fieldOf = (i: number) => (i === 0 ? 'leadAuditorId' : `auditorIds.${i - 1}`);
  people.forEach((id, i) => {
    const person = byId.get(id);
    if (!person || !person.audits)
      errors.push({ field: fieldOf(i), messages: ['must be an active member of staff with the auditor or security officer role'] });
  });
  if (errors.length) throw new AppException('AUDIT_LINK_INVALID', undefined, errors);

  if (plan.kind === 'self_inspection') return;
  const own: FieldError[] = [];
  people.forEach((id, i) => {
    const person = byId.get(id)!;
    if (person.department_id && departmentNames.has(person.department_id))
      own.push({
        field: fieldOf(i),
        messages: [`${person.name} belongs to ${departmentNames.get(person.department_id)}, which is in scope: an auditor may not audit their own department`],
      });
  });
  if (own.length) {
    const names = [...new Set(own.map((e) => e.messages[0]!.split(' belongs to ')[1]!.split(', which')[0]))];
    throw new AppException('AUDIT_OWN_DEPARTMENT', `An auditor may not audit their own department: ${names.join('、')}`, own, {
      departments: names,
    });
  }
}
