import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { JOB_RETRY, QUEUES } from '../outbox/outbox-topics.js';
import { SCHEDULES, type ScheduleJob, type ScheduleJobName } from './schedules.js';

/** How long start-up waits for Redis to accept the schedules before carrying on without them. */
const REGISTER_TIMEOUT_MS = 5_000;

/**
 * Registers the repeatable jobs where jobs run (worker, or the web process in development). The
 * repeat key is fixed (jobId + cron + tz), so every start-up registers the same job once; a
 * schedule whose cron or zone changed loses its old repetition.
 */
@Injectable()
export class ScheduleBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleBootstrap.name);

  constructor(@InjectQueue(QUEUES.schedules) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.register(),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error('Redis did not accept the schedules in time')), REGISTER_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn(`schedules not registered: ${(error as Error).message}`);
    } finally {
      clearTimeout(timeout);
    }
  }

  async register(): Promise<void> {
    const existing = await this.queue.getRepeatableJobs();
    for (const name of Object.keys(SCHEDULES) as ScheduleJobName[]) {
      const schedule = SCHEDULES[name];
      for (const old of existing) {
        if (old.name === name && old.id === schedule.jobId && (old.cron !== schedule.cron || old.tz !== schedule.tz)) {
          await this.queue.removeRepeatableByKey(old.key);
        }
      }
      const data: ScheduleJob = { name };
      await this.queue.add(name, data, {
        jobId: schedule.jobId,
        repeat: { cron: schedule.cron, tz: schedule.tz },
        ...JOB_RETRY,
        removeOnComplete: 100,
        removeOnFail: 100,
      });
    }
  }
}
