import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { AppException } from '../common/errors/app.exception.js';
import { OutstandingDuties, type OutstandingDuty } from '../common/outstanding-duties.js';
import { assertMay, may, type Permission } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Department } from '../staff/department.entity.js';
import { DEPARTMENT_DUTIES, type ChasedDepartment } from './department-duties.permissions.js';
import './department-duties.notifications.js';

/** A member of the department, as named beside their duties. */
export interface MemberRef {
  id: string;
  employeeNumber: string;
  familyName: string;
  givenName: string;
}

/** One outstanding duty as a department's page shows it. */
export interface MemberDuty {
  kind: OutstandingDuty['kind'];
  title: string;
  titleEn: string | null;
  version: number | null;
  dueOn: string | null;
  overdue: boolean;
  /** the person's page where it is done */
  href: string;
}

export interface MemberOutstandingDuties {
  staff: MemberRef;
  duties: MemberDuty[];
  lastRemindedAt: Date | null;
  remindedToday: boolean;
}

export interface DepartmentOutstandingDuties {
  department: { id: string; code: string; name: string; nameEn: string | null; headId: string | null };
  today: string;
  items: MemberOutstandingDuties[];
  total: number;
  withDuties: number;
  overdue: number;
}

export interface RemindersResult {
  sent: number;
  alreadyRemindedToday: number;
  nothingOutstanding: number;
}

/** A department the caller may chase, with how many of its people owe something. */
export interface ChasedDepartmentSummary {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  members: number;
  withDuties: number;
  overdue: number;
}

/** Reminders to a person a day; the outbox's dedupe key says the same. */
export const reminderDedupeKey = (staffId: string, day: string): string => `duty-reminder:${staffId}:${day}`;

const memberColumns = `s.id, s.employee_number AS "employeeNumber", s.family_name AS "familyName", s.given_name AS "givenName"`;

/**
 * 所属の未完了: what a department's people still owe (from every feature's duties, see
 * common/outstanding-duties.ts) and reminders to them, one per person per day. Only the
 * department's own active members: a sub-department has its own manager, and the security office
 * opens it on its own.
 */
