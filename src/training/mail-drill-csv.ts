import { parseCsv, type CsvRecord } from '../staff/staff-import-csv.js';

/**
 * The results file of a targeted-mail drill (標的型メール訓練), read in memory: Gophish's campaign
 * results export, or a plain CSV a town makes by hand. Each row becomes one person's result (who,
 * and whether the mail was sent, opened, its link clicked, data submitted, the mail reported); every
 * problem is kept as an issue with its line, field and a stable code the pages word in Japanese or
 * English (the API shows its English `message`). Nothing here asks the database: whether the address
 * or employee number names someone is checked by the import.
 *
 * Gophish (models/result.go, exported by the results page with Papa.unparse) writes one row per
 * recipient: `id, status, ip, latitude, longitude, send_date, reported, modified_date, email,
 * first_name, last_name, position`. Its `status` is the furthest the person went (Scheduled, Queued,
 * Sending, Retrying, Error, Email Sent, Email Opened, Clicked Link, Submitted Data; some versions
 * write Email Reported) and `reported` is true or false. Only email, status and reported are read:
 * the address, the time and place of a click never leave the file.
 */

/** The two files Mamori reads. */
export const DRILL_FORMATS = ['gophish', 'plain'] as const;
export type DrillFormat = (typeof DRILL_FORMATS)[number];

/** What can be wrong with the file or a row; the pages' messages are `mailDrills.issue.<code>`. */
export const DRILL_ISSUE_CODES = [
  'empty',
  'malformed',
  'missingColumn',
  'required',
  'statusUnknown',
  'flagInvalid',
  'duplicate',
  'staffUnknown',
  'staffRetired',
] as const;
export type DrillIssueCode = (typeof DRILL_ISSUE_CODES)[number];

/** One problem: its line (1 = the header), the column, what (code and values), and the English message. */
export interface DrillIssue {
  line: number;
  /** `email`, `employeeNumber`, `status`, `sent`, `opened`, `clicked`, `submitted`, `reported`, or `file` */
  field: string;
  code: DrillIssueCode;
  values?: Record<string, string>;
  message: string;
}

/** What happened to one person's mail. Cumulative: data submitted implies clicked, clicked implies opened, all imply sent. */
export interface DrillFlags {
  sent: boolean;
  opened: boolean;
  clicked: boolean;
  submittedData: boolean;
  reported: boolean;
}

/** One row that passed its own checks: the line, who (an e-mail address, lower-case, or an employee number) and the flags. */
export interface DrillRow extends DrillFlags {
  line: number;
  email?: string;
  employeeNumber?: string;
}

export interface DrillFile {
  format: DrillFormat;
  /** how people are named in the file */
  key: 'email' | 'employeeNumber';
  rows: DrillRow[];
  issues: DrillIssue[];
}

const NOTHING: DrillFlags = { sent: false, opened: false, clicked: false, submittedData: false, reported: false };

/** Gophish's result statuses and what each says happened (models/models.go; "Email Reported" from versions that set it as a status). */
export const GOPHISH_STATUSES: Readonly<Record<string, DrillFlags>> = {
  Scheduled: NOTHING,
  Queued: NOTHING,
  Sending: NOTHING,
  Retrying: NOTHING,
  Error: NOTHING,
  'Email Sent': { ...NOTHING, sent: true },
  'Email Opened': { ...NOTHING, sent: true, opened: true },
  'Clicked Link': { ...NOTHING, sent: true, opened: true, clicked: true },
  'Submitted Data': { ...NOTHING, sent: true, opened: true, clicked: true, submittedData: true },
  'Email Reported': { ...NOTHING, sent: true, reported: true },
};
const STATUS_BY_KEY = new Map(Object.entries(GOPHISH_STATUSES).map(([status, flags]) => [status.toLowerCase(), flags]));

const YES = new Set(['1', 'true', 'yes', 'y', 'はい', '○', '〇', 'あり']);
const NO = new Set(['0', 'false', 'no', 'n', 'いいえ', '×', 'なし', '']);

/** A yes/no cell: 1/0, true/false, はい/いいえ (an empty cell is no); anything else is null. */
export function readFlag(text: string): boolean | null {
  const key = text.trim().toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return null;
}

type PlainFlag = 'sent' | 'opened' | 'clicked' | 'submitted' | 'reported';

/** The columns read, by their name in issues, with the headers files give them (matched without case, spaces, `_` or `-`). */
const HEADERS: Readonly<Record<'email' | 'employeeNumber' | 'status' | PlainFlag, readonly string[]>> = {
  email: ['email', 'e-mail', 'mail', 'メールアドレス', 'メール'],
  employeeNumber: ['employeeNumber', 'employee_number', '職員番号'],
  status: ['status', '状態', 'ステータス'],
  sent: ['sent', '送信', '配信'],
  opened: ['opened', '開封'],
  clicked: ['clicked', 'クリック'],
  submitted: ['submitted', 'submittedData', 'submitted_data', '入力', '情報入力'],
  reported: ['reported', '報告'],
};
type Column = keyof typeof HEADERS;

const headerKey = (name: string): string => name.replace(/[\s_-]/g, '').toLowerCase();
const COLUMN_BY_HEADER = new Map(
  (Object.entries(HEADERS) as [Column, readonly string[]][]).flatMap(([column, headers]) => headers.map((header) => [headerKey(header), column] as const)),
);

