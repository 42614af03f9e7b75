import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { CONTROLS } from '../../controls/controls.permissions.js';
import { ControlsService } from '../../controls/controls.service.js';
import { WorkQueueSource, type WorkDays, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';

/** The work queue's controls: those due for checking within 30 days or overdue, for whoever records checks. */
@Injectable()
@WorkQueueSource()
export class ControlWorkItems implements WorkQueueProvider {
  constructor(private readonly controls: ControlsService) {}

  async workItems(actor: Actor, days: WorkDays): Promise<WorkItem[]> {
    if (!may(actor, CONTROLS.record_check)) return [];
    const { due, overdue } = await this.controls.countDueForCheck(actor, days);
    return [{ label: 'work.controlsDue', count: due, overdue, href: '/controls/due', order: 10 }];
  }
}
