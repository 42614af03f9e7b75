import { addMethodMetadata } from '../common/features/discovery.js';

/**
 * What can travel through the outbox, by topic: one topic per intent, carrying ids, never the
 * rendered message. A feature declares its topics where it lives:
 *
 * ```ts
 * declare module './outbox-topics.js' {
 *   interface OutboxTopics { 'policy.acknowledgement_requested': { dutyIds: string[] } }
 * }
 * ```
 *
 * and routes each to a queue (`@Feature({ outbox: { … } })`, or as a notification intent); a method
 * marked `@OutboxHandler(topic)` handles it where jobs run.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OutboxTopics {}

export type OutboxTopic = keyof OutboxTopics & string;

/** A topic with its payload (a discriminated union over every topic). */
export type OutboxEvent<K extends OutboxTopic = OutboxTopic> = K extends OutboxTopic ? { topic: K; payload: OutboxTopics[K] } : never;

/** The bull queues: notifications (e-mail), other outbox work, and the repeatable schedules. */
export const QUEUES = { notifications: 'notifications', jobs: 'jobs', schedules: 'schedules' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What the relay hands to bull for one outbox row (the job's id is the row's id). */
export type OutboxJob<K extends OutboxTopic = OutboxTopic> = OutboxEvent<K> & { outboxMessageId: string; organizationId: string };

export type OutboxRoutes = { readonly [K in OutboxTopic]?: Exclude<QueueName, 'schedules'> };

declare module '../common/features/feature.js' {
  interface FeatureDefinition {
    /** its outbox topics and the queue each goes to; each needs an `@OutboxHandler` */
    outbox?: OutboxRoutes;
  }
}

export const OUTBOX_HANDLER = Symbol('mamori:outbox-handler');

/** Marks a provider method as the handler of an outbox topic where jobs run: `(job: OutboxJob<K>) => Promise<…>`. */
export function OutboxHandler<K extends OutboxTopic>(topic: K): MethodDecorator {
  return addMethodMetadata(OUTBOX_HANDLER, topic);
}

/**
 * Retry/backoff for jobs, named once: 12 attempts doubling from 30 s keep trying for about a day and
 * a half, so a mail server that is down overnight loses nothing.
 */
export const JOB_RETRY = { attempts: 12, backoff: { type: 'exponential', delay: 30_000 } } as const;
