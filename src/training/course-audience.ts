import type { CourseAudience } from './course.entity.js';

/**
 * The SQL condition that picks a course's audience among the rows of `staff` aliased `s` (active
 * status is checked by the caller). Parameters are appended to `params` and referred to by number,
 * so the condition can be put in any statement. The audience is matched as stored in the course
 * (JSON), so a statement can also take it from `c.audience` with {@link audienceSqlFromColumn}.
 */
export function audienceSql(audience: CourseAudience, params: unknown[]): string {
  if (audience.all) return 'TRUE';
  const parts: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (audience.roles?.length) parts.push(`s.roles && ${param(audience.roles)}::text[]`);
  if (audience.departmentIds?.length) parts.push(`s.department_id = ANY(${param(audience.departmentIds)}::uuid[])`);
  if (audience.employmentTypes?.length) parts.push(`s.employment_type = ANY(${param(audience.employmentTypes)}::text[])`);
  if (audience.newHiresSince) parts.push(`s.joined_on >= ${param(audience.newHiresSince)}::date`);
  return parts.length ? parts.map((part) => `(${part})`).join(' AND ') : 'FALSE';
}

/**
 * The same condition read from a course's `audience` column (alias `c`), for statements that match
 * people against many courses at once (a joiner against every open course).
 */
export const AUDIENCE_FROM_COLUMN = `(
  coalesce((c.audience->>'all')::boolean, false)
  OR (
    (c.audience ? 'roles' OR c.audience ? 'departmentIds' OR c.audience ? 'employmentTypes' OR c.audience ? 'newHiresSince')
    AND (NOT c.audience ? 'roles' OR jsonb_array_length(c.audience->'roles') = 0
         OR s.roles && ARRAY(SELECT jsonb_array_elements_text(c.audience->'roles')))
    AND (NOT c.audience ? 'departmentIds' OR jsonb_array_length(c.audience->'departmentIds') = 0
         OR s.department_id::text IN (SELECT jsonb_array_elements_text(c.audience->'departmentIds')))
    AND (NOT c.audience ? 'employmentTypes' OR jsonb_array_length(c.audience->'employmentTypes') = 0
         OR s.employment_type IN (SELECT jsonb_array_elements_text(c.audience->'employmentTypes')))
    AND (NOT c.audience ? 'newHiresSince' OR c.audience->>'newHiresSince' IS NULL
         OR s.joined_on >= (c.audience->>'newHiresSince')::date)
  )
)`;

/** Whether an audience names anybody at all (all, or at least one criterion). */
export function audienceIsEmpty(audience: CourseAudience): boolean {
  return !audience.all && !audience.roles?.length && !audience.departmentIds?.length && !audience.employmentTypes?.length && !audience.newHiresSince;
}
