import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { AcknowledgementsService } from '../../training/acknowledgements.service.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import { PoliciesService } from '../../policies/policies.service.js';
import { WorkQueueSource, type WorkDays, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';

/**
 * The work queue's policies: reviews due within 30 days or overdue (for those who review), and the
 * acknowledgements staff still owe (for those who chase them).
 */
@Injectable()
@WorkQueueSource()
export class PolicyWorkItems implements WorkQueueProvider {
  constructor(
    private readonly policies: PoliciesService,
    private readonly acknowledgements: AcknowledgementsService,
  ) {}

  async workItems(actor: Actor, days: WorkDays): Promise<WorkItem[]> {
    const items: WorkItem[] = [];
    if (may(actor, POLICIES.review)) {
      const { due, overdue } = await this.policies.countReviewsDue(actor, days);
      items.push({ label: 'work.reviewsDue', count: due, overdue, href: '/reviews', order: 20 });
    }
    if (may(actor, POLICIES.read_acknowledgements)) {
      const open = await this.acknowledgements.openByVersion(actor, days.today);
      const count = open.reduce((sum, row) => sum + row.open, 0);
      const overdue = open.reduce((sum, row) => sum + row.overdue, 0);
      items.push({ label: 'work.acknowledgementsOpen', count, overdue, href: '/acknowledgements', order: 30 });
    }
    return items;
  }
}
