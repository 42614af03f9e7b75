import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { In } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { STAFF } from './staff.permissions.js';
import { Department } from './department.entity.js';
import { Staff, type EmploymentStatus } from './staff.entity.js';
import { StaffFieldsDto } from './dto/staff.dto.js';
import { openRoleRequestStaffIds, privilegedEmailRefusal, privilegedRoleRefusal, rolesKept, StaffService, withStaffRole } from './staff.service.js';

/** Column names an HR export may use (Japanese or English) → field. */
const HEADERS: Record<string, keyof ImportRow> = {
  職員番号: 'employeeNumber',
  employeenumber: 'employeeNumber',
  氏: 'familyName',
  姓: 'familyName',
  familyname: 'familyName',
  名: 'givenName',
  givenname: 'givenName',
  氏カナ: 'familyNameKana',
  '氏（カナ）': 'familyNameKana',
  セイ: 'familyNameKana',
  familynamekana: 'familyNameKana',
  名カナ: 'givenNameKana',
  '名（カナ）': 'givenNameKana',
  メイ: 'givenNameKana',
  givennamekana: 'givenNameKana',
  メールアドレス: 'email',
  email: 'email',
  所属コード: 'departmentCode',
  departmentcode: 'departmentCode',
  役割: 'roles',
  roles: 'roles',
  在職状況: 'status',
  status: 'status',
  採用日: 'joinedOn',
  joinedon: 'joinedOn',
  退職日: 'leftOn',
  lefton: 'leftOn',
};
const REQUIRED: (keyof ImportRow)[] = ['employeeNumber', 'familyName', 'givenName', 'email'];
const STATUS_WORDS: Record<string, EmploymentStatus> = {
  在職: 'active',
  休職: 'on_leave',
  退職: 'retired',
  active: 'active',
  on_leave: 'on_leave',
  retired: 'retired',
};

interface ImportRow {
  employeeNumber: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  email: string;
  departmentCode: string;
  roles: string;
  status: string;
  joinedOn: string;
  leftOn: string;
}

export interface StaffImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

interface ParsedRow {
  line: number;
  fields: StaffFieldsDto;
}

/** Decodes an uploaded file as UTF-8 (with or without BOM); anything else is refused. */
export function decodeCsv(buffer: Buffer): string {
  if (buffer.includes(0))
    throw new AppException('UNSUPPORTED_MEDIA_TYPE', 'The file is not a text CSV file', [{ field: 'file', messages: ['binary content'] }]);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    throw new AppException('UNSUPPORTED_MEDIA_TYPE', 'The file must be UTF-8 (save it as "CSV UTF-8")', [{ field: 'file', messages: ['not UTF-8'] }]);
  }
}

/**
 * The HR system's staff CSV: every row is checked, every bad row reported with its line number, and
 * only a file without a single bad row is imported (in one transaction). Rows are matched to staff
 * by employee number: new ones are created, known ones updated.
 */