@Injectable()
export class DepartmentDutiesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly duties: OutstandingDuties,
  ) {}

  /** Each active member of the department with their outstanding duties and when they were last reminded. */
  async outstanding(actor: Actor, departmentId: string): Promise<DepartmentOutstandingDuties> {
    assertMay(actor, DEPARTMENT_DUTIES.read);
    const manager = this.uow.manager;
    const department = await this.chasedDepartment(manager, actor, departmentId, DEPARTMENT_DUTIES.read);
    const today = tokyoToday();
    const members = await this.members(manager, actor.organizationId, department.id);
    const ids = members.map((member) => member.id);
    const [duties, reminders] = await Promise.all([
      this.duties.of(manager, actor.organizationId, ids),
      this.lastReminders(manager, actor.organizationId, ids, today),
    ]);
    const items = members.map((staff) => {
      const reminder = reminders.get(staff.id);
      return {
        staff,
        duties: (duties.get(staff.id) ?? []).map((duty) => ({
          kind: duty.kind,
          title: duty.title,
          titleEn: duty.titleEn,
          version: duty.version,
          dueOn: duty.dueOn,
          overdue: duty.dueOn !== null && duty.dueOn < today,
          href: duty.href,
        })),
        lastRemindedAt: reminder?.at ?? null,
        remindedToday: reminder?.today ?? false,
      };
    });
    return {
      department: { id: department.id, code: department.code, name: department.name, nameEn: department.nameEn, headId: department.headId },
      today,
      items,
      total: items.length,
      withDuties: items.filter((item) => item.duties.length > 0).length,
      overdue: items.filter((item) => item.duties.some((duty) => duty.overdue)).length,
    };
  }

  /**
   * Reminds the people named (or everyone of the department who owes something) of their
   * outstanding duties: one e-mail each through the outbox, at most one a person a day whoever
   * sends it (Asia/Tokyo), each in the audit trail (who reminded whom of what). A person who owes
   * nothing, or was reminded today, is counted and skipped. Naming someone who is not an active
   * member of the department refuses the whole request; nothing is sent then.
   */
  async remind(actor: Actor, departmentId: string, staffIds?: readonly string[]): Promise<RemindersResult> {
    assertMay(actor, DEPARTMENT_DUTIES.remind);
    return this.uow.run(actor, async (tx) => {
      const org = actor.organizationId;
      const department = await this.chasedDepartment(tx.manager, actor, departmentId, DEPARTMENT_DUTIES.remind);
      const members = await this.members(tx.manager, org, department.id);
      const memberIds = new Set(members.map((member) => member.id));
      const named = staffIds ? [...new Set(staffIds)] : [...memberIds];
      const strangers = named.filter((id) => !memberIds.has(id));
      if (strangers.length > 0) {
        throw new AppException(
          'REMINDER_NOT_A_MEMBER',
          `${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not an active member of ${department.name}`,
          [{ field: 'staffIds', messages: strangers.map((id) => `${id} is not an active member of the department`) }],
        );
      }
      const duties = await this.duties.of(tx.manager, org, named);
      const owing = named.filter((id) => (duties.get(id)?.length ?? 0) > 0);
      const today = tokyoToday();
      const created =
        owing.length === 0
          ? []
          : ((await tx.manager.query(
              `INSERT INTO duty_reminders (organization_id, staff_id, department_id, reminded_on, reminded_by_id, duties)
               SELECT $1, t.staff_id, $2, $3, $4, t.duties FROM unnest($5::uuid[], $6::int[]) AS t(staff_id, duties)
               ON CONFLICT (staff_id, reminded_on) DO NOTHING
               RETURNING id, staff_id`,
              [org, department.id, today, actor.staffId, owing, owing.map((id) => duties.get(id)!.length)],
            )) as { id: string; staff_id: string }[]);
      for (const reminder of created) {
        tx.audit({
          action: 'duty_reminder.send',
          entityType: 'duty_reminder',
          entityId: reminder.id,
          after: {
            staffId: reminder.staff_id,
            departmentId: department.id,
            remindedOn: today,
            remindedById: actor.staffId,
            duties: duties.get(reminder.staff_id)!.map(({ kind, title, version, dueOn }) => ({ kind, title, version, dueOn })),
          },
          context: { department: department.code },
        });
      }
      await tx.outbox(
        created.map((reminder) => ({
          topic: 'duty.reminder' as const,
          dedupeKey: reminderDedupeKey(reminder.staff_id, today),
          payload: { reminderId: reminder.id },
        })),
      );
      return { sent: created.length, alreadyRemindedToday: owing.length - created.length, nothingOutstanding: named.length - owing.length };
    });
  }

  /**
   * The departments the caller chases, with how many of their people owe something (overdue):
   * the security office every open department, a manager the one they belong to and those they head.
   */
  async chasedDepartments(actor: Actor): Promise<ChasedDepartmentSummary[]> {
    const departments = await this.departmentsChasedBy(actor);
    if (departments.length === 0) return [];
    const manager = this.uow.manager;
    const org = actor.organizationId;
    const people = (await manager.query(
      `SELECT s.id, s.department_id FROM staff s WHERE s.organization_id = $1 AND s.status = 'active' AND s.department_id = ANY($2::uuid[])`,
      [org, departments.map((department) => department.id)],
    )) as { id: string; department_id: string }[];
    const duties = await this.duties.of(
      manager,
      org,
      people.map((person) => person.id),
    );
    const today = tokyoToday();
    return departments.map((department) => {
      const members = people.filter((person) => person.department_id === department.id);
      const owed = members.map((person) => duties.get(person.id) ?? []).filter((list) => list.length > 0);
      return {
        id: department.id,
        code: department.code,
        name: department.name,
        nameEn: department.nameEn,
        members: members.length,
        withDuties: owed.length,
        overdue: owed.filter((list) => list.some((duty) => duty.dueOn !== null && duty.dueOn < today)).length,
      };
    });
  }

  /** The open departments the caller chases, by code (no counts). */
  async departmentsChasedBy(actor: Actor): Promise<Department[]> {
    assertMay(actor, DEPARTMENT_DUTIES.read);
    const departments = await this.uow.manager
      .getRepository(Department)
      .createQueryBuilder('d')
      .where('d.organizationId = :org AND d.closedOn IS NULL', { org: actor.organizationId })
      .orderBy('d.code', 'ASC')
      .getMany();
    return departments.filter((department) => may(actor, DEPARTMENT_DUTIES.read, department));
  }

  /** The department, if it exists (404) and the caller chases it (403). */
  private async chasedDepartment(manager: EntityManager, actor: Actor, id: string, permission: Permission<ChasedDepartment>): Promise<Department> {
    const department = await manager.getRepository(Department).findOneBy({ id, organizationId: actor.organizationId });
    if (!department) throw new AppException('DEPARTMENT_NOT_FOUND');
    assertMay(actor, permission, department);
    return department;
  }

  private async members(manager: EntityManager, organizationId: string, departmentId: string): Promise<MemberRef[]> {
    return (await manager.query(
      `SELECT ${memberColumns} FROM staff s
        WHERE s.organization_id = $1 AND s.department_id = $2 AND s.status = 'active'
        ORDER BY s.employee_number`,
      [organizationId, departmentId],
    )) as MemberRef[];
  }

  /** When each person was last reminded, and whether that was today. */
  private async lastReminders(
    manager: EntityManager,
    organizationId: string,
    staffIds: string[],
    today: string,
  ): Promise<Map<string, { at: Date; today: boolean }>> {
    if (staffIds.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT r.staff_id, max(r.created_at) AS at, bool_or(r.reminded_on = $3::date) AS today
         FROM duty_reminders r
        WHERE r.organization_id = $1 AND r.staff_id = ANY($2::uuid[])
        GROUP BY r.staff_id`,
      [organizationId, staffIds, today],
    )) as { staff_id: string; at: Date; today: boolean }[];
    return new Map(rows.map((row) => [row.staff_id, { at: row.at, today: row.today }]));
  }
}
