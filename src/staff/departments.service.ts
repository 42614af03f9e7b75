import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Department } from './department.entity.js';
import { Staff } from './staff.entity.js';
import type { CreateDepartmentDto, DepartmentQuery, UpdateDepartmentDto } from './dto/department.dto.js';
import { DEPARTMENTS } from './staff.permissions.js';

@Injectable()
export class DepartmentsService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(actor: Actor, query: DepartmentQuery): Promise<Page<Department>> {
    assertMay(actor, DEPARTMENTS.read);
    const qb = this.uow.manager
      .getRepository(Department)
      .createQueryBuilder('d')
      .where('d.organizationId = :org', { org: actor.organizationId })
      .orderBy('d.code', 'ASC')
      .skip(skipTake(query).skip)
      .take(query.pageSize);
    if (query.parentId) qb.andWhere('d.parentId = :parentId', { parentId: query.parentId });
    if (query.q) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('d.code ILIKE :q', { q: `%${query.q}%` })
            .orWhere('d.name ILIKE :q')
            .orWhere('d.nameEn ILIKE :q'),
        ),
      );
    }
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async get(actor: Actor, id: string): Promise<Department> {
    assertMay(actor, DEPARTMENTS.read);
    const found = await this.uow.manager.getRepository(Department).findOneBy({ id, organizationId: actor.organizationId });
    if (!found) throw new AppException('DEPARTMENT_NOT_FOUND');
    return found;
  }

  async create(actor: Actor, dto: CreateDepartmentDto): Promise<Department> {
    assertMay(actor, DEPARTMENTS.manage);
    return this.uow.run(actor, async (tx) => {
      await this.assertCodeFree(tx, dto.code);
      if (dto.parentId) await this.mustExist(tx, dto.parentId, 'parentId');
      return tx.create(
        Department,
        { code: dto.code, name: dto.name, nameEn: dto.nameEn ?? null, parentId: dto.parentId ?? null },
        { action: 'department.create', entityType: 'department' },
      );
    });
  }

  async update(actor: Actor, id: string, dto: UpdateDepartmentDto): Promise<Department> {
    assertMay(actor, DEPARTMENTS.manage);
    return this.uow.run(actor, async (tx) => {
      const before = await tx.manager
        .getRepository(Department)
        .findOne({ where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new AppException('DEPARTMENT_NOT_FOUND');
      if (dto.code !== undefined && dto.code !== before.code) await this.assertCodeFree(tx, dto.code);
      if (dto.parentId) {
        await this.mustExist(tx, dto.parentId, 'parentId');
        await this.assertNoCycle(tx, id, dto.parentId);
      }
      return tx.update(before, dto, { action: 'department.update', entityType: 'department' });
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    assertMay(actor, DEPARTMENTS.manage);
    await this.uow.run(actor, async (tx) => {
      const before = await tx.manager.getRepository(Department).findOneBy({ id, organizationId: actor.organizationId });
      if (!before) throw new AppException('DEPARTMENT_NOT_FOUND');
      const children = await tx.manager.getRepository(Department).countBy({ parentId: id });
      const members = await tx.manager.getRepository(Staff).countBy({ departmentId: id });
      if (children + members > 0) throw new AppException('DEPARTMENT_IN_USE', `${members} staff and ${children} sub-departments still belong to it`);
      await tx.manager.delete(Department, { id });
      await tx.audit({ action: 'department.delete', entityType: 'department', entityId: id, before });
    });
  }

  private async assertCodeFree(tx: Transaction, code: string): Promise<void> {
    const taken = await tx.manager.getRepository(Department).existsBy({ organizationId: tx.actor.organizationId, code });
    if (taken) throw new AppException('DEPARTMENT_CODE_TAKEN', undefined, [{ field: 'code', messages: [`code "${code}" is already used`] }]);
  }

  private async mustExist(tx: Transaction, id: string, field: string): Promise<void> {
    const exists = await tx.manager.getRepository(Department).existsBy({ id, organizationId: tx.actor.organizationId });
    if (!exists) throw new AppException('DEPARTMENT_NOT_FOUND', `${field} names no department`, [{ field, messages: ['no such department'] }]);
  }

  private async assertNoCycle(tx: Transaction, id: string, parentId: string): Promise<void> {
    const [row] = (await tx.manager.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM departments WHERE id = $1
         UNION SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id)
       SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS cycle`,
      [parentId, id],
    )) as { cycle: boolean }[];
    if (row?.cycle) throw new AppException('DEPARTMENT_CYCLE', undefined, [{ field: 'parentId', messages: ['would make the department its own ancestor'] }]);
  }
}
