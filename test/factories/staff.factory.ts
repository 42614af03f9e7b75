import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AuthService } from '../../src/auth/auth.service.js';
import { requiresSecondFactor, type Role } from '../../src/common/roles.js';
import { currentTotp, TotpService } from '../../src/auth/totp.service.js';
import { systemActor, type Actor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { StaffService } from '../../src/staff/staff.service.js';
import type { TestApp } from '../support/test-app.js';

export interface TestPerson {
  staff: Staff;
  email: string;
  password: string;
  /** base32 TOTP secret, for privileged people */
  totpSecret: string | null;
}

let counter = 0;
const unique = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

export async function testOrganization(t: TestApp, code = 'test-town'): Promise<string> {
  return (await t.get(OrganizationsService).ensure(code, 'テスト町')).id;
}

export async function createDepartment(t: TestApp, organizationId: string, fields: Partial<Department> = {}): Promise<Department> {
  const code = fields.code ?? `D${unique()}`.slice(0, 32).toUpperCase();
  return t.get(UnitOfWork).run(systemActor(organizationId, 'test'), async (tx) => {
    const department = await tx.manager.getRepository(Department).save({ organizationId, code, name: `${code}課`, nameEn: null, parentId: null, ...fields });
    await tx.audit({ action: 'department.create', entityType: 'department', entityId: department.id, after: department });
    return department;
  });
}

/** A person who can sign in; privileged roles get a confirmed TOTP secret. */
export async function createPerson(
  t: TestApp,
  organizationId: string,
  options: { roles?: Role[]; departmentId?: string | null; totp?: boolean; email?: string } = {},
): Promise<TestPerson> {
  const roles = options.roles ?? ['staff'];
  const password = `pw-${unique()}-long-enough`;
  const email = options.email ?? `p${unique()}@test.example`;
  const totp = t.get(TotpService);
  const wantsTotp = options.totp ?? requiresSecondFactor(roles);
  const secret = wantsTotp ? totp.newSecret() : null;
  const passwordHash = await t.get(AuthService).hashPassword(password);
  const staff = await t
    .get(UnitOfWork)
    .run(systemActor(organizationId, 'test'), (tx) =>
      t
        .get(StaffService)
        .insert(
          tx,
          { employeeNumber: `E${unique()}`.slice(0, 32), familyName: '試験', givenName: '太郎', email, roles, departmentId: options.departmentId ?? null },
          { passwordHash, ...(secret ? { totpSecret: secret.sealed, totpConfirmedAt: new Date() } : {}) },
        ),
    );
  return { staff, email, password, totpSecret: secret?.base32 ?? null };
}

/** The actor of a service call made as this person, signed in (with their second factor when they have one, unless `mfa` says otherwise). */
export function actorOf(person: TestPerson, options: { mfa?: boolean } = {}): Actor {
  return {
    staffId: person.staff.id,
    organizationId: person.staff.organizationId,
    roles: person.staff.roles,
    departmentId: person.staff.departmentId,
    clientAddress: '127.0.0.1',
    sessionId: null,
    mfa: options.mfa ?? person.totpSecret !== null,
    label: person.email,
  };
}

/** Each TOTP time step is accepted once; successive sign-ins of one person use the next step. */
const stepsUsed = new Map<string, number>();
export function nextTotp(person: TestPerson): string {
  const used = stepsUsed.get(person.email) ?? -1;
  const offset = used + 1;
  if (offset > 1) throw new Error(`${person.email}: only two TOTP sign-ins per 30 s in a test; reuse the tokens`);
  stepsUsed.set(person.email, offset);
  return currentTotp(person.totpSecret!, Date.now() + offset * 30_000);
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Signs in through the API (with the second factor when the person has one). */
export async function signIn(t: TestApp, person: TestPerson): Promise<Tokens> {
  const body = { email: person.email, password: person.password, ...(person.totpSecret ? { totp: nextTotp(person) } : {}) };
  const response = await request(t.http).post('/api/v1/auth/login').send(body).expect(200);
  return response.body.tokens as Tokens;
}
