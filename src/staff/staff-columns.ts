import type { EntityManager } from 'typeorm';
import type { Staff } from './staff.entity.js';

/** The SQL type a field's value is read as from the JSON document of a bulk statement (`json_to_recordset`). */
type JsonColumnType = 'text' | 'uuid' | 'date' | 'text[]';

/**
 * The fields of a staff record that creating or changing a person writes, with their columns: the
 * set-based writes of the HR import (`insertStaffRows`, `updateStaffRows`) are built from this
 * list, so a new column of the record is one line here.
 */
export const STAFF_FIELD_COLUMNS = [
  { field: 'employeeNumber', column: 'employee_number', type: 'text' },
  { field: 'familyName', column: 'family_name', type: 'text' },
  { field: 'givenName', column: 'given_name', type: 'text' },
  { field: 'familyNameKana', column: 'family_name_kana', type: 'text' },
  { field: 'givenNameKana', column: 'given_name_kana', type: 'text' },
  { field: 'email', column: 'email', type: 'text' },
  { field: 'departmentId', column: 'department_id', type: 'uuid' },
  { field: 'roles', column: 'roles', type: 'text[]' },
  { field: 'status', column: 'status', type: 'text' },
  { field: 'employmentType', column: 'employment_type', type: 'text' },
  { field: 'joinedOn', column: 'joined_on', type: 'date' },
  { field: 'leftOn', column: 'left_on', type: 'date' },
  { field: 'locale', column: 'locale', type: 'text' },
] as const satisfies readonly { field: keyof Staff; column: string; type: JsonColumnType }[];

export type StaffWrittenField = (typeof STAFF_FIELD_COLUMNS)[number]['field'];

/** The fields a new staff member is written with (their id chosen beforehand). */
export type NewStaffRow = Pick<Staff, 'id' | StaffWrittenField>;

/** Rows per statement (they travel as one JSON document, so the bound is its size, never PostgreSQL's 65,535 parameters). */
const CHUNK = 10_000;

type Column = (typeof STAFF_FIELD_COLUMNS)[number];

/** The rows as one JSON document: an array of objects keyed by column. */
function document(rows: readonly Pick<Staff, 'id' | StaffWrittenField>[], columns: readonly Column[]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries([['id', row.id], ...columns.map((c) => [c.column, row[c.field] ?? null])])));
}

const definitions = (columns: readonly Column[]): string => ['id uuid', ...columns.map((c) => `${c.column} ${c.type}`)].join(', ');

/**
 * Inserts new staff members of `organizationId`, one statement per CHUNK rows: `INSERT … SELECT FROM
 * json_to_recordset(…)`, the rows in one JSON parameter.
 */
export async function insertStaffRows(manager: EntityManager, organizationId: string, rows: readonly NewStaffRow[]): Promise<void> {
  const names = STAFF_FIELD_COLUMNS.map((c) => c.column).join(', ');
  const sql = `INSERT INTO staff (id, organization_id, ${names})
    SELECT id, $1::uuid, ${names}
      FROM ROWS FROM (json_to_recordset($2::json) AS (${definitions(STAFF_FIELD_COLUMNS)})) WITH ORDINALITY AS row (id, ${names}, n)
     ORDER BY n`;
  for (let i = 0; i < rows.length; i += CHUNK) await manager.query(sql, [organizationId, document(rows.slice(i, i + CHUNK), STAFF_FIELD_COLUMNS)]);
}

/**
 * Writes the fields of `rows` (their values after the change; the employee number, by which rows
 * are matched, stays) to the staff members with their ids, one statement per CHUNK rows. The caller
 * holds the rows' locks (`SELECT … FOR UPDATE`) and read them under those locks.
 */
export async function updateStaffRows(manager: EntityManager, organizationId: string, rows: readonly Pick<Staff, 'id' | StaffWrittenField>[]): Promise<void> {
  const written = STAFF_FIELD_COLUMNS.filter((c) => c.field !== 'employeeNumber');
  const sql = `UPDATE staff s SET ${written.map((c) => `${c.column} = row.${c.column}`).join(', ')}, updated_at = now()
      FROM json_to_recordset($2::json) AS row (${definitions(written)})
     WHERE s.id = row.id AND s.organization_id = $1`;
  for (let i = 0; i < rows.length; i += CHUNK) await manager.query(sql, [organizationId, document(rows.slice(i, i + CHUNK), written)]);
}
