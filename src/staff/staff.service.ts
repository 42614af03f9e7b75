import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { tokyoToday } from '../common/calendar.js';
import { accessScope, applyScope, type ScopeRules } from '../auth/access-scope.js';
import { AuthService } from '../auth/auth.service.js';
import { PasswordSetupService } from '../auth/password-setup.service.js';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import './staff.events.js';
import './staff.notifications.js';
import { STAFF } from './staff.permissions.js';
import { Department } from './department.entity.js';
import { Staff } from './staff.entity.js';
import type { CreateStaffDto, StaffFieldsDto, StaffQuery, UpdateStaffDto } from './dto/staff.dto.js';

/** Who sees which staff records: the office sees everyone, a manager their department, others themselves. */
export const STAFF_SCOPE: ScopeRules = { all: ['admin', 'ciso', 'security_officer'], department: ['manager'] };

@Injectable()
export class StaffService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly auth: AuthService,
    private readonly passwordSetup: PasswordSetupService,
  ) {}

  async list(actor: Actor, query: StaffQuery): Promise<Page<Staff>> {
    assertMay(actor, STAFF.list);
    const qb = this.uow.manager.getRepository(Staff).createQueryBuilder('s').leftJoinAndSelect('s.department', 'department');
    applyScope(qb, actor, accessScope(actor, STAFF_SCOPE), { organization: 's.organizationId', department: 's.departmentId', owner: 's.id' });
    if (query.departmentId) qb.andWhere('s.departmentId = :departmentId', { departmentId: query.departmentId });
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    if (query.role) qb.andWhere(':role = ANY(s.roles)', { role: query.role });
    if (query.q) {
      const q = `%${query.q}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('(s.familyName || s.givenName) ILIKE :q', { q })
            .orWhere("(coalesce(s.familyNameKana, '') || coalesce(s.givenNameKana, '')) ILIKE :q")
            .orWhere('s.email ILIKE :q')
            .orWhere('s.employeeNumber ILIKE :q'),
        ),
      );
    }
    const { skip, take } = skipTake(query);
    const [items, total] = await qb.orderBy('s.employeeNumber', 'ASC').skip(skip).take(take).getManyAndCount();
    return pageOf(items, total, query);
  }

  async get(actor: Actor, id: string): Promise<Staff> {
    assertMay(actor, STAFF.read);
    const qb = this.uow.manager.getRepository(Staff).createQueryBuilder('s').leftJoinAndSelect('s.department', 'department').where('s.id = :id', { id });
    applyScope(qb, actor, accessScope(actor, STAFF_SCOPE), { organization: 's.organizationId', department: 's.departmentId', owner: 's.id' });
    const staff = await qb.getOne();
    if (!staff) throw new AppException('STAFF_NOT_FOUND');
    return staff;
  }

  async me(actor: Actor): Promise<Staff> {
    assertMay(actor, STAFF.read_self);
    if (!actor.staffId) throw new AppException('UNAUTHENTICATED');
    return this.get(actor, actor.staffId);
  }

  async create(actor: Actor, dto: CreateStaffDto): Promise<Staff> {
    assertMay(actor, STAFF.create);
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
      {
        employeeNumber: fields.employeeNumber,
        familyName: fields.familyName,
        givenName: fields.givenName,
        familyNameKana: fields.familyNameKana ?? null,
        givenNameKana: fields.givenNameKana ?? null,
        email: fields.email.toLowerCase(),
        departmentId: fields.departmentId ?? null,
        roles: withStaffRole(fields.roles),
        status: fields.status ?? 'active',
        joinedOn: fields.joinedOn ?? null,
        leftOn: fields.leftOn ?? null,
        locale: fields.locale ?? 'ja',
        ...extra,
      },
      { action: 'staff.create', entityType: 'staff', omit: ['passwordHash', 'totpSecret'] },
    );
    if (staff.status === 'active') {
      await this.welcome(tx, staff);
      await tx.publish({ type: 'staff.joined', staffId: staff.id, departmentId: staff.departmentId, reason: 'created' });
    }
    return staff;
  }

  /** Applies changed fields; retiring someone ends their sessions. The other features hear of joins, moves and leaves. */
  async applyUpdate(tx: Transaction, before: Staff, dto: UpdateStaffDto): Promise<Staff> {
    const repo = tx.manager.getRepository(Staff);
    const changes: Partial<Staff> = {
      ...dto,
      ...(dto.email ? { email: dto.email.toLowerCase() } : {}),
      ...(dto.roles ? { roles: withStaffRole(dto.roles) } : {}),
    };
    const after = repo.merge(repo.create({ ...before }), changes);
    if (after.status === 'retired' && !after.leftOn) after.leftOn = tokyoToday();
    await repo.update({ id: before.id }, changes.status === 'retired' && !dto.leftOn ? { ...changes, leftOn: after.leftOn } : changes);
    tx.audit({ action: 'staff.update', entityType: 'staff', entityId: before.id, before, after });
    if (before.status !== 'retired' && after.status === 'retired') await this.auth.revokeAllSessions(tx, before.id, 'retired');
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
      const exists = await tx.manager.getRepository(Department).existsBy({ id: fields.departmentId, organizationId: tx.actor.organizationId });
      if (!exists) throw new AppException('DEPARTMENT_NOT_FOUND', undefined, [{ field: 'departmentId', messages: ['no such department'] }]);
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

/** Everyone is staff (DESIGN.md §2): the role is always kept. */
export function withStaffRole(roles: readonly Staff['roles'][number][]): Staff['roles'] {
  return roles.includes('staff') ? [...roles] : [...roles, 'staff'];
}
