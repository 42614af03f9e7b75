import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { isPrivilegedRole } from '../common/roles.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { STAFF } from './staff.permissions.js';
import { Department } from './department.entity.js';
import { Staff } from './staff.entity.js';
import type { StaffFieldsDto, UpdateStaffDto } from './dto/staff.dto.js';
import { decodeCsv, IMPORTED_FIELDS, readStaffCsv, rowsRefused, type ImportedRow, type ImportIssue } from './staff-import-csv.js';
import { openRoleRequestStaffIds, privilegedEmailRefusal, privilegedRoleRefusal, rolesKept, StaffService, withStaffRole } from './staff.service.js';

export interface StaffImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Where an import's file came from, for the audit trail (the pages' stored upload). */
export interface StaffImportSource {
  uploadId?: string;
  fileName?: string;
  sha256?: string;
}

/** What the database says about the file's people: who exists, whose addresses are taken, who has an open role request. */
interface Lookups {
  byNumber: Map<string, Staff>;
  /** closed departments by id, with their codes */
  closedDepartments: Map<string, string>;
  /** the person importing: nobody changes their own roles */
  self: string | null;
  emailOwners: Map<string, string>;
  withOpenRequests: Set<string>;
}

/** What an import will do: the people to create, the changes to make, how many rows change nothing, and every refusal. */
interface Plan {
  creates: ImportedRow[];
  updates: { row: ImportedRow; before: Staff; changes: UpdateStaffDto }[];
  unchanged: number;
  issues: ImportIssue[];
}

/**
 * The HR system's staff CSV: every row is checked, every bad row reported with its line and field,
 * and only a file without a single bad row is imported, in one transaction. Rows are matched to
 * staff by employee number: new ones are created, known ones updated.
 *
 * Set-based: the file is read and checked in memory, the database asked once per question (who
 * exists, whose addresses are taken), new people written by one INSERT per 10,000 with their
 * invitations, audit-trail rows and acknowledgement duties in bulk. Known people's rows are locked
 * only at the end, just before they are changed (and checked again under the lock), so their
 * sign-ins wait at most for the end of the import's commit, not for the whole import.
 */
@Injectable()
export class StaffImportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffService,
  ) {}

  async import(actor: Actor, buffer: Buffer, dryRun: boolean, source: StaffImportSource = {}): Promise<StaffImportResult> {
    assertMay(actor, STAFF.import);
    const text = decodeCsv(buffer);
    return this.uow.run(actor, (tx) => this.importText(tx, text, dryRun, source));
  }

  /** The import inside a running change (the pages' confirmation runs it with the upload's deletion). */
  async importText(tx: Transaction, text: string, dryRun: boolean, source: StaffImportSource = {}): Promise<StaffImportResult> {
    assertMay(tx.actor, STAFF.import);
    const departments = await tx.manager
      .getRepository(Department)
      .find({ where: { organizationId: tx.actor.organizationId }, select: { id: true, code: true, closedOn: true } });
    const { rows, issues } = await readStaffCsv(text, { departments: new Map(departments.map((d) => [d.code, d.id])) });
    const closed = new Map(departments.filter((d) => d.closedOn).map((d) => [d.id, d.code]));
    const plan = planImport(rows, await this.lookups(tx, rows, closed));
    if (issues.length || plan.issues.length) throw rowsRefused([...issues, ...plan.issues]);
    const result: StaffImportResult = { dryRun, rows: rows.length, created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    if (dryRun) return result;

    await this.staff.insertMany(
      tx,
      plan.creates.map((row) => row.fields),
    );
    if (plan.updates.length) {
      // only now the known people's rows are locked, and read again: what they are under the lock decides
      const locked = await this.lockAndRead(
        tx,
        plan.updates.map((update) => update.before.id),
      );
      const rowsToUpdate = plan.updates.map((update) => update.row);
      const again = planImport(rowsToUpdate, await this.lookups(tx, rowsToUpdate, closed, locked));
      if (again.issues.length) throw rowsRefused(again.issues);
      if (again.creates.length) throw new AppException('CONFLICT', 'A person of the file changed during the import; import the file again');
      await this.staff.applyUpdates(tx, again.updates);
      result.updated = again.updates.length;
      result.unchanged += again.unchanged;
    }
    tx.audit({ action: 'staff.import', entityType: 'staff', context: { ...result, ...source } });
    return result;
  }

  /** The database's answers about the file's people, one query per question (`locked`: the people as read under their locks). */
  private async lookups(tx: Transaction, rows: readonly ImportedRow[], closedDepartments: Map<string, string>, locked?: Staff[]): Promise<Lookups> {
    const organizationId = tx.actor.organizationId;
    const existing =
      locked ??
      (rows.length
        ? await tx.manager
            .getRepository(Staff)
            .createQueryBuilder('s')
            .where('s.organization_id = :organizationId', { organizationId })
            .andWhere('s.employee_number = ANY(:numbers)', { numbers: rows.map((row) => row.fields.employeeNumber) })
            .getMany()
        : []);
    const emails = rows.map((row) => row.fields.email);
    const owners = emails.length
      ? ((await tx.manager.query('SELECT id, email FROM staff WHERE email = ANY($1::text[])', [emails])) as { id: string; email: string }[])
      : [];
    return {
      byNumber: new Map(existing.map((s) => [s.employeeNumber, s])),
      closedDepartments,
      self: tx.actor.staffId ?? null,
      emailOwners: new Map(owners.map((owner) => [owner.email, owner.id])),
      withOpenRequests: await openRoleRequestStaffIds(
        tx,
        existing.map((s) => s.id),
      ),
    };
  }

  /** Locks the rows of the people about to change (in id order, as every such lock is taken) and reads them. */
  private lockAndRead(tx: Transaction, ids: readonly string[]): Promise<Staff[]> {
    return tx.manager
      .getRepository(Staff)
      .createQueryBuilder('s')
      .where('s.organization_id = :organizationId', { organizationId: tx.actor.organizationId })
      .andWhere('s.id = ANY(:ids)', { ids })
      .orderBy('s.id')
      .setLock('pessimistic_write')
      .getMany();
  }
}

