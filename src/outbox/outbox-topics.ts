/**
 * What can travel through the outbox. Each topic names its payload; the relay routes a topic to
 * its queue and job name, and the processors switch on the same union.
 */
export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
}

export type OutboxEvent = { topic: 'notification.email'; payload: EmailPayload };

export type OutboxTopic = OutboxEvent['topic'];
export type OutboxPayload = OutboxEvent['payload'];

export const QUEUES = { notifications: 'notifications', schedules: 'schedules' } as const;

/** queue and job name for each topic; a topic missing here fails the type check */
export const TOPIC_ROUTES: Record<OutboxTopic, { queue: string; job: string }> = {
  'notification.email': { queue: QUEUES.notifications, job: 'deliver-email' },
};

/**
 * Retry/backoff for jobs, named once: 12 attempts doubling from 30 s keep trying for about a day and
 * a half, so a mail server that is down overnight loses nothing.
 */
export const JOB_RETRY = { attempts: 12, backoff: { type: 'exponential', delay: 30_000 } } as const;
