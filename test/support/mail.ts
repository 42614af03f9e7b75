import { IsNull, type FindOptionsWhere } from 'typeorm';
import { JobRegistry } from '../../src/jobs/job-registry.js';
import type { SentMail } from '../../src/notifications/mailer.service.js';
import { MailerService } from '../../src/notifications/mailer.service.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import type { OutboxJob } from '../../src/outbox/outbox-topics.js';
import type { TestApp } from './test-app.js';

const sent = new WeakMap<TestApp, SentMail[]>();

/** Starts recording every mail the app sends (createTestApp does it for every app). */
export function recordMails(t: TestApp): void {
  const mails: SentMail[] = [];
  sent.set(t, mails);
  t.get(MailerService).onSent((mail) => mails.push(mail));
}

/** Every mail the app has sent so far, oldest first. */
export function sentMails(t: TestApp): SentMail[] {
  return sent.get(t) ?? [];
}

/**
 * Delivers the outbox messages not yet handed to the queue (or those matching `where`) the way the
 * relay and the worker would, through each topic's handler, marks them dispatched, and returns the
 * mails sent meanwhile. Delivery is idempotent: a message delivered before sends nothing again.
 */
export async function deliverOutbox(t: TestApp, where: FindOptionsWhere<OutboxMessage> = { dispatchedAt: IsNull() }): Promise<SentMail[]> {
  const before = sentMails(t).length;
  const messages = await t.dataSource.getRepository(OutboxMessage).find({ where, order: { createdAt: 'ASC' } });
  const registry = t.get(JobRegistry);
  for (const message of messages) {
    const job = { outboxMessageId: message.id, organizationId: message.organizationId, topic: message.topic, payload: message.payload } as OutboxJob;
    await registry.outboxHandler(message.topic)(job);
    await t.dataSource.getRepository(OutboxMessage).update({ id: message.id, dispatchedAt: IsNull() }, { dispatchedAt: new Date() });
  }
  return sentMails(t).slice(before);
}

/** The mails sent to an address (after delivering what waits in the outbox), newest first. */
export async function mailsTo(t: TestApp, email: string): Promise<SentMail[]> {
  await deliverOutbox(t);
  return sentMails(t)
    .filter((mail) => mail.to === email)
    .reverse();
}
