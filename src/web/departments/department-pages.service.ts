import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { DepartmentsService } from '../../staff/departments.service.js';
import type { DepartmentTreeNode } from '../../staff/dto/department-view.dto.js';
import { DEPARTMENT_STATES, type DepartmentState } from '../../staff/dto/department.dto.js';
import { Staff } from '../../staff/staff.entity.js';
import type { FormErrors } from '../forms/form-error.js';
import { fullName } from '../viewer.service.js';

/** What a refused form sent, to show it again. */
const sent = (formErrors: FormErrors | undefined, form: string): Record<string, unknown> | null => (formErrors?.form === form ? formErrors.submitted : null);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The tree as the pages show it: indented names, parent and head by name. */
function rows(tree: DepartmentTreeNode[]) {
  const byId = new Map(tree.map((node) => [node.id, node]));
  return tree.map((node) => ({
    ...node,
    href: `/departments/${node.id}`,
    // the tree drawn with characters: the page's stylesheet is shared, and the parent column says it in words
    indent: node.depth > 0 ? `${'\u3000'.repeat(node.depth - 1)}└\u00a0` : '',
    parent: node.parentId ? (byId.get(node.parentId) ?? null) : null,
  }));
}

/** 部署: the data of the departments pages. */
@Injectable()
export class DepartmentPagesService {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly uow: UnitOfWork,
  ) {}

  async tree(actor: Actor, formErrors?: FormErrors, state: DepartmentState = 'open'): Promise<object> {
    const tree = await this.departments.tree(actor);
    const shown = (node: DepartmentTreeNode) => state === 'all' || (state === 'open' ? !node.closedOn : Boolean(node.closedOn));
    const submitted = sent(formErrors, 'create');
    const parentId = text(submitted?.parentId);
    return {
      title: 'departments.title',
      rows: rows(tree).filter(shown),
      openCount: tree.filter((node) => !node.closedOn).length,
      closedCount: tree.filter((node) => node.closedOn).length,
      states: DEPARTMENT_STATES.map((value) => ({ value, href: value === 'open' ? '/departments' : `/departments?state=${value}`, current: value === state })),
      create: { code: text(submitted?.code), name: text(submitted?.name), nameEn: text(submitted?.nameEn) },
      parents: tree.filter((node) => !node.closedOn).map((node) => ({ ...node, selected: node.id === parentId, indent: rows([node])[0]!.indent })),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async department(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const tree = await this.departments.tree(actor);
    const all = rows(tree);
    const department = all.find((node) => node.id === id);
    if (!department) throw new AppException('DEPARTMENT_NOT_FOUND');
    // a department cannot move under itself or under one of its own sub-departments
    const below = new Set<string>([id]);
    for (const node of tree) if (node.parentId && below.has(node.parentId)) below.add(node.id);
    const submitted = sent(formErrors, 'edit');
    const parentId = submitted ? text(submitted.parentId) : (department.parentId ?? '');
    const headId = submitted ? text(submitted.headId) : (department.head?.id ?? '');
    const members = await this.uow.manager
      .getRepository(Staff)
      .createQueryBuilder('s')
      .where('s.organizationId = :org AND s.departmentId = :id AND s.status <> :retired', { org: actor.organizationId, id, retired: 'retired' })
      .orderBy('s.employeeNumber', 'ASC')
      .getMany();
    const heads = members.map((person) => ({ id: person.id, name: fullName(person), employeeNumber: person.employeeNumber }));
    // the head sitting now stays offered even when they belong to another department
    if (department.head && !heads.some((person) => person.id === department.head!.id)) heads.unshift(department.head);
    return {
      title: 'department.title',
      titleDetail: { ja: department.name, en: department.nameEn ?? department.name },
      department,
      edit: {
        name: submitted ? text(submitted.name) : department.name,
        nameEn: submitted ? text(submitted.nameEn) : (department.nameEn ?? ''),
      },
      parents: all
        .filter((node) => !node.closedOn && !below.has(node.id))
        .map((node) => ({ id: node.id, code: node.code, name: node.name, indent: node.indent, selected: node.id === parentId })),
      heads: heads.map((person) => ({ ...person, selected: person.id === headId })),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async closing(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const department = rows(await this.departments.tree(actor)).find((node) => node.id === id);
    if (!department) throw new AppException('DEPARTMENT_NOT_FOUND');
    return {
      title: 'departmentClose.title',
      titleDetail: { ja: department.name, en: department.nameEn ?? department.name },
      department,
      ...(formErrors ? { formErrors } : {}),
    };
  }
}
