import type { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AuthService } from '../auth/auth.service.js';
import { requiresSecondFactor } from '../common/roles.js';
import { TotpService } from '../auth/totp.service.js';
import { systemActor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Organization } from '../organizations/organization.entity.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { Department } from './department.entity.js';
import { StaffFieldsDto } from './dto/staff.dto.js';
import { StaffService } from './staff.service.js';

export interface BootstrapStaffInput {
  email?: string;
  name?: string;
  roles?: string;
  department?: string;
  organization?: string;
  employeeNumber?: string;
  password: string;
}

export interface BootstrapStaffResult {
  id: string;
  email: string;
  roles: string[];
  organization: string;
  otpauthUri?: string;
}

export const MIN_PASSWORD_LENGTH = 12;

/**
 * `staff:create`: makes a person who can sign in, on an empty database too (the organisation is
 * created when missing). Privileged roles only for the first administrator of an organisation
 * without an active one; they get a confirmed TOTP secret, printed once.
 */
export async function bootstrapStaff(app: INestApplicationContext, input: BootstrapStaffInput): Promise<BootstrapStaffResult> {
  const [familyName, ...given] = (input.name ?? '').trim().split(/[\s\u3000]+/);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppException('VALIDATION_FAILED', `password must be at least ${MIN_PASSWORD_LENGTH} characters`, [
      { field: 'password', messages: ['too short'] },
    ]);
  }
  const fields = plainToInstance(StaffFieldsDto, {
    employeeNumber: input.employeeNumber ?? `ADM-${Date.now().toString(36).toUpperCase()}`,
    familyName,
    givenName: given.join(' ') || familyName,
    email: input.email ?? '',
    roles: (input.roles ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  });
  const errors = validateSync(fields);
  if (errors.length) {
    throw new AppException(
      'VALIDATION_FAILED',
      errors.map((e) => `--${e.property === 'familyName' ? 'name' : e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`).join('. '),
    );
  }
  const privileged = requiresSecondFactor(fields.roles);
  if (privileged && !fields.roles.includes('admin'))
    throw notFirstAdministrator('privileged roles are given here only to the first administrator (with admin)');
  const uow = app.get(UnitOfWork);
  const organizations = app.get(OrganizationsService);
  const totp = app.get(TotpService);
  const auth = app.get(AuthService);
  const code = input.organization ?? (await organizations.home())?.code ?? 'default';
  const existing = await organizations.byCode(code);
  const organization = existing ?? (await createOrganization(uow, organizations, code));
  const passwordHash = await auth.hashPassword(input.password);
  const secret = privileged ? totp.newSecret() : null;
  const staff = await uow.run(systemActor(organization.id, 'cli'), async (tx) => {
    if (privileged) {
      // the organisation's row orders two first administrators created at once
      await tx.manager.getRepository(Organization).findOne({ where: { id: organization.id }, lock: { mode: 'pessimistic_write' } });
      const admins = (await tx.manager.query(`SELECT count(*)::int AS n FROM staff WHERE organization_id = $1 AND status = 'active' AND 'admin' = ANY(roles)`, [
        organization.id,
      ])) as { n: number }[];
      if ((admins[0]?.n ?? 0) > 0) throw notFirstAdministrator(`organisation "${organization.code}" already has an administrator`);
    }
    if (input.department) {
      const department = await tx.manager.getRepository(Department).findOneBy({ organizationId: organization.id, code: input.department });
      if (!department) throw new AppException('DEPARTMENT_NOT_FOUND', `--department: no department with code "${input.department}"`);
      fields.departmentId = department.id;
    }
    const service = app.get(StaffService);
    await service.checkReferences(tx, fields, null);
    return service.insert(tx, fields, { passwordHash, ...(secret ? { totpSecret: secret.sealed, totpConfirmedAt: new Date() } : {}) });
  });
  return {
    id: staff.id,
    email: staff.email,
    roles: staff.roles,
    organization: organization.code,
    ...(secret ? { otpauthUri: totp.otpauthUri(secret.base32, staff.email) } : {}),
  };
}

/**
 * The CLI makes the organisation's first administrator (who may hold other privileged roles too);
 * every later privileged role is a role request approved by a second person, in the app.
 */
function notFirstAdministrator(why: string): AppException {
  return new AppException(
    'ROLE_CHANGE_NEEDS_APPROVAL',
    `--roles: ${why}; create the person without privileged roles and file a role request in the app (POST /api/v1/staff/:id/role-requests)`,
    [{ field: 'roles', messages: [why] }],
  );
}

async function createOrganization(uow: UnitOfWork, organizations: OrganizationsService, code: string): Promise<Organization> {
  const organization = await organizations.ensure(code, code);
  await uow.run(systemActor(organization.id, 'cli'), async (tx) =>
    tx.audit({ action: 'organization.create', entityType: 'organization', entityId: organization.id, after: organization }),
  );
  return organization;
}
