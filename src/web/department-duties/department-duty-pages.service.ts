import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { DepartmentDutiesService, type MemberDuty, type RemindersResult } from '../../department-duties/department-duties.service.js';
import { DEPARTMENT_DUTIES } from '../../department-duties/department-duties.permissions.js';
import { may } from '../../common/permissions.js';
import type { NoticeKey } from '../flash.js';
import type { FormErrors } from '../forms/form-error.js';
import { fullName } from '../viewer.service.js';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (calendar dates). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** When a duty is due, in words: 「期限を3日過ぎています」, 「本日が期限です」, 「あと5日」. */
function dueInWords(duty: MemberDuty, today: string): { key: string; days: number } | null {
  if (!duty.dueOn) return null;
  const days = daysBetween(today, duty.dueOn);
  if (days === 0) return { key: 'departmentDuty.due.today', days: 0 };
  const key = days < 0 ? 'departmentDuty.due.overdue' : 'departmentDuty.due.left';
  return Math.abs(days) === 1 ? { key: `${key}One`, days: 1 } : { key, days: Math.abs(days) };
}

/** The message after a reminder: how many were sent, how many had today's already. */
export function reminderNotice(result: RemindersResult): { key: NoticeKey; counts: Record<string, number> } {
  const counts = { sent: result.sent, already: result.alreadyRemindedToday };
  if (result.sent > 0) return { key: result.alreadyRemindedToday > 0 ? 'notice.remindersSentSomeAlready' : 'notice.remindersSent', counts };
  if (result.alreadyRemindedToday > 0) return { key: 'notice.remindersAllAlready', counts };
  return { key: 'notice.remindersNothingOutstanding', counts };
}

/** 部署の未完了: the data of the department duties pages. */
@Injectable()
export class DepartmentDutyPagesService {
  constructor(private readonly duties: DepartmentDutiesService) {}

  /** The departments the person chases, with how many of their people owe something. */
  async departments(actor: Actor): Promise<{ data: object; only: string | null }> {
    const departments = await this.duties.chasedDepartments(actor);
    const office = actor.roles.includes('security_officer') || actor.roles.includes('ciso');
    return {
      // a manager of one department goes straight to it
      only: !office && departments.length === 1 ? departments[0]!.id : null,
      data: {
        title: 'departmentDuties.title',
        rows: departments.map((department) => ({ ...department, href: `/department-duties/${department.id}` })),
        withDuties: departments.reduce((sum, department) => sum + department.withDuties, 0),
      },
    };
  }

  /** One department: each person who owes something, with their duties, last reminder and the remind buttons. */
  async department(actor: Actor, id: string, formErrors?: FormErrors): Promise<object> {
    const result = await this.duties.outstanding(actor, id);
    const people = result.items
      .filter((item) => item.duties.length > 0)
      .map((item) => ({
        staffId: item.staff.id,
        name: fullName(item.staff),
        employeeNumber: item.staff.employeeNumber,
        duties: item.duties.map((duty) => ({ ...duty, due: dueInWords(duty, result.today) })),
        lastRemindedAt: item.lastRemindedAt,
        remindedToday: item.remindedToday,
      }));
    const department = result.department;
    const office = actor.roles.includes('security_officer') || actor.roles.includes('ciso');
    return {
      title: 'departmentDuty.title',
      titleDetail: { ja: department.name, en: department.nameEn ?? department.name },
      department,
      today: result.today,
      people,
      total: result.total,
      withDuties: result.withDuties,
      overdue: result.overdue,
      // everyone owing something was reminded today: "remind everyone" would send nothing
      remindable: people.filter((person) => !person.remindedToday).length,
      canRemind: may(actor, DEPARTMENT_DUTIES.remind, department),
      // the list of departments, for those who chase more than this one
      backToList: office || (await this.duties.departmentsChasedBy(actor)).length > 1,
      action: `/department-duties/${department.id}/reminders`,
      ...(formErrors ? { formErrors } : {}),
    };
  }
}
