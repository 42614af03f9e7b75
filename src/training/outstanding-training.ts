import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { tokyoToday } from '../common/calendar.js';
import { OutstandingDutySource, type OutstandingDuty, type OutstandingDutyProvider } from '../common/outstanding-duties.js';

declare module '../common/outstanding-duties.js' {
  interface DutyKinds {
    /** a course to complete (研修) */
    training: true;
  }
}

/**
 * The courses people still owe, for their department's page and its reminders: their open
 * enrolments (not completed, exempt or withdrawn) of published courses that have opened, in one
 * query for however many people.
 */
@Injectable()
@OutstandingDutySource()
export class OutstandingTraining implements OutstandingDutyProvider {
  async outstandingDuties(manager: EntityManager, organizationId: string, staffIds: readonly string[]): Promise<OutstandingDuty[]> {
    if (staffIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT e.id, e.staff_id, c.title, c.title_en, e.due_on::text AS due_on
         FROM enrolments e
         JOIN courses c ON c.id = e.course_id
        WHERE e.organization_id = $1 AND e.staff_id = ANY($2::uuid[])
          AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
          AND c.status = 'published' AND c.opens_on <= $3::date
          AND c.policy_version_id IS NULL -- a policy version's acknowledgement is listed by OutstandingAcknowledgements, as the policy and its version
        ORDER BY e.due_on, c.title`,
      [organizationId, staffIds, tokyoToday()],
    )) as { id: string; staff_id: string; title: string; title_en: string | null; due_on: string }[];
    return rows.map((row) => ({
      staffId: row.staff_id,
      kind: 'training',
      title: row.title,
      titleEn: row.title_en,
      version: null,
      dueOn: row.due_on,
      href: `/training/enrolments/${row.id}`,
    }));
  }
}
