import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { IncidentFiguresService } from '../../incidents/incident-figures.service.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { WorkQueueSource, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';

/**
 * The work queue's incidents (for the security office; the CISO sees what is unacknowledged and
 * owed outside): reports waiting for triage (late after a day), open incidents nobody has
 * acknowledged (late once escalated past the first level), and external reports due within a day
 * or overdue. One query for the three.
 */
@Injectable()
@WorkQueueSource()
export class IncidentDeskWorkItems implements WorkQueueProvider {
  constructor(private readonly figures: IncidentFiguresService) {}

  async workItems(actor: Actor): Promise<WorkItem[]> {
    if (!may(actor, INCIDENTS.read_all)) return [];
    const counts = await this.figures.deskCounts(actor);
    return [
      ...(may(actor, INCIDENTS.respond)
        ? [{ label: 'work.incidentsToTriage', count: counts.toTriage, overdue: counts.toTriageLate, href: '/incidents?status=reported', order: 1 }]
        : []),
      {
        label: 'work.incidentsUnacknowledged',
        count: counts.unacknowledged,
        overdue: counts.unacknowledgedEscalated,
        href: '/incidents?unacknowledged=true',
        order: 2,
      },
      {
        label: 'work.externalReportsDue',
        count: counts.externalReportsDue,
        overdue: counts.externalReportsOverdue,
        href: '/incidents/external-reports/due',
        order: 3,
      },
    ];
  }
}
