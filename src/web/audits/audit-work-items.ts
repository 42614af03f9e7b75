import { Injectable } from '@nestjs/common';
import { AUDITS } from '../../audits/audits.permissions.js';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { WorkQueueSource, type WorkDays, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';

/**
 * The work queue's audits: for the security office, audits in progress whose planned end is within
 * 30 days or past (overdue: past it); for the CISO, reports waiting for their acceptance. One query
 * for both.
 */
@Injectable()
@WorkQueueSource()
export class AuditWorkItems implements WorkQueueProvider {
  constructor(private readonly uow: UnitOfWork) {}

  async workItems(actor: Actor, days: WorkDays): Promise<WorkItem[]> {
    const running = may(actor, AUDITS.plan);
    const accepting = may(actor, AUDITS.accept);
    if (!running && !accepting) return [];
    const [counts] = (await this.uow.manager.query(
      `SELECT count(*) FILTER (WHERE status = 'in_progress' AND planned_end <= $2::date)::int AS ending,
              count(*) FILTER (WHERE status = 'in_progress' AND planned_end < $3::date)::int AS late,
              count(*) FILTER (WHERE status = 'reporting')::int AS reported
         FROM audits WHERE organization_id = $1 AND status IN ('in_progress', 'reporting')`,
      [actor.organizationId, days.until, days.today],
    )) as { ending: number; late: number; reported: number }[];
    const items: WorkItem[] = [];
    if (running)
      items.push({ label: 'work.auditsEnding', count: counts!.ending, overdue: counts!.late, href: '/audits?fiscalYear=all&status=in_progress', order: 25 });
    if (accepting)
      items.push({ label: 'work.auditReportsToAccept', count: counts!.reported, overdue: 0, href: '/audits?fiscalYear=all&status=reporting', order: 26 });
    return items;
  }
}
