import { Injectable } from '@nestjs/common';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { OnDomainEvents, type DomainEvent } from '../common/events/domain-events.js';
import type { Transaction } from '../database/unit-of-work.js';
import '../staff/staff.events.js';
import { AUDIENCE_FROM_COLUMN } from './course-audience.js';
import type { EnrolmentSource } from './enrolment.entity.js';
import { ENROLMENTS_PER_MESSAGE } from './training.notifications.js';

interface NewEnrolment {
  id: string;
  staff_id: string;
  course_id: string;
  department_id: string | null;
  due_on: string;
  source: EnrolmentSource;
}

/**
 * The due day of someone enrolled (or enrolled again) after a course started, in SQL over course `c`
 * with today as $3: 30 days on, not before `base`; within the course's fiscal year, except for a
 * policy's acknowledgement, which is owed for as long as the version is in force.
 */
function dueFromToday(base: string): string {
  return `CASE WHEN c.kind = 'policy_acknowledgement' THEN GREATEST(${base}, $3::date + 30)
               ELSE GREATEST(${base}, LEAST($3::date + 30, make_date(c.fiscal_year + 1, 3, 31))) END`;
}

/**
 * How training follows the staff events of the year, in the transaction of the change (one statement
 * for however many people an HR import brings):
 *
 * - a joiner (or someone back from leave or retirement) is enrolled in the published courses of the
 *   current fiscal year whose audience they are in, due 30 days on (not before the course's date,
 *   not after the fiscal year), and in the acknowledgement courses of the policy versions in force,
 *   due 30 days on; enrolments withdrawn when they left are opened again;
 * - on a transfer, open enrolments move with the person (the new manager chases them) and courses
 *   for their new department enrol them; completed ones stay credited where they were done;
 * - someone who retires has their open enrolments withdrawn (out of every figure from then);
 *   someone going on leave keeps them until the security office exempts them with a reason.
 */
@Injectable()
export class StaffEnrolments {
  @OnDomainEvents('staff.joined')
  async joined(events: DomainEvent<'staff.joined'>[], tx: Transaction): Promise<number> {
    if (events.length === 0) return 0;
    const people = events.map((event) => ({ staff_id: event.staffId, source: event.reason === 'created' ? 'joined' : 'returned' }));
    const reopened = (await tx.manager.query(
      `UPDATE enrolments e SET withdrawn_at = NULL, department_id = s.department_id, updated_at = now(),
              -- back after the date: due as a joiner is
              due_on = ${dueFromToday('e.due_on')}
         FROM staff s, courses c
        WHERE s.id = e.staff_id AND c.id = e.course_id AND e.organization_id = $1 AND e.staff_id = ANY($2::uuid[])
          AND e.withdrawn_at IS NOT NULL AND e.completed_at IS NULL AND c.status = 'published'
          AND (c.fiscal_year = $4 OR c.policy_version_id IS NOT NULL)
        RETURNING e.id, e.staff_id, e.course_id, e.department_id`,
      [tx.actor.organizationId, people.map((p) => p.staff_id), tokyoToday(), fiscalYearOf(tokyoToday())],
    )) as [{ id: string; staff_id: string; course_id: string; department_id: string | null }[], number];
    if (reopened[0].length) {
      tx.auditMany(
        reopened[0].map((row) => ({
          action: 'enrolment.reopen',
          entityType: 'enrolment',
          entityId: row.id,
          after: { staffId: row.staff_id, departmentId: row.department_id, withdrawnAt: null },
          context: { courseId: row.course_id, reason: 'returned' },
        })),
      );
    }
    const created = await this.enrolInOpenCourses(tx, people);
    return created.length + reopened[0].length;
  }

  @OnDomainEvents('staff.moved')
  async moved(events: DomainEvent<'staff.moved'>[], tx: Transaction): Promise<number> {
    if (events.length === 0) return 0;
    const moves = events.map((event) => ({ staff_id: event.staffId, to_department_id: event.toDepartmentId }));
    const moved = (await tx.manager.query(
      `UPDATE enrolments e SET department_id = m.to_department_id, updated_at = now()
         FROM json_to_recordset($2::json) AS m(staff_id uuid, to_department_id uuid)
        WHERE e.organization_id = $1 AND e.staff_id = m.staff_id AND e.completed_at IS NULL AND e.withdrawn_at IS NULL
          AND e.department_id IS DISTINCT FROM m.to_department_id
        RETURNING e.id, e.staff_id, e.course_id, e.department_id`,
      [tx.actor.organizationId, JSON.stringify(moves)],
    )) as [{ id: string; staff_id: string; course_id: string; department_id: string | null }[], number];
    if (moved[0].length) {
      tx.auditMany(
        moved[0].map((row) => ({
          action: 'enrolment.move',
          entityType: 'enrolment',
          entityId: row.id,
          after: { staffId: row.staff_id, departmentId: row.department_id },
          context: { courseId: row.course_id },
        })),
      );
    }
    const created = await this.enrolInOpenCourses(
      tx,
      moves.map((move) => ({ staff_id: move.staff_id, source: 'moved' })),
    );
    return moved[0].length + created.length;
  }

