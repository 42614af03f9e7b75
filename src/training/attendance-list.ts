import { parse } from 'csv-parse/sync';
import { AppException } from '../common/errors/app.exception.js';
import type { ProblemCode } from '../common/errors/problem-registry.js';

/**
 * The list of people present at a classroom session, as the security office brings it: a JSON list,
 * lines pasted into the page, or a CSV file with a column of employee numbers (職員番号). Every
 * problem is kept as an issue with a stable code the pages word in Japanese or English (the API
 * shows its English message), and with the line it is on.
 */

/** What can be wrong with the file or a row; the pages' messages are `courseAdmin.attendance.issue.<code>`. */
export const ATTENDANCE_ISSUE_CODES = [
  'missing',
  'binary',
  'encoding',
  'malformed',
  'noColumn',
  'empty',
  'tooLarge',
  'blank',
  'duplicate',
  'unknown',
  'notEnrolled',
  'exempt',
] as const;
export type AttendanceIssueCode = (typeof ATTENDANCE_ISSUE_CODES)[number];

/** One problem: where (the line; none for the whole file), what (code and the employee number, or the line it repeats), and the API's message. */
export interface AttendanceIssue {
  line?: number;
  field: 'employeeNumber' | 'employeeNumbers' | 'file';
  code: AttendanceIssueCode;
  employeeNumber?: string;
  firstLine?: number;
  message: string;
}

/** One person named as present, with the line of the list or file it is on. */
export interface AttendanceRow {
  line: number;
  employeeNumber: string;
}

/** A refused attendance list: nothing was recorded; `issues` says why, by line. */
export class AttendanceRefused extends AppException {
  constructor(
    code: ProblemCode,
    detail: string,
    readonly issues: AttendanceIssue[],
  ) {
    super(
      code,
      detail,
      issues.map(({ line, field, message }) => ({ ...(line !== undefined ? { line } : {}), field, messages: [message] })),
    );
  }
}

/** Bad rows: 400 ATTENDANCE_INVALID listing every one by line. */
export function rowsRefused(issues: AttendanceIssue[]): AttendanceRefused {
  const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return new AttendanceRefused('ATTENDANCE_INVALID', `${new Set(sorted.map((i) => i.line)).size} bad row(s); nothing was recorded`, sorted);
}

/** A problem of the whole file (400 ATTENDANCE_INVALID, unless another code is given). */
export function fileRefused(code: AttendanceIssueCode, message: string, problem: ProblemCode = 'ATTENDANCE_INVALID', line?: number): AttendanceRefused {
  return new AttendanceRefused(problem, message, [{ field: 'file', code, message, ...(line !== undefined ? { line } : {}) }]);
}

/** An employee number as typed: full-width digits and letters made half-width (NFKC), spaces around it dropped. */
export const normalizedNumber = (value: string): string => value.normalize('NFKC').trim();

/** The rows of a JSON list: line = the position in the list (1 = the first). */
export function rowsOfList(numbers: readonly string[]): AttendanceRow[] {
  return numbers.map((number, i) => ({ line: i + 1, employeeNumber: normalizedNumber(number) }));
}

/** The rows of lines pasted into the page: one employee number per line; empty lines are left out, others keep their line number. */
export function rowsOfPastedLines(text: string): AttendanceRow[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, i) => ({ line: i + 1, employeeNumber: normalizedNumber(line) }))
    .filter((row) => row.employeeNumber !== '');
}

/**
 * The file's text: UTF-8 (with or without the byte-order mark), or Shift_JIS, which Excel writes
 * for "CSV (comma delimited)" on Japanese Windows; anything else is refused.
 */
export function decodeAttendanceFile(buffer: Buffer): string {
  if (buffer.includes(0)) throw fileRefused('binary', 'The file is not a text CSV file');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    try {
      return new TextDecoder('shift_jis', { fatal: true }).decode(buffer);
    } catch {
      throw fileRefused('encoding', 'The file must be UTF-8 or Shift_JIS text (save it as "CSV UTF-8")');
    }
  }
}

/** The headers of the employee-number column, compared without spaces or case. */
const NUMBER_HEADERS = new Set(['職員番号', 'employeenumber', 'employee_number']);
const headerKey = (name: string): string => name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/**
 * The rows of a CSV file whose header names a column 職員番号 (or employeeNumber); other columns
 * (names, departments) are left alone. Lines are the file's (1 = the header); blank rows at the
 * end are no rows, blank ones before are issues the caller reports.
 */
export function readAttendanceCsv(text: string): AttendanceRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw fileRefused('malformed', (error as Error).message, 'ATTENDANCE_INVALID', line);
  }
  if (records.length === 0) throw fileRefused('empty', 'The file is empty', 'ATTENDANCE_INVALID', 1);
  const column = records[0]!.record.findIndex((name) => NUMBER_HEADERS.has(headerKey(name)));
  if (column < 0) throw fileRefused('noColumn', 'The header row has no column 職員番号 (employeeNumber)', 'ATTENDANCE_INVALID', 1);
  const rows = records
    .slice(1)
    .map(({ record, info }) => ({ line: info.lines, employeeNumber: normalizedNumber(record[column] ?? ''), blank: record.every((cell) => cell === '') }));
  while (rows.length && rows[rows.length - 1]!.blank) rows.pop();
  return rows.map(({ line, employeeNumber }) => ({ line, employeeNumber }));
}