/**
 * What importing `rows` does to the people `lookups` found: new people, changes, rows that change
 * nothing, and the rows refused: an address another person has, a privileged role granted or
 * removed (only a role request does that), the address of a privileged person or one with an open
 * role request changed.
 */
function planImport(rows: readonly ImportedRow[], lookups: Lookups): Plan {
  const plan: Plan = { creates: [], updates: [], unchanged: 0, issues: [] };
  for (const row of rows) {
    const { fields, line } = row;
    const current = lookups.byNumber.get(fields.employeeNumber);
    const owner = lookups.emailOwners.get(fields.email);
    const before = plan.issues.length;
    if (owner && owner !== current?.id)
      plan.issues.push({ line, field: 'email', code: 'emailTaken', message: 'e-mail address already used by another staff member' });
    if (current && current.id === lookups.self && sameRoles(current.roles, fields.roles) === false)
      plan.issues.push({ line, field: 'roles', code: 'ownRoles', message: 'you cannot change your own roles' });
    // nobody joins a closed department (someone already in it keeps it until they move)
    const closedCode = fields.departmentId ? lookups.closedDepartments.get(fields.departmentId) : undefined;
    if (closedCode && fields.departmentId !== current?.departmentId)
      plan.issues.push({
        line,
        field: 'departmentCode',
        code: 'departmentClosed',
        values: { value: closedCode },
        message: `department "${closedCode}" is closed`,
      });
    const refused = privilegedRoleRefusal(current ? rolesKept(current, fields.status) : [], withStaffRole(fields.roles), current?.id ?? null);
    if (refused) plan.issues.push({ line, field: 'roles', code: 'privilegedRole', values: { roles: fields.roles.join('、') }, message: refused.messages[0]! });
    const locked = current && fields.email !== current.email ? privilegedEmailRefusal(current, lookups.withOpenRequests) : null;
    if (locked && current) {
      const held = current.roles.filter(isPrivilegedRole);
      plan.issues.push(
        held.length
          ? { line, field: 'email', code: 'privilegedEmail', values: { roles: held.join('、') }, message: locked.messages[0]! }
          : { line, field: 'email', code: 'openRoleRequest', message: locked.messages[0]! },
      );
    }
    if (plan.issues.length > before) continue;
    if (!current) {
      plan.creates.push(row);
      continue;
    }
    const changes = changedStaffFields(current, fields);
    if (Object.keys(changes).length === 0) plan.unchanged++;
    else plan.updates.push({ row, before: current, changes });
  }
  return plan;
}

/** The imported fields of `next` that differ from `current`. */
function changedStaffFields(current: Staff, next: StaffFieldsDto): Partial<StaffFieldsDto> {
  const changes: Partial<StaffFieldsDto> = {};
  for (const key of IMPORTED_FIELDS) {
    if (key === 'employeeNumber' || next[key] === undefined) continue; // the match, and a column the file does not have (keepWhenAbsent)
    if (key === 'roles') {
      const roles = [...new Set([...next.roles, 'staff'])].sort().join(',');
      if (roles !== [...current.roles].sort().join(',')) changes.roles = next.roles;
      continue;
    }
    if ((next[key] ?? null) !== ((current as unknown as Record<string, unknown>)[key] ?? null)) (changes as Record<string, unknown>)[key] = next[key] ?? null;
  }
  return changes;
}

/** Whether two lists of roles hold the same roles (everyone holds `staff`). */
function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  const key = (roles: readonly string[]) => [...new Set([...roles, 'staff'])].sort().join(',');
  return key(a) === key(b);
}
