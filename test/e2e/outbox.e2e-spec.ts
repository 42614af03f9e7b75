import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.entity.js';
import { NotificationsProcessor } from '../../src/notifications/notifications.processor.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { OutboxRelay, type OutboxJob } from '../../src/outbox/outbox-relay.service.js';
import { testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

async function eventually<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outbox → bull → notification processor', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: true });
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  const write = (dedupeKey: string) =>
    t.get(UnitOfWork).run(systemActor(org, 'test'), async (tx) => {
      await tx.audit({ action: 'test.notify', entityType: 'test', entityId: dedupeKey });
      await tx.outbox({ topic: 'notification.email', dedupeKey, payload: { to: 'someone@test.example', subject: `subject ${dedupeKey}`, text: 'hello' } });
    });

  it('delivers a message written in a transaction, once, through Redis and the worker', async () => {
    await write('welcome:1');
    await write('welcome:1');
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ dedupeKey: 'welcome:1' })).toBe(1);
    const delivery = await eventually(() => t.dataSource.getRepository(NotificationDelivery).findOneBy({ subject: 'subject welcome:1' }));
    expect(delivery).toMatchObject({ channel: 'email', recipient: 'someone@test.example', transportMessageId: expect.any(String) });
    const message = await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: 'welcome:1' });
    expect(message.dispatchedAt).not.toBeNull();
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'notification.sent', entityId: delivery.id })).toBe(1);
  });

  it('sends once when the same job runs twice', async () => {
    await write('welcome:2');
    const message = await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: 'welcome:2' });
    await eventually(() => t.dataSource.getRepository(NotificationDelivery).findOneBy({ outboxMessageId: message.id }));
    const job: OutboxJob = { outboxMessageId: message.id, organizationId: org, topic: message.topic, payload: message.payload };
    expect(await t.get(NotificationsProcessor).deliver(job)).toBe('already_sent');
    expect(await t.dataSource.getRepository(NotificationDelivery).countBy({ outboxMessageId: message.id })).toBe(1);
  });

  it('keeps messages when Redis refuses them, and relays them later', async () => {
    const queue = t.get<Queue>(getQueueToken('notifications') as never);
    await queue.pause(false);
    const relay = t.get(OutboxRelay);
    const add = queue.add.bind(queue);
    (queue as { add: unknown }).add = () => Promise.reject(new Error('Redis is down'));
    try {
      await write('welcome:3');
      await eventually(async () => (await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: 'welcome:3' })).attempts > 0);
      const waiting = await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: 'welcome:3' });
      expect(waiting).toMatchObject({ dispatchedAt: null, lastError: 'Redis is down' });
    } finally {
      (queue as { add: unknown }).add = add;
      await queue.resume(false);
    }
    await relay.relayOnce();
    await eventually(() => t.dataSource.getRepository(NotificationDelivery).findOneBy({ subject: 'subject welcome:3' }));
  });
});
