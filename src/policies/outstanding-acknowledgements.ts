import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutstandingDutySource, type OutstandingDuty, type OutstandingDutyProvider } from '../common/outstanding-duties.js';

declare module '../common/outstanding-duties.js' {
  interface DutyKinds {
    /** an approved policy version to acknowledge (受講確認・誓約) */
    policy_acknowledgement: true;
  }
}

/** The acknowledgements people still owe, for their department's page and their reminders. */
@Injectable()
@OutstandingDutySource()
export class OutstandingAcknowledgements implements OutstandingDutyProvider {
  async outstandingDuties(manager: EntityManager, organizationId: string, staffIds: readonly string[]): Promise<OutstandingDuty[]> {
    if (staffIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT d.id, d.staff_id, p.title, p.title_en, v.version, d.due_on::text AS due_on
         FROM acknowledgement_duties d
         JOIN policy_versions v ON v.id = d.policy_version_id
         JOIN policies p ON p.id = v.policy_id
        WHERE d.organization_id = $1 AND d.staff_id = ANY($2::uuid[]) AND d.acknowledged_at IS NULL
        ORDER BY d.due_on, p.key, v.version`,
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
