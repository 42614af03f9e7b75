import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { assertNever } from '../common/assert-never.js';
import { QUEUES } from '../outbox/outbox-topics.js';
import { ReviewDueService, type ReviewDueResult } from './review-due.service.js';
import type { ScheduleJob } from './schedules.js';

/** Runs the repeatable jobs of the `schedules` queue (registered by ScheduleBootstrap). */
@Processor(QUEUES.schedules)
export class SchedulesProcessor {
  constructor(private readonly reviewDue: ReviewDueService) {}

  @Process('review-due')
  reviewDueJob(_job: Job<ScheduleJob>): Promise<ReviewDueResult> {
    return this.run({ name: 'review-due' });
  }

  /** Finds policy reviews due within 30 days or overdue and writes their reminders (callable from tests). */
  findDueReviews(now: Date = new Date()): Promise<ReviewDueResult> {
    return this.reviewDue.findDueReviews(now);
  }

  run(job: ScheduleJob): Promise<ReviewDueResult> {
    switch (job.name) {
      case 'review-due':
        return this.findDueReviews();
      default:
        return assertNever(job.name);
    }
  }
}
