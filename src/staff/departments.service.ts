import { Injectable } from '@nestjs/common';
import { Brackets, IsNull } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { tokyoToday } from '../common/calendar.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { Department } from './department.entity.js';
import { Staff } from './staff.entity.js';
import type { CreateDepartmentDto, DepartmentQuery, UpdateDepartmentDto } from './dto/department.dto.js';
import type { DepartmentTreeNode } from './dto/department-view.dto.js';
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
    if (query.state === 'open') qb.andWhere('d.closedOn IS NULL');
    if (query.state === 'closed') qb.andWhere('d.closedOn IS NOT NULL');
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
      if (dto.parentId) await this.mustBeOpen(tx, dto.parentId, 'parentId');
      if (dto.headId) await this.assertHead(tx, dto.headId);
      return tx.create(
        Department,
        { code: dto.code, name: dto.name, nameEn: dto.nameEn ?? null, parentId: dto.parentId ?? null, headId: dto.headId ?? null },
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
      if (before.closedOn) throw new AppException('DEPARTMENT_CLOSED', `${before.code} (${before.name}) was closed on ${before.closedOn}`);
      if (dto.code !== undefined && dto.code !== before.code) await this.assertCodeFree(tx, dto.code);
      if (dto.parentId && dto.parentId !== before.parentId) {
        await this.mustBeOpen(tx, dto.parentId, 'parentId');
        await this.assertNoCycle(tx, id, dto.parentId);
      }
      if (dto.headId && dto.headId !== before.headId) await this.assertHead(tx, dto.headId);
      return tx.update(before, dto, { action: 'department.update', entityType: 'department' });
    });
  }

  /**
   * Closes a department (廃止): it keeps its row and history, and is no longer offered as a parent.
   * Refused while staff who have not retired belong to it, or open sub-departments sit under it;
   * nothing is written then.
   */
  async close(actor: Actor, id: string): Promise<Department> {
    assertMay(actor, DEPARTMENTS.manage);
    return this.uow.run(actor, async (tx) => {
      const before = await tx.manager
        .getRepository(Department)
        .findOne({ where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new AppException('DEPARTMENT_NOT_FOUND');
      const label = `${before.code} (${before.name})`;
      if (before.closedOn) throw new AppException('DEPARTMENT_CLOSED', `${label} was closed on ${before.closedOn}`);
      // the members are locked too: nobody joins between the count and the close
      const [{ members }] = (await tx.manager.query(
        `SELECT count(*)::int AS members FROM (SELECT 1 FROM staff WHERE department_id = $1 AND status <> 'retired' FOR UPDATE) m`,
        [id],
      )) as [{ members: number }];
      if (members > 0) {
        throw new AppException(
          'DEPARTMENT_HAS_MEMBERS',
          `${label} still has ${members} active member${members === 1 ? '' : 's'}; move them to another department first`,
          undefined,
          { department: { id, code: before.code, name: before.name }, memberCount: members },
        );
      }
      const children = await tx.manager.getRepository(Department).countBy({ parentId: id, closedOn: IsNull() });
      if (children > 0) {
        throw new AppException('DEPARTMENT_IN_USE', `${label} still has ${children} open sub-department${children === 1 ? '' : 's'}`, undefined, {
          department: { id, code: before.code, name: before.name },
          subDepartmentCount: children,
        });
      }
      return tx.update(before, { closedOn: tokyoToday() }, { action: 'department.close', entityType: 'department' });
    });
  }

  /**
   * Reopens a closed department (a closure made by mistake, or a section brought back): it is offered
   * as a parent and as a place to work again. Refused while its parent is closed: reopen that first.
   */
  async reopen(actor: Actor, id: string): Promise<Department> {
    assertMay(actor, DEPARTMENTS.manage);
    return this.uow.run(actor, async (tx) => {
      const before = await tx.manager
        .getRepository(Department)
        .findOne({ where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new AppException('DEPARTMENT_NOT_FOUND');
      if (!before.closedOn) throw new AppException('DEPARTMENT_NOT_CLOSED', `${before.code} (${before.name}) is open`);
      if (before.parentId) await this.mustBeOpen(tx, before.parentId, 'parentId');
      return tx.update(before, { closedOn: null }, { action: 'department.reopen', entityType: 'department' });
    });
  }

  /** Every department of the organisation in tree order, with its depth, head and member count. */
  async tree(actor: Actor): Promise<DepartmentTreeNode[]> {
    assertMay(actor, DEPARTMENTS.read);
    const rows = (await this.uow.manager.query(
      `SELECT d.id, d.code, d.name, d.name_en AS "nameEn", d.parent_id AS "parentId", d.closed_on::text AS "closedOn",
              h.id AS "headId", h.family_name AS "headFamilyName", h.given_name AS "headGivenName", h.employee_number AS "headEmployeeNumber",
              (SELECT count(*)::int FROM staff s WHERE s.department_id = d.id AND s.status <> 'retired') AS "memberCount"
         FROM departments d LEFT JOIN staff h ON h.id = d.head_id
        WHERE d.organization_id = $1
        ORDER BY d.code`,
      [actor.organizationId],
    )) as {
      id: string;
      code: string;
      name: string;
      nameEn: string | null;
      parentId: string | null;
      closedOn: string | null;
      headId: string | null;
      headFamilyName: string | null;
      headGivenName: string | null;
      headEmployeeNumber: string | null;
      memberCount: number;
    }[];
    const children = new Map<string | null, typeof rows>();
    const ids = new Set(rows.map((r) => r.id));
    for (const row of rows) {
      const parent = row.parentId && ids.has(row.parentId) ? row.parentId : null;
      children.set(parent, [...(children.get(parent) ?? []), row]);
    }
    const out: DepartmentTreeNode[] = [];
    const walk = (parent: string | null, depth: number): void => {
      for (const row of children.get(parent) ?? []) {
        out.push({
          id: row.id,
          code: row.code,
          name: row.name,
          nameEn: row.nameEn,
          parentId: row.parentId,
          depth,
          head: row.headId ? { id: row.headId, name: `${row.headFamilyName} ${row.headGivenName}`, employeeNumber: row.headEmployeeNumber! } : null,
          memberCount: row.memberCount,
          closedOn: row.closedOn,
        });
        walk(row.id, depth + 1);
      }
    };
    walk(null, 0);
    return out;
  }

  private async assertCodeFree(tx: Transaction, code: string): Promise<void> {
    const taken = await tx.manager.getRepository(Department).existsBy({ organizationId: tx.actor.organizationId, code });
    if (taken) throw new AppException('DEPARTMENT_CODE_TAKEN', undefined, [{ field: 'code', messages: [`code "${code}" is already used`] }]);
  }

  private async mustBeOpen(tx: Transaction, id: string, field: string): Promise<void> {
    // read FOR SHARE: a close of that department (FOR UPDATE) waits for this change, or this waits for it
    const found = await tx.manager
      .getRepository(Department)
      .findOne({ where: { id, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_read' } });
    if (!found) throw new AppException('DEPARTMENT_NOT_FOUND', `${field} names no department`, [{ field, messages: ['no such department'] }]);
    if (found.closedOn) {
      throw new AppException('DEPARTMENT_CLOSED', `${found.code} (${found.name}) was closed on ${found.closedOn}`, [
        { field, messages: ['the department is closed'] },
      ]);
    }
  }

  private async assertHead(tx: Transaction, headId: string): Promise<void> {
    const head = await tx.manager.getRepository(Staff).findOneBy({ id: headId, organizationId: tx.actor.organizationId });
    if (!head || head.status === 'retired') {
      throw new AppException('DEPARTMENT_HEAD_INVALID', undefined, [{ field: 'headId', messages: [head ? 'the person has retired' : 'no such staff member'] }]);
    }
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
