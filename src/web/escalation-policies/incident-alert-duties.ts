import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { INCIDENT_SCOPE } from '../../incidents/incidents.permissions.js';
import { DutySource, type Duty, type DutyProvider } from '../my-page/my-page.service.js';

/**
 * The in-app channel of escalation: "my page" lists each incident whose running climb told me by a
 * level with the `in_app` channel, until someone acknowledges it (or the climb stops otherwise);
 * due when the climb goes on to its next attempt or level. Only incidents I may open are listed.
 */
@Injectable()
@DutySource()
export class IncidentAlertDuties implements DutyProvider {
  constructor(private readonly uow: UnitOfWork) {}

  async duties(actor: Actor): Promise<Duty[]> {
    if (!actor.staffId) return [];
    const params: unknown[] = [actor.organizationId, actor.staffId];
    let scope = '';
    if (!actor.roles.some((role) => INCIDENT_SCOPE.all.includes(role))) {
      if (actor.roles.some((role) => INCIDENT_SCOPE.department.includes(role)) && actor.departmentId) {
        params.push(actor.departmentId);
        scope = 'AND (i.reporter_id = $2 OR i.reporter_department_id = $3 OR i.department_id = $3)';
      } else {
        scope = 'AND i.reporter_id = $2';
      }
    }
    const rows = (await this.uow.manager.query(
      `SELECT i.id, i.reference, i.title, c.next_due_at
         FROM escalation_climbs c JOIN incidents i ON i.id = c.incident_id
        WHERE c.organization_id = $1 AND c.stopped_at IS NULL ${scope}
          AND EXISTS (SELECT 1 FROM escalation_firings f WHERE f.climb_id = c.id AND f.recipient_ids @> ARRAY[$2::uuid] AND f.channels ? 'in_app')
        ORDER BY i.reported_at`,
      params,
    )) as { id: string; reference: string; title: string; next_due_at: Date | null }[];
    return rows.map((row) => ({
      kind: 'incident_alert',
      title: `${row.reference} ${row.title}`,
      titleEn: null,
      dueAt: row.next_due_at ? new Date(row.next_due_at) : null,
      href: `/incidents/${row.id}`,
    }));
  }
}
