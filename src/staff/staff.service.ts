import { Injectable } from '@nestjs/common';
import { In, type Repository } from 'typeorm';
import { tokyoToday } from '../common/calendar.js';
import { timeOrderedUuid } from '../common/uuid.js';
import { accessScope, scopeConditions, type ScopeRules } from '../auth/access-scope.js';
import { AuthService } from '../auth/auth.service.js';
import { PasswordSetupService } from '../auth/password-setup.service.js';
import type { Actor } from '../common/actor.js';
import { AppException, type FieldError } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { isPrivilegedRole, privilegedRoleChanges, type Role } from '../common/roles.js';
import { preparedQuery } from '../database/prepared.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import './staff.events.js';
import './staff.notifications.js';
import { STAFF } from './staff.permissions.js';
import { Department } from './department.entity.js';
import { OPEN_ROLE_REQUEST_STATUSES, RoleRequest } from './role-request.entity.js';
import { Staff } from './staff.entity.js';
import type { StaffView } from './dto/staff-view.dto.js';
import { DEFAULT_EMPLOYMENT_TYPE } from './employment.js';
import { STAFF_SEARCH_SQL, STAFF_SELECT, staffViewOf, type StaffRow } from './staff-record.js';
import { insertStaffRows, STAFF_FIELD_COLUMNS, updateStaffRows, type NewStaffRow, type StaffWrittenField } from './staff-columns.js';
import type { DomainEvent } from '../common/events/domain-events.js';
import type { CreateStaffDto, StaffFieldsDto, StaffQuery, UpdateStaffDto } from './dto/staff.dto.js';

/** Who sees which staff records: the office sees everyone, a manager their department, others themselves. */
export const STAFF_SCOPE: ScopeRules = { all: ['admin', 'ciso', 'security_officer'], department: ['manager'] };
const STAFF_COLUMNS = { organization: 's.organization_id', department: 's.department_id', owner: 's.id' };

