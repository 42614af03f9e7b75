import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { parse } from 'csv-parse';
import { AppException } from '../common/errors/app.exception.js';
import type { ProblemCode } from '../common/errors/problem-registry.js';
import { ROLES } from '../common/roles.js';
import { StaffFieldsDto } from './dto/staff.dto.js';
import { DEFAULT_EMPLOYMENT_TYPE, employmentTypeOf } from './employment.js';
import type { EmploymentStatus } from './staff.entity.js';

/**
 * The HR system's staff CSV, read in memory: the columns an export may have, every row checked
 * against the API's own rules (StaffFieldsDto), and every problem kept as an issue with a stable
 * code the pages word in Japanese or English (the API shows its English `message`).
 */

/** What can be wrong with the file, a column or a row; the pages' messages are `staffImport.issue.<code>`. */
export const IMPORT_ISSUE_CODES = [
  'missing',
  'notCsv',
  'binary',
  'notUtf8',
  'tooLarge',
  'empty',
  'malformed',
  'unknownColumn',
  'missingColumn',
  'required',
  'tooLong',
  'invalid',
  'roleUnknown',
  'dateInvalid',
  'statusUnknown',
  'employmentTypeUnknown',
  'departmentUnknown',
  'departmentClosed',
  'ownRoles',
  'duplicate',
  'emailTaken',
  'privilegedRole',
  'privilegedEmail',
  'openRoleRequest',
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

/** One problem: where (line of the file, column), what (code and its values), and the API's English message. */
export interface ImportIssue {
  /** the line of the file (1 = the header); none for a problem of the whole file */
  line?: number;
  /** the column's name (`employeeNumber`, `departmentCode`, …), `file`, or an unknown header as written */
  field: string;
  code: ImportIssueCode;
  values?: Record<string, string>;
  message: string;
}

/**
 * A refused import: the problem (415 not a UTF-8 CSV file, 413 too large, 400 no file, 422 bad
 * rows or columns) and its issues. The API answers the problem with `errors` (line, field, English
 * messages); the pages list the issues in their own words.
 */
export class StaffImportRefused extends AppException {
  constructor(
    code: ProblemCode,
    detail: string,
    readonly issues: ImportIssue[],
  ) {
    super(
      code,
      detail,
      issues.map(({ line, field, message }) => ({ ...(line !== undefined ? { line } : {}), field, messages: [message] })),
    );
  }
}

/** Refuses the whole file with one issue about it. */
export function fileRefused(code: ProblemCode, detail: string, issue: ImportIssueCode, message: string, values?: Record<string, string>): StaffImportRefused {
  return new StaffImportRefused(code, detail, [{ field: 'file', code: issue, message, ...(values ? { values } : {}) }]);
}

/** Bad rows or columns: 422 listing every one by line (the API's order: by line, then as found). */
export function rowsRefused(issues: ImportIssue[]): StaffImportRefused {
  const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return new StaffImportRefused('STAFF_IMPORT_INVALID', `${new Set(sorted.map((i) => i.line)).size} bad row(s); nothing was imported`, sorted);
}

/** What reading a cell gives: the field's value, or what is wrong with it. */
type Reading = { value: unknown } | { issue: Omit<ImportIssue, 'line' | 'field'> };

interface ReadContext {
  /** department code → id, of the importing organisation */
  departments: ReadonlyMap<string, string>;
}

/** A column of the HR file: its names in exports, the staff field it fills, and how its text is read. */
export interface ImportColumn {
  /** its name in issues and on the pages (`staffImport.column.<name>`) */
  name: string;
  /** the staff field it fills */
  field: keyof StaffFieldsDto;
  /** the headers an export may give it (matched without spaces, in any case) */
  headers: readonly string[];
  /** the file must have it */
  required?: boolean;
  /** how a cell is read; by default its text, an empty cell being null (a required column's stays '', which the rules refuse) */
  read?: (text: string, context: ReadContext) => Reading;
  /** a file without the column leaves the field of known people as it is (new people get its default) */
  keepWhenAbsent?: boolean;
}

const STATUS_WORDS: Record<string, EmploymentStatus> = {
  在職: 'active',
  休職: 'on_leave',
  退職: 'retired',
  active: 'active',
  on_leave: 'on_leave',
  retired: 'retired',
};

const readStatus = (text: string): Reading => {
  if (!text) return { value: 'active' };
  const status = STATUS_WORDS[text];
  return status ? { value: status } : { issue: { code: 'statusUnknown', values: { value: text }, message: `"${text}" is not 在職, 休職 or 退職` } };
};

const readDepartment = (text: string, { departments }: ReadContext): Reading => {
  if (!text) return { value: null };
  const id = departments.get(text);
  return id ? { value: id } : { issue: { code: 'departmentUnknown', values: { value: text }, message: `no department with code "${text}"` } };
};

const readEmploymentType = (text: string): Reading => {
  if (!text) return { value: DEFAULT_EMPLOYMENT_TYPE };
  const type = employmentTypeOf(text);
  return type
    ? { value: type }
    : { issue: { code: 'employmentTypeUnknown', values: { value: text }, message: `"${text}" is not 正規職員, 会計年度任用職員, 臨時職員 or 委託先職員` } };
};

const readRoles = (text: string): Reading => ({ value: text ? text.split(/[;|、,\s]+/).filter(Boolean) : ['staff'] });

const readDate = (text: string): Reading => ({ value: text ? text.replace(/\//g, '-') : null });

/**
 * The columns of the HR file. A new column of the staff record is one line here (with its field in
 * StaffFieldsDto and its column in STAFF_FIELD_COLUMNS): the header map, the checks, the change
 * detection and the set-based writes all follow this list.
 */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { name: 'employeeNumber', field: 'employeeNumber', headers: ['職員番号', 'employeeNumber'], required: true },
  { name: 'familyName', field: 'familyName', headers: ['氏', '姓', 'familyName'], required: true },
  { name: 'givenName', field: 'givenName', headers: ['名', 'givenName'], required: true },
  { name: 'familyNameKana', field: 'familyNameKana', headers: ['氏カナ', '氏（カナ）', 'セイ', 'familyNameKana'] },
  { name: 'givenNameKana', field: 'givenNameKana', headers: ['名カナ', '名（カナ）', 'メイ', 'givenNameKana'] },
  { name: 'email', field: 'email', headers: ['メールアドレス', 'email'], required: true },
  { name: 'departmentCode', field: 'departmentId', headers: ['所属コード', 'departmentCode'], read: readDepartment },
  { name: 'roles', field: 'roles', headers: ['役割', 'roles'], read: readRoles },
  { name: 'status', field: 'status', headers: ['在職状況', 'status'], read: readStatus },
  { name: 'employmentType', field: 'employmentType', headers: ['雇用形態', 'employmentType'], read: readEmploymentType, keepWhenAbsent: true },
  { name: 'joinedOn', field: 'joinedOn', headers: ['採用日', 'joinedOn'], read: readDate },
  { name: 'leftOn', field: 'leftOn', headers: ['退職日', 'leftOn'], read: readDate },
];

/** The staff fields the file sets (what an import compares and changes; the employee number matches). */
export const IMPORTED_FIELDS: readonly (keyof StaffFieldsDto)[] = IMPORT_COLUMNS.map((column) => column.field);

const headerKey = (name: string): string => name.replace(/\s/g, '').toLowerCase();
const COLUMN_BY_HEADER = new Map(IMPORT_COLUMNS.flatMap((column) => column.headers.map((header) => [headerKey(header), column] as const)));
const COLUMN_BY_FIELD = new Map(IMPORT_COLUMNS.map((column) => [column.field as string, column]));

/** The longest text the rules let each field have (from StaffFieldsDto's own MaxLength / Length). */
const MAX_LENGTH: ReadonlyMap<string, number> = new Map(
  getMetadataStorage()
    .getTargetValidationMetadatas(StaffFieldsDto, '', true, false)
    .flatMap((m) => {
      if (m.name === 'maxLength') return [[m.propertyName, Number(m.constraints[0])] as const];
      if (m.name === 'isLength') return [[m.propertyName, Number(m.constraints[1])] as const];
      return [];
    }),
);

/** A row that passed every check of its own, with the line it came from. */
export interface ImportedRow {
  line: number;
  fields: StaffFieldsDto;
}

/** Decodes an uploaded file as UTF-8 (with or without BOM); anything else is refused. */
export function decodeCsv(buffer: Buffer): string {
  if (buffer.includes(0)) throw fileRefused('UNSUPPORTED_MEDIA_TYPE', 'The file is not a text CSV file', 'binary', 'binary content');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    throw fileRefused('UNSUPPORTED_MEDIA_TYPE', 'The file must be UTF-8 (save it as "CSV UTF-8")', 'notUtf8', 'not UTF-8');
  }
}

/**
 * Reads the file's rows and checks each against the rules a person created through the API meets:
 * the header (unknown or missing columns refuse the file at once), then every row, collecting every
 * issue (the same employee number or e-mail address twice in the file included). What needs the
 * database beyond the departments (addresses taken, privileged roles) is checked by the import.
 */
export async function readStaffCsv(text: string, context: ReadContext): Promise<{ rows: ImportedRow[]; issues: ImportIssue[] }> {
  let records: CsvRecord[];
  try {
    records = await parseCsv(text);
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    throw rowsRefused([{ line, field: 'file', code: 'malformed', message: (error as Error).message }]);
  }
  if (records.length === 0)
    throw new StaffImportRefused('STAFF_IMPORT_INVALID', 'The file is empty', [{ line: 1, field: 'file', code: 'empty', message: 'no header row' }]);
  const header = records[0]!.record.map((name) => COLUMN_BY_HEADER.get(headerKey(name)));
  const unknown = records[0]!.record.filter((_, i) => !header[i]);
  const missing = IMPORT_COLUMNS.filter((column) => column.required && !header.includes(column));
  if (unknown.length || missing.length) {
    throw new StaffImportRefused('STAFF_IMPORT_INVALID', 'The header row is not the expected one', [
      ...unknown.map((name) => ({ line: 1, field: name, code: 'unknownColumn' as const, values: { name }, message: 'unknown column' })),
      ...missing.map((column) => ({ line: 1, field: column.name, code: 'missingColumn' as const, message: 'required column missing' })),
    ]);
  }

  const rows: ImportedRow[] = [];
  const issues: ImportIssue[] = [];
  const seen = { employeeNumber: new Map<string, number>(), email: new Map<string, number>() };
  for (let i = 1; i < records.length; i++) {
    if (i % ROWS_PER_SLICE === 0) await nextTurn();
    const { record, info } = records[i]!;
    const line = info.lines;
    const rowIssues: ImportIssue[] = [];
    const plain: Record<string, unknown> = {};
    const cells = new Map(header.map((column, i) => [column!, record[i] ?? '']));
    for (const column of IMPORT_COLUMNS) {
      if (column.keepWhenAbsent && !cells.has(column)) continue; // the field stays undefined: kept, or defaulted for new people
      const text = cells.get(column) ?? '';
      const reading: Reading = column.read ? column.read(text, context) : { value: column.required ? text : text || null };
      if ('issue' in reading) rowIssues.push({ line, field: column.name, ...reading.issue });
      plain[column.field] = 'value' in reading ? reading.value : null;
    }
    const candidate = plainToInstance(StaffFieldsDto, plain);
    for (const error of validateSync(candidate, { whitelist: true, forbidNonWhitelisted: true })) rowIssues.push(issueOf(line, error, plain));
    for (const key of ['employeeNumber', 'email'] as const) {
      const value = candidate[key];
      const first = value ? seen[key].get(value) : undefined;
      if (first !== undefined)
        rowIssues.push({ line, field: key, code: 'duplicate', values: { firstLine: String(first) }, message: `same ${key} as line ${first}` });
      else if (value) seen[key].set(value, line);
    }
    if (rowIssues.length) issues.push(...rowIssues);
    else rows.push({ line, fields: candidate });
  }
  return { rows, issues };
}

/** One record of a CSV file and the line it ends on. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** Characters of the file parsed, and rows checked, per slice: the event loop serves other requests (sign-ins) between slices. */
const CHARS_PER_SLICE = 128 * 1024;
const ROWS_PER_SLICE = 500;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The file's records with the line each ends on, parsed a slice at a time (the drill results import reads its files with it too). */
export async function parseCsv(text: string): Promise<CsvRecord[]> {
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  const records: CsvRecord[] = [];
  let failure: unknown = null;
  parser.on('readable', () => {
    let record: CsvRecord | null;
    while ((record = parser.read() as CsvRecord | null) !== null) records.push(record);
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (error) => {
      failure = error;
      resolve();
    });
  });
  for (let start = 0; start < text.length && !failure;) {
    let end = Math.min(text.length, start + CHARS_PER_SLICE);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--; // never between the halves of a character
    parser.write(text.slice(start, end));
    start = end;
    await nextTurn();
  }
  if (!failure) parser.end();
  await ended;
  if (failure) throw failure;
  return records;
}

/** A rule the cell broke, as an issue: empty, too long, an unknown role, not a date, or otherwise not in the field's form. */
function issueOf(line: number, error: ValidationError, plain: Record<string, unknown>): ImportIssue {
  const column = COLUMN_BY_FIELD.get(error.property);
  const field = column?.name ?? error.property;
  const message = Object.values(error.constraints ?? { invalid: 'is invalid' }).join('; ');
  const value = plain[error.property];
  const max = MAX_LENGTH.get(error.property);
  if (value === '' || value === null || value === undefined) return { line, field, code: 'required', message };
  if (typeof value === 'string' && max !== undefined && value.length > max) return { line, field, code: 'tooLong', values: { max: String(max) }, message };
  if (error.property === 'roles') {
    const unknown = (Array.isArray(value) ? (value as string[]) : []).filter((role) => !(ROLES as readonly string[]).includes(role));
    return { line, field, code: unknown.length ? 'roleUnknown' : 'invalid', values: { value: unknown.join('、') }, message };
  }
  if (error.property === 'joinedOn' || error.property === 'leftOn') return { line, field, code: 'dateInvalid', values: { value: String(value) }, message };
  return { line, field, code: 'invalid', message };
}
