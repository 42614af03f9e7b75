/**
 * Seeds the demo town 守町: the organisation, its departments, the demo accounts (one per role) and
 * ~400 generated members of staff. Idempotent: only what is missing is created, and a second run
 * writes nothing at all (no rows, no audit-trail entries, no password hashing).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager, EntityTarget, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import type { AuthService } from '../src/auth/auth.service.js';
import type { TotpService } from '../src/auth/totp.service.js';
import { systemActor } from '../src/common/actor.js';
import type { Transaction, UnitOfWork } from '../src/database/unit-of-work.js';
import type { OrganizationsService } from '../src/organizations/organizations.service.js';
import { Department } from '../src/staff/department.entity.js';
import { Staff } from '../src/staff/staff.entity.js';
import {
  DEMO_ACCOUNTS,
  DEMO_DEPARTMENTS,
  DEMO_ORGANIZATION,
  DEMO_TOTP_CONFIRMED_AT,
  demoEmploymentType,
  generatedStaff,
  type DemoDepartment,
} from './demo-town.data.js';

export interface SeedDemoTownDeps {
  uow: UnitOfWork;
  organizations: OrganizationsService;
  totp: TotpService;
  auth: AuthService;
}

export interface SeedDemoTownResult {
  created: { departments: number; staff: number };
  organizationId: string;
}

/** Rows per INSERT statement (well below PostgreSQL's 65,535 bind parameters). */
const BATCH_SIZE = 200;

type DepartmentRow = Pick<Department, 'id' | 'organizationId' | 'code' | 'name' | 'nameEn' | 'parentId'>;

/** A staff row as inserted; the secrets are optional so the audit copy can leave them out. */
type StaffRow = Pick<
  Staff,
  | 'id'
  | 'organizationId'
  | 'employeeNumber'
  | 'familyName'
  | 'givenName'
  | 'familyNameKana'
  | 'givenNameKana'
  | 'email'
  | 'departmentId'
  | 'roles'
  | 'status'
  | 'joinedOn'
  | 'leftOn'
  | 'locale'
  | 'totpConfirmedAt'
> & { passwordHash?: string | null; totpSecret?: string | null; employmentType?: Staff['employmentType'] };

export async function seedDemoTown(deps: SeedDemoTownDeps): Promise<SeedDemoTownResult> {
  const { uow, organizations } = deps;

  const existing = await organizations.byCode(DEMO_ORGANIZATION.code);
  const organization = existing ?? (await organizations.ensure(DEMO_ORGANIZATION.code, DEMO_ORGANIZATION.name));
  const organizationId = organization.id;
  const actor = systemActor(organizationId, 'seed');

  if (!existing) {
    await uow.run(actor, async (tx) =>
      tx.audit({
        action: 'organization.create',
        entityType: 'organization',
        entityId: organizationId,
        after: { id: organizationId, code: organization.code, name: organization.name },
      }),
    );
  }

  const created = await uow.run(actor, async (tx) => {
    const departments = await seedDepartments(tx, organizationId);
    const staff = await seedStaff(tx, deps, organizationId, departments.idByCode);
    return { departments: departments.created, staff };
  });

  return { created, organizationId };
}

/** Creates the missing departments, parents before children; returns every department's id by code. */
async function seedDepartments(tx: Transaction, organizationId: string): Promise<{ idByCode: Map<string, string>; created: number }> {
  const rows = await tx.manager.getRepository(Department).find({ select: { id: true, code: true }, where: { organizationId } });
  const idByCode = new Map(rows.map((row) => [row.code, row.id]));
  let created = 0;

  let pending: DemoDepartment[] = DEMO_DEPARTMENTS.filter((department) => !idByCode.has(department.code));
  while (pending.length > 0) {
    const ready = pending.filter((department) => !department.parentCode || idByCode.has(department.parentCode));
    if (ready.length === 0) throw new Error(`demo departments with unknown parents: ${pending.map((d) => d.code).join(', ')}`);

    const batch: DepartmentRow[] = ready.map((department) => ({
      id: randomUUID(),
      organizationId,
      code: department.code,
      name: department.name,
      nameEn: department.nameEn,
      parentId: department.parentCode ? (idByCode.get(department.parentCode) ?? null) : null,
    }));
    await insertMany(tx.manager, Department, batch);
    for (const row of batch) {
      idByCode.set(row.code, row.id);
      await tx.audit({ action: 'department.create', entityType: 'department', entityId: row.id, after: row });
    }
    created += batch.length;
    pending = pending.filter((department) => !ready.includes(department));
  }
  return { idByCode, created };
}

/** Creates the demo accounts and generated staff that are missing (by employee number). */
async function seedStaff(tx: Transaction, deps: SeedDemoTownDeps, organizationId: string, departmentIds: Map<string, string>): Promise<number> {
  const existing = await tx.manager.getRepository(Staff).find({ select: { id: true, employeeNumber: true }, where: { organizationId } });
  const taken = new Set(existing.map((row) => row.employeeNumber));
  const departmentId = (code: string): string => {
    const id = departmentIds.get(code);
    if (!id) throw new Error(`demo department ${code} is missing`);
    return id;
  };

  const rows: StaffRow[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (taken.has(account.employeeNumber)) continue;
    rows.push({
      id: randomUUID(),
      organizationId,
      employeeNumber: account.employeeNumber,
      familyName: account.familyName,
      givenName: account.givenName,
      familyNameKana: account.familyNameKana,
      givenNameKana: account.givenNameKana,
      email: account.email.toLowerCase(),
      departmentId: departmentId(account.departmentCode),
      roles: account.roles,
      status: 'active',
      joinedOn: account.joinedOn,
      leftOn: null,
      locale: 'ja',
      // hashed only for accounts being created, so a rerun costs nothing
      passwordHash: await deps.auth.hashPassword(account.password),
      totpSecret: account.totpSecret ? deps.totp.sealSecret(account.totpSecret) : null,
      totpConfirmedAt: account.totpSecret ? DEMO_TOTP_CONFIRMED_AT : null,
    });
  }
  for (const person of generatedStaff()) {
    if (taken.has(person.employeeNumber)) continue;
    rows.push({
      id: randomUUID(),
      organizationId,
      employeeNumber: person.employeeNumber,
      familyName: person.familyName,
      givenName: person.givenName,
      familyNameKana: person.familyNameKana,
      givenNameKana: person.givenNameKana,
      email: person.email.toLowerCase(),
      departmentId: departmentId(person.departmentCode),
      roles: person.roles,
      status: person.status,
      employmentType: demoEmploymentType(person.employeeNumber),
      joinedOn: person.joinedOn,
      leftOn: person.leftOn,
      locale: 'ja',
      passwordHash: null,
      totpSecret: null,
      totpConfirmedAt: null,
    });
  }

  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    await insertMany(tx.manager, Staff, rows.slice(start, start + BATCH_SIZE));
  }
  for (const row of rows) {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { passwordHash, totpSecret, ...after } = row;
    await tx.audit({ action: 'staff.create', entityType: 'staff', entityId: row.id, after });
  }
  return rows.length;
}

/** One INSERT for many rows; ids are chosen here, so nothing needs to be read back. */
async function insertMany<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: QueryDeepPartialEntity<T>[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
}
