import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { UnitOfWork } from '../database/unit-of-work.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { JOB_RETRY, QUEUES, type OutboxJob, type QueueName } from './outbox-topics.js';

const BATCH = 50;
const POLL_MS = 1_000;
const ENQUEUE_TIMEOUT_MS = 5_000;

/**
 * Moves outbox rows to bull. A row is marked dispatched only after bull accepted its job, whose id
 * is the row's id, so a relay that dies mid-batch re-sends at most a job bull already refuses.
 * When Redis is down the rows simply wait.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  private readonly queues: Record<Exclude<QueueName, 'schedules'>, Queue>;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly registry: JobRegistry,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.jobs) jobs: Queue,
  ) {
    this.queues = { notifications, jobs };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.relayOnce().catch((error: Error) => {
      this.logger.warn(`outbox relay: ${error.message}`);
      return 0;
    });
    await this.running;
    this.running = undefined;
  }

  /** Hands one batch of due messages to bull; returns how many were dispatched. */
  async relayOnce(): Promise<number> {
    return this.uow.manager.transaction(async (manager) => {
      const due = await manager
        .getRepository(OutboxMessage)
        .createQueryBuilder('m')
        .where('m.dispatchedAt IS NULL AND m.availableAt <= now()')
        .orderBy('m.availableAt', 'ASC')
        .take(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      let dispatched = 0;
      for (const message of due) {
        try {
          await this.enqueue(message);
          await manager.update(OutboxMessage, { id: message.id }, { dispatchedAt: new Date(), attempts: message.attempts + 1, lastError: null });
          dispatched++;
        } catch (error) {
          await manager.update(OutboxMessage, { id: message.id }, { attempts: message.attempts + 1, lastError: (error as Error).message.slice(0, 500) });
          break;
        }
      }
      return dispatched;
    });
  }

  private async enqueue(message: OutboxMessage): Promise<void> {
    const queue = this.queues[this.registry.queueOf(message.topic) as Exclude<QueueName, 'schedules'>];
    const job = { outboxMessageId: message.id, organizationId: message.organizationId, topic: message.topic, payload: message.payload } as OutboxJob;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      // the job's name is its topic: the runner looks its handler up by it
      queue.add(message.topic, job, { jobId: message.id, ...JOB_RETRY, removeOnComplete: 1_000, removeOnFail: 5_000 }),
      new Promise((_, reject) => {
        timeout = setTimeout(() => reject(new Error('Redis did not accept the job in time')), ENQUEUE_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timeout));
  }
}