@Injectable()
export class StaffImportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffService,
  ) {}

  async import(actor: Actor, buffer: Buffer, dryRun: boolean): Promise<StaffImportResult> {
    assertMay(actor, STAFF.import);
    const text = decodeCsv(buffer);
    return this.uow.run(actor, async (tx) => {
      const departments = await tx.manager.getRepository(Department).findBy({ organizationId: actor.organizationId });
      const departmentIds = new Map(departments.map((d) => [d.code, d.id]));
      const { rows, errors } = this.parse(text, departmentIds);
      const numbers = rows.map((r) => r.fields.employeeNumber);
      const existing = numbers.length
        ? await tx.manager
            .getRepository(Staff)
            .find({ where: { organizationId: actor.organizationId, employeeNumber: In(numbers) }, lock: { mode: 'pessimistic_write' } })
        : [];
      const byNumber = new Map(existing.map((s) => [s.employeeNumber, s]));
      const emails = rows.map((r) => r.fields.email);
      const emailOwners = emails.length
        ? await tx.manager
            .getRepository(Staff)
            .find({ where: { email: In(emails) }, select: { id: true, email: true, employeeNumber: true, organizationId: true } })
        : [];
      const ownerOf = new Map(emailOwners.map((s) => [s.email, s]));
      const withOpenRequests = await openRoleRequestStaffIds(
        tx,
        existing.map((s) => s.id),
      );
      for (const row of rows) {
        const owner = ownerOf.get(row.fields.email);
        const current = byNumber.get(row.fields.employeeNumber);
        if (owner && owner.id !== current?.id)
          errors.push({ line: row.line, field: 'email', messages: [`e-mail address already used by another staff member`] });
        const refused = privilegedRoleRefusal(current ? rolesKept(current, row.fields.status) : [], withStaffRole(row.fields.roles), current?.id ?? null);
        if (refused) errors.push({ line: row.line, ...refused });
        const locked = current && row.fields.email !== current.email ? privilegedEmailRefusal(current, withOpenRequests) : null;
        if (locked) errors.push({ line: row.line, ...locked });
      }
      if (errors.length)
        throw new AppException(
          'STAFF_IMPORT_INVALID',
          `${new Set(errors.map((e) => e.line)).size} bad row(s); nothing was imported`,
          errors.sort((a, b) => a.line! - b.line!),
        );
      const result: StaffImportResult = { dryRun, rows: rows.length, created: 0, updated: 0, unchanged: 0 };
      for (const { fields } of rows) {
        const current = byNumber.get(fields.employeeNumber);
        if (!current) {
          result.created++;
          if (!dryRun) await this.staff.insert(tx, fields);
          continue;
        }
        const changes = changedStaffFields(current, fields);
        if (Object.keys(changes).length === 0) {
          result.unchanged++;
          continue;
        }
        result.updated++;
        if (!dryRun) await this.staff.applyUpdate(tx, current, changes);
      }
      if (!dryRun) await tx.audit({ action: 'staff.import', entityType: 'staff', context: { ...result } });
      return result;
    });
  }

  private parse(text: string, departmentIds: Map<string, string>): { rows: ParsedRow[]; errors: FieldError[] } {
    const errors: FieldError[] = [];
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as unknown as typeof records;
    } catch (error) {
      const line = (error as { lines?: number }).lines ?? 0;
      throw new AppException('STAFF_IMPORT_INVALID', 'The file is not well-formed CSV', [{ line, field: 'file', messages: [(error as Error).message] }]);
    }
    if (records.length === 0) throw new AppException('STAFF_IMPORT_INVALID', 'The file is empty', [{ line: 1, field: 'file', messages: ['no header row'] }]);
    const header = records[0].record.map((name) => HEADERS[name.replace(/\s/g, '')] ?? HEADERS[name.replace(/\s/g, '').toLowerCase()]);
    const unknown = records[0].record.filter((_, i) => !header[i]);
    const missing = REQUIRED.filter((field) => !header.includes(field));
    if (unknown.length || missing.length) {
      throw new AppException('STAFF_IMPORT_INVALID', 'The header row is not the expected one', [
        ...unknown.map((name) => ({ line: 1, field: name, messages: ['unknown column'] })),
        ...missing.map((field) => ({ line: 1, field, messages: ['required column missing'] })),
      ]);
    }
    const rows: ParsedRow[] = [];
    const seen = { employeeNumber: new Map<string, number>(), email: new Map<string, number>() };
    for (const { record, info } of records.slice(1)) {
      const line = info.lines;
      const raw = Object.fromEntries(header.map((field, i) => [field, record[i] ?? ''])) as unknown as ImportRow;
      const rowErrors: FieldError[] = [];
      const status = raw.status ? STATUS_WORDS[raw.status] : 'active';
      if (!status) rowErrors.push({ line, field: 'status', messages: [`"${raw.status}" is not 在職, 休職 or 退職`] });
      const departmentId = raw.departmentCode ? departmentIds.get(raw.departmentCode) : null;
      if (departmentId === undefined) rowErrors.push({ line, field: 'departmentCode', messages: [`no department with code "${raw.departmentCode}"`] });
      const candidate = plainToInstance(StaffFieldsDto, {
        employeeNumber: raw.employeeNumber,
        familyName: raw.familyName,
        givenName: raw.givenName,
        familyNameKana: raw.familyNameKana || null,
        givenNameKana: raw.givenNameKana || null,
        email: raw.email,
        departmentId: departmentId ?? null,
        roles: raw.roles ? raw.roles.split(/[;|、,\s]+/).filter(Boolean) : ['staff'],
        status: status ?? 'active',
        joinedOn: raw.joinedOn ? raw.joinedOn.replace(/\//g, '-') : null,
        leftOn: raw.leftOn ? raw.leftOn.replace(/\//g, '-') : null,
      });
      for (const error of validateSync(candidate, { whitelist: true, forbidNonWhitelisted: true })) {
        rowErrors.push({ line, field: error.property, messages: Object.values(error.constraints ?? { invalid: 'is invalid' }) });
      }
      for (const key of ['employeeNumber', 'email'] as const) {
        const value = candidate[key];
        const first = value ? seen[key].get(value) : undefined;
        if (first !== undefined) rowErrors.push({ line, field: key, messages: [`same ${key} as line ${first}`] });
        else if (value) seen[key].set(value, line);
      }
      if (rowErrors.length) errors.push(...rowErrors);
      else rows.push({ line, fields: candidate });
    }
    return { rows, errors };
  }
}

/** The fields of `next` that differ from `current`. */
function changedStaffFields(current: Staff, next: StaffFieldsDto): Partial<StaffFieldsDto> {
  const changes: Partial<StaffFieldsDto> = {};
  const keys: (keyof StaffFieldsDto)[] = [
    'familyName',
    'givenName',
    'familyNameKana',
    'givenNameKana',
    'email',
    'departmentId',
    'status',
    'joinedOn',
    'leftOn',
  ];
  for (const key of keys) {
    if ((next[key] ?? null) !== ((current as unknown as Record<string, unknown>)[key] ?? null)) (changes as Record<string, unknown>)[key] = next[key] ?? null;
  }
  const roles = [...new Set([...next.roles, 'staff'])].sort().join(',');
  if (roles !== [...current.roles].sort().join(',')) changes.roles = next.roles;
  return changes;
}