  @OnDomainEvents('staff.left')
  async left(events: DomainEvent<'staff.left'>[], tx: Transaction): Promise<number> {
    const retired = events.filter((event) => event.reason === 'retired').map((event) => event.staffId);
    if (retired.length === 0) return 0;
    const withdrawn = (await tx.manager.query(
      `UPDATE enrolments e SET withdrawn_at = now(), updated_at = now()
        WHERE e.organization_id = $1 AND e.staff_id = ANY($2::uuid[])
          AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
        RETURNING e.id, e.staff_id, e.course_id, e.withdrawn_at`,
      [tx.actor.organizationId, retired],
    )) as [{ id: string; staff_id: string; course_id: string; withdrawn_at: Date }[], number];
    if (withdrawn[0].length) {
      tx.auditMany(
        withdrawn[0].map((row) => ({
          action: 'enrolment.withdraw',
          entityType: 'enrolment',
          entityId: row.id,
          after: { staffId: row.staff_id, withdrawnAt: row.withdrawn_at },
          context: { courseId: row.course_id, reason: 'retired' },
        })),
      );
    }
    return withdrawn[0].length;
  }

  /**
   * Enrols the people in the published courses of the current fiscal year whose audience they are
   * in and which they do not owe yet (targeted-mail drills enrol nobody this way: their results are
   * imported), and in the acknowledgement course of every policy version in force, whatever its year
   * (a version approved years ago is acknowledged by whoever joins while it is in force), due 30
   * days on. One statement; one audit row and one mail per enrolment made.
   */
  private async enrolInOpenCourses(tx: Transaction, people: { staff_id: string; source: string }[]): Promise<NewEnrolment[]> {
    const today = tokyoToday();
    const rows = (await tx.manager.query(
      `INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, due_on)
       SELECT s.organization_id, c.id, c.fiscal_year, s.id, s.department_id, p.source,
              ${dueFromToday('c.due_on')}
         FROM json_to_recordset($2::json) AS p(staff_id uuid, source varchar)
         -- one primary-key look-up per person (OFFSET 0 keeps it so): joiners an import has just added are
         -- not in the planner's statistics yet, and a plan that scans them all per person is quadratic
         -- (50,000 joiners: minutes, not a second)
         CROSS JOIN LATERAL (SELECT * FROM staff WHERE staff.id = p.staff_id AND staff.organization_id = $1 AND staff.status = 'active' OFFSET 0) s
         JOIN courses c ON c.organization_id = $1 AND c.status = 'published' AND c.kind <> 'targeted_mail_drill'
                       AND (c.fiscal_year = $4
                            OR (c.kind = 'policy_acknowledgement'
                                AND EXISTS (SELECT 1 FROM policy_versions v WHERE v.id = c.policy_version_id AND v.status = 'approved')))
        WHERE ${AUDIENCE_FROM_COLUMN}
       ON CONFLICT (course_id, staff_id) DO NOTHING
       RETURNING id, staff_id, course_id, department_id, due_on::text AS due_on, source`,
      [tx.actor.organizationId, JSON.stringify(people), today, fiscalYearOf(today)],
    )) as NewEnrolment[];
    if (rows.length === 0) return [];
    tx.auditMany(
      rows.map((row) => ({
        action: 'enrolment.enrol',
        entityType: 'enrolment',
        entityId: row.id,
        after: { staffId: row.staff_id, departmentId: row.department_id, dueOn: row.due_on, source: row.source },
        context: { courseId: row.course_id },
      })),
    );
    const messages = [];
    for (let i = 0; i < rows.length; i += ENROLMENTS_PER_MESSAGE) {
      const chunk = rows.slice(i, i + ENROLMENTS_PER_MESSAGE).map((row) => row.id);
      messages.push({ topic: 'training.enrolled' as const, dedupeKey: `enrolled:${chunk[0]}`, payload: { enrolmentIds: chunk } });
    }
    await tx.outbox(messages);
    return rows;
  }
}
