import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { JOB_RETRY, QUEUES, type OutboxJob } from '../outbox/outbox-topics.js';
import { JobRegistry } from './job-registry.js';

/** How long start-up waits for Redis to accept the schedules before carrying on without them. */
const REGISTER_TIMEOUT_MS = 5_000;
/** Jobs a process works on at once, per queue. */
const CONCURRENCY = { notifications: 4, jobs: 4, schedules: 1 } as const;

/**
 * Runs jobs where jobs run (the worker, or the web process in development): every outbox queue's
 * jobs go to the handler of their topic (the job's name), every schedule's to its handler; and the
 * repeatable schedules are registered with fixed ids, so every start-up registers each once.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly checksRunning = new Map<string, Promise<unknown>>();

  constructor(
    private readonly registry: JobRegistry,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
    @InjectQueue(QUEUES.jobs) private readonly jobs: Queue,
    @InjectQueue(QUEUES.schedules) private readonly schedules: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const [name, queue] of [
      ['notifications', this.notifications],
      ['jobs', this.jobs],
    ] as const) {
      void queue.process('*', CONCURRENCY[name], (job: Job<OutboxJob>) => this.runOutboxJob(job.data));
    }
    void this.schedules.process('*', CONCURRENCY.schedules, (job: Job) => this.runSchedule(job.name));
    for (const check of this.registry.periodicChecks()) {
      this.timers.push(
        setInterval(() => {
          if (this.checksRunning.has(check.name)) return;
          const run = check
            .run()
            .catch((error: Error) => this.logger.warn(`${check.name}: ${error.message}`))
            .finally(() => this.checksRunning.delete(check.name));
          this.checksRunning.set(check.name, run);
        }, check.everyMs),
      );
    }
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.registerSchedules(),
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

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.checksRunning.values());
    // stop taking jobs; the queues' connections are closed by the bull module
    await Promise.all([this.notifications, this.jobs, this.schedules].map((queue) => queue.pause(true, true).catch(() => undefined)));
  }

  /** One outbox job, by its topic's handler (callable directly, e.g. from tests). */
  runOutboxJob(job: OutboxJob): Promise<unknown> {
    return this.registry.outboxHandler(job.topic)(job);
  }

  /** One run of a schedule, by its handler; `now` for tests. */
  runSchedule(name: string, now?: Date): Promise<unknown> {
    return this.registry.scheduleHandler(name)(now);
  }

  /** Registers each schedule once; a schedule whose cron or zone changed loses its old repetition. */
  async registerSchedules(): Promise<void> {
    const existing = await this.schedules.getRepeatableJobs();
    for (const schedule of this.registry.scheduleDefinitions()) {
      for (const old of existing) {
        if (old.name === schedule.name && old.id === schedule.jobId && (old.cron !== schedule.cron || old.tz !== schedule.tz)) {
          await this.schedules.removeRepeatableByKey(old.key);
        }
      }
      await this.schedules.add(
        schedule.name,
        {},
        { jobId: schedule.jobId, repeat: { cron: schedule.cron, tz: schedule.tz }, ...JOB_RETRY, removeOnComplete: 100, removeOnFail: 100 },
      );
    }
  }
}
