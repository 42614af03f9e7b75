import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutstandingDutySource, type OutstandingDuty, type OutstandingDutyProvider } from '../common/outstanding-duties.js';

declare module '../common/outstanding-duties.js' {
  interface DutyKinds {
    /** an approved policy version to acknowledge (受講確認・誓約) */
    policy_acknowledgement: true;
  }
}

/**
 * The policy acknowledgements people still owe (their open enrolments in the acknowledgement course
 * of a version in force), for their department's page and their reminders; listed by the policy's
 * title and version, leading to the acknowledgement page.
 */
@Injectable()
@OutstandingDutySource()
export class OutstandingAcknowledgements implements OutstandingDutyProvider {
  async outstandingDuties(manager: EntityManager, organizationId: string, staffIds: readonly string[]): Promise<OutstandingDuty[]> {
    if (staffIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT e.id, e.staff_id, p.title, p.title_en, v.version, e.due_on::text AS due_on
         FROM enrolments e
         JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement' AND c.status = 'published'
         JOIN policy_versions v ON v.id = c.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE e.organization_id = $1 AND e.staff_id = ANY($2::uuid[])
          AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
        ORDER BY e.due_on, p.key, v.version`,
      [organizationId, staffIds],
    )) as { id: string; staff_id: string; title: string; title_en: string | null; version: number; due_on: string }[];
    return rows.map((row) => ({
      staffId: row.staff_id,
      kind: 'policy_acknowledgement',
      title: row.title,
      titleEn: row.title_en,
      version: row.version,
      dueOn: row.due_on,
      href: `/acknowledgements/${row.id}`,
    }));
  }
}
