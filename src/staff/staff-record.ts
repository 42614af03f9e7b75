import type { StaffView } from './dto/staff-view.dto.js';
import type { Staff } from './staff.entity.js';

/**
 * What a staff read shows (never the secrets or the sign-in counters), in one query with the
 * department, over `staff s LEFT JOIN departments d`: the lists, "me" and the session check of
 * every request read these columns in prepared statements, not through query builders.
 */
export const STAFF_COLUMNS_SQL = `s.id, s.organization_id, s.employee_number, s.family_name, s.given_name, s.family_name_kana, s.given_name_kana, s.email,
       s.department_id, s.roles, s.status, s.employment_type, s.joined_on::text AS joined_on, s.left_on::text AS left_on, s.locale, s.totp_confirmed_at,
       s.last_login_at, s.created_at, s.updated_at, d.code AS department_code, d.name AS department_name, d.name_en AS department_name_en`;

/**
 * The name search: `s.search_key` (name, kana, e-mail address, employee number, kept by the
 * database) holds the search folded the same way (`staff_search_text`: hiragana as katakana, no
 * spaces, NFKC, lower case), with LIKE's own characters escaped; its trigram index answers it.
 */
export const STAFF_SEARCH_SQL = `s.search_key LIKE '%' || replace(replace(replace(staff_search_text(?), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;

/** A staff read: `${STAFF_SELECT} WHERE …` over `staff s` and its department `d`. */
export const STAFF_SELECT = `SELECT ${STAFF_COLUMNS_SQL} FROM staff s LEFT JOIN departments d ON d.id = s.department_id`;

export interface StaffRow {
  id: string;
  organization_id: string;
  employee_number: string;
  family_name: string;
  given_name: string;
  family_name_kana: string | null;
  given_name_kana: string | null;
  email: string;
  department_id: string | null;
  roles: Staff['roles'];
  status: Staff['status'];
  employment_type: Staff['employmentType'];
  joined_on: string | null;
  left_on: string | null;
  locale: Staff['locale'];
  totp_confirmed_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
  department_code: string | null;
  department_name: string | null;
  department_name_en: string | null;
}

/** What a staff read shows of a row (the API's StaffView, the pages' person), with its department. */
export function staffViewOf(row: StaffRow): StaffView {
  return {
    id: row.id,
    employeeNumber: row.employee_number,
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    email: row.email,
    departmentId: row.department_id,
    department: row.department_id ? { id: row.department_id, code: row.department_code!, name: row.department_name!, nameEn: row.department_name_en } : null,
    roles: row.roles,
    status: row.status,
    employmentType: row.employment_type,
    joinedOn: row.joined_on,
    leftOn: row.left_on,
    locale: row.locale,
    totpConfirmedAt: row.totp_confirmed_at,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