@Injectable()
export class StaffService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly auth: AuthService,
    private readonly passwordSetup: PasswordSetupService,
  ) {}

  async list(actor: Actor, query: StaffQuery): Promise<Page<StaffView>> {
    assertMay(actor, STAFF.list);
    const where = scopeConditions(actor, accessScope(actor, STAFF_SCOPE), STAFF_COLUMNS);
    if (query.departmentId) where.add('s.department_id = ?', query.departmentId);
    if (query.status) where.add('s.status = ?', query.status);
    if (query.role) where.add('? = ANY(s.roles)', query.role);
    if (query.employmentType) where.add('s.employment_type = ?', query.employmentType);
    if (query.q) where.add(STAFF_SEARCH_SQL, query.q);
    const { skip, take } = skipTake(query);
    const [rows, [count]] = await Promise.all([
      preparedQuery<StaffRow>(
        this.uow.manager.connection,
        `${STAFF_SELECT} WHERE ${where.sql()} ORDER BY s.employee_number LIMIT $${where.next()} OFFSET $${where.next() + 1}`,
        [...where.values, take, skip],
      ),
      preparedQuery<{ total: number }>(this.uow.manager.connection, `SELECT count(*)::int AS total FROM staff s WHERE ${where.sql()}`, where.values),
    ]);
    return pageOf(rows.map(staffViewOf), count?.total ?? 0, query);
  }

  async get(actor: Actor, id: string): Promise<StaffView> {
    assertMay(actor, STAFF.read);
    const where = scopeConditions(actor, accessScope(actor, STAFF_SCOPE), STAFF_COLUMNS);
    where.add('s.id = ?', id);
    const [row] = await preparedQuery<StaffRow>(this.uow.manager.connection, `${STAFF_SELECT} WHERE ${where.sql()}`, where.values);
    if (!row) throw new AppException('STAFF_NOT_FOUND');
    return staffViewOf(row);
  }

  /** The signed-in person: read with their session by the access guard, else now. */
  async me(actor: Actor): Promise<StaffView> {
    assertMay(actor, STAFF.read_self);
    if (!actor.staffId) throw new AppException('UNAUTHENTICATED');
    const person = actor.person as StaffView | undefined;
    if (person?.id === actor.staffId) return person;
    return this.get(actor, actor.staffId);
  }

  async create(actor: Actor, dto: CreateStaffDto): Promise<Staff> {
    assertMay(actor, STAFF.create);
    const refused = privilegedRoleRefusal([], withStaffRole(dto.roles), null);
    if (refused) throw new AppException('ROLE_CHANGE_NEEDS_APPROVAL', undefined, [refused]);
    return this.uow.run(actor, async (tx) => {
      await this.checkReferences(tx, dto, null);
      const staff = await this.insert(tx, dto);
      return staff;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateStaffDto): Promise<Staff> {
    assertMay(actor, STAFF.update);
    return this.uow.run(actor, async (tx) => {
      const before = await tx.manager
        .getRepository(Staff)
        .findOne({ where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new AppException('STAFF_NOT_FOUND');
      // separation of duties: nobody grants themselves a role (an admin could otherwise become the CISO)
      if (id === actor.staffId && dto.roles && withStaffRole(dto.roles).sort().join() !== [...before.roles].sort().join()) {
        throw new AppException('STAFF_OWN_ROLES', undefined, [{ field: 'roles', messages: ['another administrator must change your roles'] }]);
      }
      // a privileged role is granted or removed only through a role request a second person approves
      const refused = dto.roles ? privilegedRoleRefusal(rolesKept(before, dto.status), withStaffRole(dto.roles), before.id) : null;
      if (refused) throw new AppException('ROLE_CHANGE_NEEDS_APPROVAL', undefined, [refused]);
      // whoever holds the address signs in (and enrols the second factor): it is not redirected past the role requests
      if (dto.email && dto.email.toLowerCase() !== before.email) {
        const locked = privilegedEmailRefusal(before, await openRoleRequestStaffIds(tx, [before.id]));
        if (locked) throw new AppException('PRIVILEGED_EMAIL_CHANGE', undefined, [locked]);
      }
      await this.checkReferences(tx, dto, before);
      return this.applyUpdate(tx, before, dto);
    });
  }

  /**
   * Creates a staff member inside a running change (API, CSV import, bootstrap) and tells the other
   * features (`staff.joined`) when the person starts active.
   */
  async insert(tx: Transaction, fields: StaffFieldsDto, extra: Partial<Staff> = {}): Promise<Staff> {
    const staff = await tx.create(
      Staff,
      { ...newStaffFields(fields), ...extra },
      { action: 'staff.create', entityType: 'staff', omit: ['passwordHash', 'totpSecret'] },
    );
    if (staff.status === 'active') {
      await this.welcome(tx, staff);
      await tx.publish({ type: 'staff.joined', staffId: staff.id, departmentId: staff.departmentId, reason: 'created' });
    }
    return staff;
  }

  /**
   * Applies changed fields; retiring someone ends their sessions and closes their open role
   * requests, and someone coming back from retirement loses their privileged roles (new role
   * requests give them back). The other features hear of joins, moves and leaves.
   */
  async applyUpdate(tx: Transaction, before: Staff, dto: UpdateStaffDto): Promise<Staff> {
    const repo = tx.manager.getRepository(Staff);
    const { changes, after, privilegedRolesRemoved } = plannedUpdate(repo, before, dto);
    await repo.update({ id: before.id }, changes);
    tx.audit({
      action: 'staff.update',
      entityType: 'staff',
      entityId: before.id,
      before,
      after,
      ...(privilegedRolesRemoved.length ? { context: { privilegedRolesRemoved } } : {}),
    });
    if (before.status !== 'retired' && after.status === 'retired') {
      await this.auth.revokeAllSessions(tx, before.id, 'retired');
      await this.closeOpenRoleRequests(tx, before.id);
    }
    if (before.status === 'active' && after.status !== 'active') {
      await tx.publish({ type: 'staff.left', staffId: before.id, reason: after.status === 'retired' ? 'retired' : 'on_leave' });
    }
    if ((before.departmentId ?? null) !== (after.departmentId ?? null)) {
      await tx.publish({ type: 'staff.moved', staffId: before.id, fromDepartmentId: before.departmentId ?? null, toDepartmentId: after.departmentId ?? null });
    }
    if (before.status !== 'active' && after.status === 'active') {
      await tx.publish({ type: 'staff.joined', staffId: before.id, departmentId: after.departmentId ?? null, reason: 'returned' });
    }
    return after;
  }

  /**
   * Creates many staff members at once inside a running change (the HR import), set-based: one
   * INSERT per 10,000 people, one audit-trail row each (`staff.create`, as `insert` records it),
   * the invitations of those who start active in one outbox write, and one `staff.joined` run that
   * the reacting features take whole (`@OnDomainEvents`).
   */
  async insertMany(tx: Transaction, list: readonly StaffFieldsDto[]): Promise<NewStaffRow[]> {
    const organizationId = tx.actor.organizationId;
    const people: NewStaffRow[] = list.map((fields) => ({ id: timeOrderedUuid(), ...newStaffFields(fields) }));
    if (people.length === 0) return people;
    await insertStaffRows(tx.manager, organizationId, people);
    // what `tx.create` records: the row as saved, with the column defaults the database filled in
    tx.auditMany(
      people.map((person) => ({ action: 'staff.create', entityType: 'staff', entityId: person.id, after: { ...person, organizationId, failedLoginCount: 0 } })),
    );
    const joiners = people.filter((person) => person.status === 'active');
    await this.passwordSetup.requestLinks(
      tx,
      joiners.map((person) => person.id),
      'invitation',
      (staffId) => `welcome:${staffId}`,
    );
    await tx.publishAll(joiners.map((person) => ({ type: 'staff.joined', staffId: person.id, departmentId: person.departmentId, reason: 'created' })));
    return people;
  }

  /**
   * Applies many changes at once (the HR import), set-based, with what `applyUpdate` does for one:
   * the same audit-trail rows, sessions ended and role requests closed for those retiring, privileged
   * roles dropped for those coming back, and the joins, moves and leaves told in three runs. The
   * caller read `before` of each under its row lock.
   */
  async applyUpdates(tx: Transaction, list: readonly { before: Staff; changes: UpdateStaffDto }[]): Promise<Staff[]> {
    if (list.length === 0) return [];
    const repo = tx.manager.getRepository(Staff);
    const planned = list.map(({ before, changes }) => ({ before, ...plannedUpdate(repo, before, changes) }));
    await updateStaffRows(
      tx.manager,
      tx.actor.organizationId,
      planned.map(({ after }) => after),
    );
    tx.auditMany(
      planned.map(({ before, after, privilegedRolesRemoved }) => ({
        action: 'staff.update',
        entityType: 'staff',
        entityId: before.id,
        before,
        after,
        ...(privilegedRolesRemoved.length ? { context: { privilegedRolesRemoved } } : {}),
      })),
    );
    const left: DomainEvent[] = [];
    const moved: DomainEvent[] = [];
    const joined: DomainEvent[] = [];
    for (const { before, after } of planned) {
      if (before.status !== 'retired' && after.status === 'retired') {
        await this.auth.revokeAllSessions(tx, before.id, 'retired');
        await this.closeOpenRoleRequests(tx, before.id);
      }
      if (before.status === 'active' && after.status !== 'active')
        left.push({ type: 'staff.left', staffId: before.id, reason: after.status === 'retired' ? 'retired' : 'on_leave' });
      if ((before.departmentId ?? null) !== (after.departmentId ?? null))
        moved.push({ type: 'staff.moved', staffId: before.id, fromDepartmentId: before.departmentId ?? null, toDepartmentId: after.departmentId ?? null });
      if (before.status !== 'active' && after.status === 'active')
        joined.push({ type: 'staff.joined', staffId: before.id, departmentId: after.departmentId ?? null, reason: 'returned' });
    }
    await tx.publishAll([...left, ...moved, ...joined]);
    return planned.map(({ after }) => after);
  }

  /** Someone retiring: their open role requests are withdrawn (audited, the security office told). */
  private async closeOpenRoleRequests(tx: Transaction, staffId: string): Promise<void> {
    const open = await tx.manager.getRepository(RoleRequest).find({
      where: { organizationId: tx.actor.organizationId, staffId, status: In(OPEN_ROLE_REQUEST_STATUSES) },
      lock: { mode: 'pessimistic_write' },
    });
    for (const request of open) {
      await tx.update(
        request,
        { status: 'withdrawn', closedById: tx.actor.staffId ?? null, closedAt: new Date() },
        { action: 'role_request.withdraw', entityType: 'role_request', context: { reason: 'retired' } },
      );
      await tx.outbox({
        topic: 'staff.role_request',
        dedupeKey: `role-request:${request.id}:withdrawn`,
        payload: { roleRequestId: request.id, event: 'withdrawn' },
      });
    }
  }

  async checkReferences(tx: Transaction, fields: Partial<StaffFieldsDto>, current: Staff | null): Promise<void> {
    const repo = tx.manager.getRepository(Staff);
    if (fields.email && fields.email.toLowerCase() !== current?.email) {
      if (await repo.existsBy({ email: fields.email.toLowerCase() })) {
        throw new AppException('STAFF_EMAIL_TAKEN', undefined, [{ field: 'email', messages: ['e-mail address already used'] }]);
      }
    }
    if (fields.employeeNumber && fields.employeeNumber !== current?.employeeNumber) {
      if (await repo.existsBy({ organizationId: tx.actor.organizationId, employeeNumber: fields.employeeNumber })) {
        throw new AppException('STAFF_EMPLOYEE_NUMBER_TAKEN', undefined, [{ field: 'employeeNumber', messages: ['employee number already used'] }]);
      }
    }
    if (fields.departmentId) {
      const department = await tx.manager.getRepository(Department).findOneBy({ id: fields.departmentId, organizationId: tx.actor.organizationId });
      if (!department) throw new AppException('DEPARTMENT_NOT_FOUND', undefined, [{ field: 'departmentId', messages: ['no such department'] }]);
      // nobody joins a closed department (someone already in it keeps it until they move)
      if (department.closedOn && department.id !== current?.departmentId) {
        throw new AppException('DEPARTMENT_CLOSED', `${department.code} (${department.name}) was closed on ${department.closedOn}`, [
          { field: 'departmentId', messages: ['the department is closed'] },
        ]);
      }
    }
  }

  /**
   * The welcome e-mail. Someone without a password (created by an administrator or the HR import)
   * gets the one-time link to set it; someone created with a password (the bootstrap) a plain welcome.
   */
  private async welcome(tx: Transaction, staff: Staff): Promise<void> {
    if (!staff.passwordHash) {
      await this.passwordSetup.requestLink(tx, staff, 'invitation', `welcome:${staff.id}`);
      return;
    }
    await tx.outbox({ topic: 'staff.welcome', dedupeKey: `welcome:${staff.id}`, payload: { staffId: staff.id } });
  }
}

/**
 * The fields a new staff member is written with (the API, the bootstrap and the HR import alike):
 * each written field as given, or null, but for the ones with a rule or a default.
 */
export function newStaffFields(fields: StaffFieldsDto): Omit<NewStaffRow, 'id'> {
  const given = fields as Partial<Record<StaffWrittenField, unknown>>;
  const row = Object.fromEntries(STAFF_FIELD_COLUMNS.map(({ field }) => [field, given[field] ?? null])) as Omit<NewStaffRow, 'id'>;
  return {
    ...row,
    email: fields.email.toLowerCase(),
    roles: withStaffRole(fields.roles),
    status: fields.status ?? 'active',
    employmentType: fields.employmentType ?? DEFAULT_EMPLOYMENT_TYPE,
    locale: fields.locale ?? 'ja',
  };
}

/**
 * What applying `dto` to `before` makes of the record: the columns to write, the record after, and
 * the privileged roles someone coming back from retirement loses (new role requests give them
 * back); retiring without a leaving date sets it to today.
 */
function plannedUpdate(repo: Repository<Staff>, before: Staff, dto: UpdateStaffDto): { changes: Partial<Staff>; after: Staff; privilegedRolesRemoved: Role[] } {
  const changes: Partial<Staff> = {
    ...dto,
    ...(dto.email ? { email: dto.email.toLowerCase() } : {}),
    ...(dto.roles ? { roles: withStaffRole(dto.roles) } : {}),
  };
  const returning = before.status === 'retired' && changes.status !== undefined && changes.status !== 'retired';
  const privilegedRolesRemoved = returning ? before.roles.filter(isPrivilegedRole) : [];
  if (returning && (changes.roles ?? before.roles).some(isPrivilegedRole))
    changes.roles = (changes.roles ?? before.roles).filter((role) => !isPrivilegedRole(role));
  const after = repo.merge(repo.create({ ...before }), changes);
  if (after.status === 'retired' && !after.leftOn) after.leftOn = tokyoToday();
  return { changes: changes.status === 'retired' && !dto.leftOn ? { ...changes, leftOn: after.leftOn } : changes, after, privilegedRolesRemoved };
}

/**
 * Why a direct change of roles from `before` to `after` is refused: it grants or removes a
 * privileged role, which only a role request does (RoleRequestsService). Null when it may apply.
 */
export function privilegedRoleRefusal(before: readonly Role[], after: readonly Role[], staffId: string | null): FieldError | null {
  const { granted, revoked } = privilegedRoleChanges(before, after);
  if (granted.length === 0 && revoked.length === 0) return null;
  const where = staffId ? `POST /api/v1/staff/${staffId}/role-requests` : 'POST /api/v1/staff/:id/role-requests once the person exists';
  const what = [...granted.map((role) => `granting ${role}`), ...revoked.map((role) => `removing ${role}`)].join(', ');
  return { field: 'roles', messages: [`${what} needs a role request approved by a second person: ${where}`] };
}

/** The people among `staffIds` with an open role request (pending or awaiting confirmation, not past its time). */
export async function openRoleRequestStaffIds(tx: Transaction, staffIds: readonly string[]): Promise<Set<string>> {
  if (staffIds.length === 0) return new Set();
  const rows = (await tx.manager.query(
    `SELECT DISTINCT staff_id FROM role_requests
      WHERE organization_id = $1 AND staff_id = ANY($2::uuid[]) AND status = ANY($3::text[]) AND expires_at > now()`,
    [tx.actor.organizationId, staffIds, OPEN_ROLE_REQUEST_STATUSES],
  )) as { staff_id: string }[];
  return new Set(rows.map((row) => row.staff_id));
}

/**
 * Why the e-mail address of `person` may not change: they hold a privileged role or have an open
 * role request, and whoever holds the new address would set the password and enrol the second
 * factor. Null when it may change.
 */
export function privilegedEmailRefusal(person: Pick<Staff, 'id' | 'roles'>, withOpenRequests: ReadonlySet<string>): FieldError | null {
  const held = person.roles.filter(isPrivilegedRole);
  if (held.length) {
    return {
      field: 'email',
      messages: [
        `the person holds ${held.join(', ')}: remove it first by a role request (POST /api/v1/staff/${person.id}/role-requests), then change the address`,
      ],
    };
  }
  if (withOpenRequests.has(person.id)) {
    return { field: 'email', messages: ['the person has an open role request: it must be decided or withdrawn before the address changes'] };
  }
  return null;
}

/** The roles `person` keeps when their status becomes `status`: coming back from retirement, none privileged (applyUpdate). */
export function rolesKept(person: Pick<Staff, 'roles' | 'status'>, status: Staff['status'] | undefined): Staff['roles'] {
  const returning = person.status === 'retired' && status !== undefined && status !== 'retired';
  return returning ? person.roles.filter((role) => !isPrivilegedRole(role)) : person.roles;
}

/** Everyone is staff (DESIGN.md §2): the role is always kept. */
export function withStaffRole(roles: readonly Staff['roles'][number][]): Staff['roles'] {
  return roles.includes('staff') ? [...roles] : [...roles, 'staff'];
}
