import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { DutySource, type Duty, type DutyProvider } from '../my-page/my-page.service.js';

/**
 * A manager's self-inspections on "my page" (自己点検): each one in progress whose items of their
 * department are not all answered, or not yet signed off (課長確認); it leads to the unanswered
 * items, or to the checklist when only the sign-off is left. Due at the end of the planned period.
 */
@Injectable()
@DutySource()
export class SelfInspectionDuties implements DutyProvider {
  constructor(private readonly uow: UnitOfWork) {}

  async duties(actor: Actor): Promise<Duty[]> {
    if (!actor.staffId || !actor.departmentId || !actor.roles.includes('manager') || !may(actor, AUDITS.read)) return [];
    const rows = (await this.uow.manager.query(
      `SELECT a.id, a.title, a.planned_end::text AS planned_end,
              (SELECT count(*)::int FROM audit_checklist_items i WHERE i.audit_id = a.id AND i.department_id = $2 AND i.result IS NULL) AS open
         FROM audits a
        WHERE a.organization_id = $1 AND a.kind = 'self_inspection' AND a.status = 'in_progress' AND $2 = ANY(a.department_ids)
          AND NOT EXISTS (SELECT 1 FROM audit_sign_offs s WHERE s.audit_id = a.id AND s.department_id = $2)
          AND EXISTS (SELECT 1 FROM audit_checklist_items i WHERE i.audit_id = a.id AND i.department_id = $2)
        ORDER BY a.planned_end, a.reference`,
      [actor.organizationId, actor.departmentId],
    )) as { id: string; title: string; planned_end: string; open: number }[];
    return rows.map((row) => ({
      kind: 'self_inspection',
      title: row.title,
      titleEn: null,
      // the end of the planned period, in Tokyo
      dueAt: new Date(`${row.planned_end}T23:59:00+09:00`),
      href: row.open > 0 ? `/audits/${row.id}/checklist?result=unanswered` : `/audits/${row.id}/checklist#sign-off`,
    }));
  }
}
