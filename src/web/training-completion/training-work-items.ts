import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { TrainingFiguresService } from '../../training/training-figures.service.js';
import { TRAINING } from '../../training/training.permissions.js';
import { WorkQueueSource, type WorkDays, type WorkItem, type WorkQueueProvider } from '../work-queue/work-queue.service.js';

/** The work queue's training: the courses people still owe (a manager: their department's), overdue ones counted apart. */
@Injectable()
@WorkQueueSource()
export class TrainingWorkItems implements WorkQueueProvider {
  constructor(private readonly figures: TrainingFiguresService) {}

  async workItems(actor: Actor, days: WorkDays): Promise<WorkItem[]> {
    if (!may(actor, TRAINING.read_figures)) return [];
    const { open, overdue } = await this.figures.openCounts(actor, days.today);
    return [{ label: 'work.trainingOpen', count: open, overdue, href: '/training/completion/not-completed', order: 40 }];
  }
}
