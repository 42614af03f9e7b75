import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { addMethodMetadata, FeatureCatalog } from '../common/features/discovery.js';
import type { ScheduleDefinition } from '../common/features/feature.js';
import { OUTBOX_HANDLER, QUEUES, type OutboxJob, type OutboxTopic, type QueueName } from '../outbox/outbox-topics.js';

const SCHEDULED_JOB = Symbol('mamori:scheduled-job');
const PERIODIC_CHECK = Symbol('mamori:periodic-check');

/** A check that runs every `everyMs` where jobs run, without Redis (it survives Redis losing its timers). */
export interface PeriodicCheckDefinition {
  name: string;
  everyMs: number;
}

/**
 * Marks a provider method as a periodic check: `() => Promise<…>`, called every `everyMs` by the
 * process that runs jobs (the worker, or the web process in development), never twice at once.
 * For what must re-derive its due work from the database after a restart of anything (escalations).
 */
export function PeriodicCheck(name: string, everyMs: number): MethodDecorator {
  return addMethodMetadata(PERIODIC_CHECK, { name, everyMs } satisfies PeriodicCheckDefinition);
}

/** Marks a provider method as the handler of a schedule the feature declares: `(now?: Date) => Promise<…>`. */
export function ScheduledJob(name: string): MethodDecorator {
  return addMethodMetadata(SCHEDULED_JOB, name);
}

export type OutboxJobHandler = (job: OutboxJob) => Promise<unknown>;
export type ScheduleHandler = (now?: Date) => Promise<unknown>;

interface Handled<H> {
  owner: string;
  handlers: { name: string; handle: H }[];
}

/**
 * Where each job goes and what runs it, learnt from the features: the outbox topics with their
 * queue, the repeatable schedules, and the methods marked `@OutboxHandler` / `@ScheduledJob`.
 * Start-up fails when a topic has no route or no handler, or a schedule has no handler (checked
 * again by the registry test), so a job can never wait in Redis for code that does not exist.
 */
@Injectable()
export class JobRegistry implements OnModuleInit, OnApplicationBootstrap {
  private readonly topics = new Map<string, Handled<OutboxJobHandler> & { queue: QueueName | null }>();
  private readonly schedules = new Map<string, Handled<ScheduleHandler> & { definition: ScheduleDefinition | null }>();
  private readonly mistakes: string[] = [];
  private readonly checks: (PeriodicCheckDefinition & { run: () => Promise<unknown> })[] = [];

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    for (const feature of this.catalog.definitions()) {
      for (const [topic, queue] of Object.entries(feature.outbox ?? {})) if (queue) this.route(topic as OutboxTopic, queue, feature.name);
      for (const schedule of feature.schedules ?? []) this.schedule(schedule, feature.name);
    }
    for (const method of this.catalog.methods<OutboxTopic>(OUTBOX_HANDLER)) this.handleTopic(method.metadata, method.name, method.call as OutboxJobHandler);
    for (const method of this.catalog.methods<string>(SCHEDULED_JOB)) this.handleSchedule(method.metadata, method.name, method.call as ScheduleHandler);
    for (const method of this.catalog.methods<PeriodicCheckDefinition>(PERIODIC_CHECK)) {
      if (this.checks.some((check) => check.name === method.metadata.name)) this.mistakes.push(`periodic check ${method.metadata.name} is declared twice`);
      this.checks.push({ ...method.metadata, run: method.call as () => Promise<unknown> });
    }
  }

  /** The periodic checks the features declare (run by the JobRunner where jobs run). */
  periodicChecks(): readonly (PeriodicCheckDefinition & { run: () => Promise<unknown> })[] {
    return this.checks;
  }

  onApplicationBootstrap(): void {
    const problems = this.problems();
    if (problems.length) throw new Error(`Job registry: ${problems.join('; ')}`);
  }

  /** Declares a topic's queue (features through `@Feature({ outbox })`, notifications for their intents). */
  route(topic: OutboxTopic, queue: QueueName, owner: string): void {
    const entry = this.topics.get(topic);
    if (entry?.queue && (entry.queue !== queue || entry.owner !== owner))
      this.mistakes.push(`outbox topic ${topic} is routed by both ${entry.owner} and ${owner}`);
    if (!Object.values(QUEUES).includes(queue) || queue === QUEUES.schedules)
      this.mistakes.push(`outbox topic ${topic} is routed to ${queue}, which is not an outbox queue`);
    this.topics.set(topic, { owner, queue, handlers: entry?.handlers ?? [] });
  }

  handleTopic(topic: OutboxTopic, name: string, handle: OutboxJobHandler): void {
    const entry = this.topics.get(topic) ?? { owner: name, queue: null, handlers: [] };
    entry.handlers.push({ name, handle });
    this.topics.set(topic, entry);
  }

  schedule(definition: ScheduleDefinition, owner: string): void {
    const entry = this.schedules.get(definition.name);
    if (entry?.definition) this.mistakes.push(`schedule ${definition.name} is declared by both ${entry.owner} and ${owner}`);
    this.schedules.set(definition.name, { owner, definition, handlers: entry?.handlers ?? [] });
  }

  handleSchedule(name: string, handlerName: string, handle: ScheduleHandler): void {
    const entry = this.schedules.get(name) ?? { owner: handlerName, definition: null, handlers: [] };
    entry.handlers.push({ name: handlerName, handle });
    this.schedules.set(name, entry);
  }

  /** Everything wrong with the registry, one sentence each; empty when every job has a route and one handler. */
  problems(): string[] {
    const problems = [...this.mistakes];
    for (const [topic, entry] of this.topics) {
      if (!entry.queue) problems.push(`outbox topic ${topic} has a handler (${entry.handlers.map((h) => h.name).join(', ')}) but no route to a queue`);
      if (entry.handlers.length === 0) problems.push(`outbox topic ${topic} (${entry.owner}) has no handler`);
      if (entry.handlers.length > 1)
        problems.push(`outbox topic ${topic} has ${entry.handlers.length} handlers: ${entry.handlers.map((h) => h.name).join(', ')}`);
    }
    for (const [name, entry] of this.schedules) {
      if (!entry.definition) problems.push(`job ${name} has a handler (${entry.handlers.map((h) => h.name).join(', ')}) but no schedule`);
      if (entry.handlers.length === 0) problems.push(`job ${name} (${entry.owner}) has no handler`);
      if (entry.handlers.length > 1) problems.push(`job ${name} has ${entry.handlers.length} handlers: ${entry.handlers.map((h) => h.name).join(', ')}`);
    }
    return problems;
  }

  /** The queue of a topic; an unknown topic is a programming error. */
  queueOf(topic: string): QueueName {
    const queue = this.topics.get(topic)?.queue;
    if (!queue) throw new Error(`outbox topic ${topic} has no route`);
    return queue;
  }

  isRouted(topic: string): boolean {
    return Boolean(this.topics.get(topic)?.queue);
  }

  outboxHandler(topic: string): OutboxJobHandler {
    const handler = this.topics.get(topic)?.handlers[0];
    if (!handler) throw new Error(`outbox topic ${topic} has no handler`);
    return handler.handle;
  }

  scheduleDefinitions(): ScheduleDefinition[] {
    return [...this.schedules.values()].flatMap((entry) => (entry.definition ? [entry.definition] : []));
  }

  scheduleHandler(name: string): ScheduleHandler {
    const handler = this.schedules.get(name)?.handlers[0];
    if (!handler) throw new Error(`job ${name} has no handler`);
    return handler.handle;
  }
}
