import { Injectable } from '@nestjs/common';
import { accessScope } from '../../auth/access-scope.js';
import { AUTH } from '../../auth/auth.permissions.js';
import { PasswordSetupService } from '../../auth/password-setup.service.js';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { may } from '../../common/permissions.js';
import { isPrivilegedRole, ROLES, type Role } from '../../common/roles.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { DepartmentsService } from '../../staff/departments.service.js';
import type { DepartmentTreeNode } from '../../staff/dto/department-view.dto.js';
import type { StaffView } from '../../staff/dto/staff-view.dto.js';
import { DEFAULT_EMPLOYMENT_TYPE, EMPLOYMENT_TYPES } from '../../staff/employment.js';
import { ROLE_REQUESTS } from '../../staff/role-requests.permissions.js';
import { EMPLOYMENT_STATUSES, type EmploymentStatus, type Staff } from '../../staff/staff.entity.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { rolesKept, STAFF_SCOPE, StaffService } from '../../staff/staff.service.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import { fullName } from '../viewer.service.js';
import type { StaffForm, StaffRetireForm } from './staff-page.dto.js';
import type { StaffPageQuery } from './staff-page-query.dto.js';

export const STAFF_PAGE_SIZE = 50;

/** The form of /staff/new and of a person's page. */
export const STAFF_FORM = 'staff';
export const INVITE_FORM = 'staffInvite';
export const RETIRE_FORM = 'staffRetire';

/** What a refused form sent, to show it again. */
const sent = (formErrors: FormErrors | undefined, form: string): Record<string, unknown> | null => (formErrors?.form === form ? formErrors.submitted : null);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

/** A department in a select: indented by its depth, closed ones marked. */
const departmentOption = (node: DepartmentTreeNode, selected: string | null | undefined) => ({
  id: node.id,
  label: `${node.depth > 0 ? `${'\u3000'.repeat(node.depth)}` : ''}${node.name}（${node.code}）`,
  closed: node.closedOn !== null,
  selected: node.id === selected,
});

const personHref = (id: string): string => `/staff/${id}`;

/** The values a person's form shows: what was sent when it was refused, else the person's record. */
function formValues(person: StaffView | null, submitted: Record<string, unknown> | null) {
  if (submitted) {
    return {
      employeeNumber: text(submitted.employeeNumber),
      familyName: text(submitted.familyName),
      givenName: text(submitted.givenName),
      familyNameKana: text(submitted.familyNameKana),
      givenNameKana: text(submitted.givenNameKana),
      email: text(submitted.email),
      departmentId: text(submitted.departmentId),
      employmentType: text(submitted.employmentType),
      status: text(submitted.status),
      joinedOn: text(submitted.joinedOn),
      manager: list(submitted.roles).includes('manager'),
    };
  }
  return {
    employeeNumber: person?.employeeNumber ?? '',
    familyName: person?.familyName ?? '',
    givenName: person?.givenName ?? '',
    familyNameKana: person?.familyNameKana ?? '',
    givenNameKana: person?.givenNameKana ?? '',
    email: person?.email ?? '',
    departmentId: person?.departmentId ?? '',
    employmentType: person?.employmentType ?? DEFAULT_EMPLOYMENT_TYPE,
    status: person?.status ?? 'active',
    joinedOn: person?.joinedOn ?? '',
    manager: person?.roles.includes('manager') ?? false,
  };
}

/** 職員: the data of the staff pages, and the page forms turned into the staff service's changes. */
@Injectable()
export class StaffPagesService {
  constructor(
    private readonly staff: StaffService,
    private readonly departments: DepartmentsService,
    private readonly passwords: PasswordSetupService,
    private readonly uow: UnitOfWork,
  ) {}

  async list(actor: Actor, query: StaffPageQuery): Promise<object> {
    const filter = { q: query.q, departmentId: query.departmentId, employmentType: query.employmentType, status: query.status, role: query.role };
    const [result, tree] = await Promise.all([
      this.staff.list(actor, { ...filter, page: query.page, pageSize: STAFF_PAGE_SIZE }),
      // a manager sees their own department only: no department to choose
      accessScope(actor, STAFF_SCOPE).kind === 'all' ? this.departments.tree(actor) : Promise.resolve(null),
    ]);
    return {
      title: 'staffList.title',
      filter,
      canCreate: may(actor, STAFF.create),
      canImport: may(actor, STAFF.import),
      departments: tree?.map((node) => departmentOption(node, query.departmentId)) ?? null,
      employmentTypes: EMPLOYMENT_TYPES.map((value) => ({ value, selected: value === query.employmentType })),
      statuses: EMPLOYMENT_STATUSES.map((value) => ({ value, selected: value === query.status })),
      roles: ROLES.map((value) => ({ value, selected: value === query.role })),
      rows: result.items.map((person) => ({
        href: personHref(person.id),
        employeeNumber: person.employeeNumber,
        name: fullName(person),
        kana: [person.familyNameKana, person.givenNameKana].filter(Boolean).join(' '),
        email: person.email,
        department: person.department,
        employmentType: person.employmentType,
        roles: person.roles,
        status: person.status,
      })),
      pager: pagerFor(result, '/staff', filter),
    };
  }