/** The format a header row says: Gophish's has a status column. */
export function detectDrillFormat(header: readonly string[]): DrillFormat {
  return header.some((name) => COLUMN_BY_HEADER.get(headerKey(name)) === 'status') ? 'gophish' : 'plain';
}

/**
 * Reads the results file: its header (the format's required columns must be there, else the file is
 * refused at once by its line 1), then every row, collecting every issue: no address or employee
 * number, an unknown status, a yes/no cell that is neither, the same person twice. Columns it does
 * not read are ignored (Gophish's ip, position, …; a plain file's names or departments).
 */
export async function readDrillCsv(text: string, format?: DrillFormat): Promise<DrillFile> {
  let records: CsvRecord[];
  try {
    records = await parseCsv(text);
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { format: format ?? 'plain', key: 'email', rows: [], issues: [{ line, field: 'file', code: 'malformed', message: (error as Error).message }] };
  }
  if (records.length === 0)
    return { format: format ?? 'plain', key: 'email', rows: [], issues: [{ line: 1, field: 'file', code: 'empty', message: 'no header row' }] };

  const header = records[0]!.record;
  const chosen = format ?? detectDrillFormat(header);
  const index = new Map<Column, number>();
  header.forEach((name, i) => {
    const column = COLUMN_BY_HEADER.get(headerKey(name));
    if (column && !index.has(column)) index.set(column, i);
  });
  const key: 'email' | 'employeeNumber' = chosen === 'plain' && index.has('employeeNumber') ? 'employeeNumber' : 'email';
  const required: Column[] = chosen === 'gophish' ? ['email', 'status', 'reported'] : [key, 'clicked', 'reported'];
  const missing = required.filter((column) => !index.has(column));
  if (missing.length) {
    return {
      format: chosen,
      key,
      rows: [],
      issues: missing.map((column) => ({
        line: 1,
        field: column,
        code: 'missingColumn' as const,
        values: { headers: HEADERS[column].join('、') },
        message: `required column missing (${HEADERS[column].join(', ')})`,
      })),
    };
  }

  const rows: DrillRow[] = [];
  const issues: DrillIssue[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const line = info.lines;
    const cell = (column: Column): string | undefined => {
      const i = index.get(column);
      return i === undefined ? undefined : (record[i] ?? '').trim();
    };
    const rowIssues: DrillIssue[] = [];
    const who = cell(key)!;
    const person = key === 'email' ? who.toLowerCase() : who;
    if (!person) rowIssues.push({ line, field: key, code: 'required', message: key === 'email' ? 'no e-mail address' : 'no employee number' });
    else {
      const first = seen.get(person);
      if (first !== undefined)
        rowIssues.push({ line, field: key, code: 'duplicate', values: { firstLine: String(first) }, message: `same person as line ${first}` });
      else seen.set(person, line);
    }

    let flags: DrillFlags | null = null;
    if (chosen === 'gophish') {
      const status = cell('status')!;
      const known = STATUS_BY_KEY.get(status.toLowerCase());
      const reported = readFlag(cell('reported')!);
      if (!known)
        rowIssues.push({
          line,
          field: 'status',
          code: 'statusUnknown',
          values: { value: status },
          message: `"${status}" is not a Gophish result status (${Object.keys(GOPHISH_STATUSES).join(', ')})`,
        });
      if (reported === null) rowIssues.push(flagIssue(line, 'reported', cell('reported')!));
      if (known && reported !== null) flags = cumulative({ ...known, reported: reported || known.reported });
    } else {
      const read: Partial<Record<PlainFlag, boolean>> = {};
      for (const column of ['sent', 'opened', 'clicked', 'submitted', 'reported'] as const) {
        const text = cell(column);
        if (text === undefined) continue;
        const value = readFlag(text);
        if (value === null) rowIssues.push(flagIssue(line, column, text));
        else read[column] = value;
      }
      // a file without a sent column lists the people the mail went to
      if (!rowIssues.some((issue) => issue.code === 'flagInvalid'))
        flags = cumulative({
          sent: read.sent ?? true,
          opened: read.opened ?? false,
          clicked: read.clicked ?? false,
          submittedData: read.submitted ?? false,
          reported: read.reported ?? false,
        });
    }
    if (rowIssues.length || !flags) issues.push(...rowIssues);
    else rows.push({ line, ...(key === 'email' ? { email: person } : { employeeNumber: person }), ...flags });
  }
  return { format: chosen, key, rows, issues };
}

/** The flags with what each implies: data submitted → clicked → opened → sent; reported → sent. */
export function cumulative(flags: DrillFlags): DrillFlags {
  const submittedData = flags.submittedData;
  const clicked = flags.clicked || submittedData;
  const opened = flags.opened || clicked;
  const reported = flags.reported;
  return { sent: flags.sent || opened || reported, opened, clicked, submittedData, reported };
}

function flagIssue(line: number, field: PlainFlag, text: string): DrillIssue {
  return { line, field, code: 'flagInvalid', values: { value: text }, message: `"${text}" is not 1/0, true/false or はい/いいえ` };
}