  async newPerson(actor: Actor, formErrors?: FormErrors): Promise<object> {
    const submitted = sent(formErrors, STAFF_FORM);
    const values = formValues(null, submitted);
    return {
      title: 'staffNew.title',
      form: await this.formData(actor, values, null, ['active', 'on_leave']),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async person(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const person = await this.staff.get(actor, id);
    const own = person.id === actor.staffId;
    const retired = person.status === 'retired';
    const canEdit = may(actor, STAFF.update);
    const canInvite = may(actor, AUTH.invite) && !retired;
    const values = formValues(person, sent(formErrors, STAFF_FORM));
    // retiring is a step of its own (it ends the person's sessions); bringing someone back is a change of status here
    const statuses: EmploymentStatus[] = retired ? ['retired', 'active', 'on_leave'] : ['active', 'on_leave'];
    return {
      title: 'staffPerson.title',
      titleDetail: { ja: fullName(person), en: fullName(person) },
      person: {
        ...person,
        href: personHref(person.id),
        name: fullName(person),
        kana: [person.familyNameKana, person.givenNameKana].filter(Boolean).join(' '),
        privilegedRoles: person.roles.filter(isPrivilegedRole),
        hasPassword: canInvite || canEdit ? await this.hasPassword(actor, person.id) : null,
      },
      own,
      retired,
      canEdit,
      canInvite,
      canRetire: canEdit && !retired && !own,
      canRequestRole: may(actor, ROLE_REQUESTS.request) && !retired,
      form: canEdit ? await this.formData(actor, values, person, statuses) : null,
      ...(formErrors ? { formErrors } : {}),
    };
  }

  async retiring(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const person = await this.staff.get(actor, id);
    const submitted = sent(formErrors, RETIRE_FORM);
    return {
      title: 'staffRetire.title',
      titleDetail: { ja: fullName(person), en: fullName(person) },
      person: { ...person, href: personHref(person.id), name: fullName(person) },
      retired: person.status === 'retired',
      leftOn: submitted ? text(submitted.leftOn) : tokyoToday(),
      ...(formErrors ? { formErrors } : {}),
    };
  }

  /** Adds a person; someone who starts active is sent the invitation to set their password. */
  async create(actor: Actor, form: StaffForm): Promise<Staff> {
    return this.staff.create(actor, { ...this.fieldsOf(form), roles: rolesFrom(form.roles, []) });
  }

  /**
   * Changes a person; the privileged roles they keep stay (a role request changes them; someone
   * coming back from retirement keeps none), and all their roles stay when the form did not show them.
   */
  async update(actor: Actor, id: string, form: StaffForm): Promise<void> {
    let roles: Role[] | undefined;
    if (form.rolesShown) {
      const person = await this.staff.get(actor, id);
      roles = rolesFrom(form.roles, rolesKept(person, form.status));
    }
    await this.staff.update(actor, id, { ...this.fieldsOf(form), ...(roles ? { roles } : {}) });
  }

  invite(actor: Actor, id: string): Promise<{ expiresAt: Date }> {
    return this.passwords.invite(actor, id);
  }

  /** Retires a person: the staff service ends their sessions and withdraws their open role requests. */
  async retire(actor: Actor, id: string, form: StaffRetireForm): Promise<void> {
    await this.staff.update(actor, id, { status: 'retired', ...(form.leftOn ? { leftOn: form.leftOn } : {}) });
  }

  private fieldsOf(form: StaffForm) {
    return {
      employeeNumber: form.employeeNumber,
      familyName: form.familyName,
      givenName: form.givenName,
      familyNameKana: form.familyNameKana,
      givenNameKana: form.givenNameKana,
      email: form.email,
      departmentId: form.departmentId,
      employmentType: form.employmentType,
      status: form.status,
      joinedOn: form.joinedOn,
    };
  }

  /** The selects of the person form: open departments (and the person's own, even if closed), types, statuses. */
  private async formData(actor: Actor, values: ReturnType<typeof formValues>, person: StaffView | null, statuses: EmploymentStatus[]) {
    const tree = await this.departments.tree(actor);
    return {
      values,
      departments: tree.filter((node) => node.closedOn === null || node.id === person?.departmentId).map((node) => departmentOption(node, values.departmentId)),
      employmentTypes: EMPLOYMENT_TYPES.map((value) => ({ value, selected: value === values.employmentType })),
      statuses: statuses.map((value) => ({ value, selected: value === values.status })),
    };
  }

  /** Whether the person has set a password (read for the administrator's page, never the hash itself). */
  private async hasPassword(actor: Actor, id: string): Promise<boolean> {
    const [row] = (await this.uow.manager.query(`SELECT password_hash IS NOT NULL AS set FROM staff WHERE id = $1 AND organization_id = $2`, [
      id,
      actor.organizationId,
    ])) as { set: boolean }[];
    return row?.set ?? false;
  }
}

/** The roles a person holds after the page's form: the ticked ones, and the privileged ones they hold. */
export function rolesFrom(ticked: readonly Role[], held: readonly Role[]): Role[] {
  return [...new Set<Role>(['staff', ...ticked.filter((role) => !isPrivilegedRole(role)), ...held.filter(isPrivilegedRole)])];
}
