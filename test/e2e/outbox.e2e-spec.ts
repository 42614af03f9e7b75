import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { IsNull } from 'typeorm';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { MailerService } from '../../src/notifications/mailer.service.js';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.entity.js';
import { NotificationsService } from '../../src/notifications/notifications.service.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.service.js';
import type { OutboxJob } from '../../src/outbox/outbox-topics.js';
import { createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { sentMails } from '../support/mail.js';
import { asOwner } from '../support/owner.js';
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

describe('outbox → bull → notification delivery', () => {
  let t: TestApp;
  let org: string;
  let person: TestPerson;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: true });
    org = await testOrganization(t);
    person = await createPerson(t, org);
  });
  afterAll(() => t.close());

  /** A welcome e-mail to the test person, asked for in a transaction of its own. */
  const write = (dedupeKey: string) =>
    t.get(UnitOfWork).run(systemActor(org, 'test'), async (tx) => {
      tx.audit({ action: 'test.notify', entityType: 'test', entityId: dedupeKey });
      await tx.outbox({ topic: 'staff.welcome', dedupeKey, payload: { staffId: person.staff.id } });
    });
  const message = (dedupeKey: string) => t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey });
  const sentDelivery = (outboxMessageId: string) => t.dataSource.getRepository(NotificationDelivery).findOneBy({ outboxMessageId, status: 'sent' });
  const jobOf = (m: OutboxMessage): OutboxJob => ({ outboxMessageId: m.id, organizationId: org, topic: m.topic, payload: m.payload }) as OutboxJob;

  it('delivers a message written in a transaction, once, through Redis and the worker', async () => {
    await write('welcome:1');
    await write('welcome:1');
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ dedupeKey: 'welcome:1' })).toBe(1);
    const written = await message('welcome:1');
    expect(written.payload).toEqual({ staffId: person.staff.id }); // the intent, never the mail
    const delivery = await eventually(() => sentDelivery(written.id));
    expect(delivery).toMatchObject({ channel: 'email', recipient: person.email, recipientKey: person.staff.id, transportMessageId: expect.any(String) });
    expect(delivery.subject).toContain('アカウントが作成されました');
    expect((await message('welcome:1')).dispatchedAt).not.toBeNull();
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'notification.sent', entityId: delivery.id })).toBe(1);
    const mail = sentMails(t).find((m) => m.messageId === delivery.transportMessageId)!;
    expect(mail.text).toContain('試験 太郎 様'); // rendered in the recipient's language (ja)
  });

  it('sends once when the same job runs twice', async () => {
    await write('welcome:2');
    const written = await message('welcome:2');
    await eventually(() => sentDelivery(written.id));
    const before = sentMails(t).length;
    expect(await t.get(NotificationsService).deliver(jobOf(written))).toBe('already_sent');
    expect(await t.dataSource.getRepository(NotificationDelivery).countBy({ outboxMessageId: written.id })).toBe(1);
    expect(sentMails(t).length).toBe(before);
  });

  it('sends once when the transaction that records the delivery is retried after a serialisation failure', async () => {
    // the first attempt to mark the delivery sent fails as a serialisation failure would (40001), once
    // (a sequence counts outside transactions); the unit of work retries it, and the mail, sent
    // outside any transaction, is not sent again
    // the app's role may not change the schema: the owner sets the trap
    await asOwner(t, (owner) => owner.query(`CREATE SEQUENCE test_fail_once_seq`));
    await asOwner(t, (owner) =>
      owner.query(`
      CREATE FUNCTION test_fail_once() RETURNS trigger AS $$
      BEGIN
        IF NEW.status = 'sent' AND nextval('test_fail_once_seq') = 1 THEN
          RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`),
    );
    await asOwner(t, (owner) =>
      owner.query(`CREATE TRIGGER test_fail_once BEFORE UPDATE ON notification_deliveries FOR EACH ROW EXECUTE FUNCTION test_fail_once()`),
    );
    const queue = t.get<Queue>(getQueueToken('notifications') as never);
    await queue.pause(false); // this test runs the job itself
    try {
      await write('welcome:retried');
      const written = await message('welcome:retried');
      const before = sentMails(t).length;
      expect(await t.get(NotificationsService).deliver(jobOf(written))).toBe('sent');
      expect(sentMails(t).length - before).toBe(1);
      const [{ last_value: failures }] = (await t.dataSource.query(`SELECT last_value FROM test_fail_once_seq`)) as { last_value: string }[];
      expect(Number(failures)).toBeGreaterThanOrEqual(2); // it failed once, then the retry went through
      expect(await sentDelivery(written.id)).toMatchObject({ status: 'sent', attempts: 1 });
    } finally {
      await queue.resume(false);
      await asOwner(t, (owner) => owner.query(`DROP TRIGGER test_fail_once ON notification_deliveries`));
    }
  });

  it('keeps a failed send owed, records why, and sends it when the job is retried', async () => {
    const queue = t.get<Queue>(getQueueToken('notifications') as never);
    await queue.pause(false);
    try {
      await write('welcome:failing');
      const written = await message('welcome:failing');
      const mailer = t.get(MailerService);
      const send = mailer.send.bind(mailer);
      mailer.send = () => Promise.reject(new Error('SMTP server is down'));
      await expect(t.get(NotificationsService).deliver(jobOf(written))).rejects.toThrow(/SMTP server is down/);
      mailer.send = send;
      expect(await t.dataSource.getRepository(NotificationDelivery).findOneByOrFail({ outboxMessageId: written.id })).toMatchObject({
        status: 'failed',
        lastError: 'SMTP server is down',
      });
      expect(await t.get(NotificationsService).deliver(jobOf(written))).toBe('sent');
      expect(await sentDelivery(written.id)).toMatchObject({ attempts: 2, lastError: null });
    } finally {
      await queue.resume(false);
    }
  });

  it('keeps messages when Redis refuses them, and relays them later', async () => {
    // what was written before has been handed over (the relay stops at the first refusal)
    await eventually(async () => (await t.dataSource.getRepository(OutboxMessage).countBy({ dispatchedAt: IsNull() })) === 0);
    const queue = t.get<Queue>(getQueueToken('notifications') as never);
    await queue.pause(false);
    const relay = t.get(OutboxRelay);
    const add = queue.add.bind(queue);
    (queue as { add: unknown }).add = () => Promise.reject(new Error('Redis is down'));
    try {
      await write('welcome:3');
      await eventually(async () => (await message('welcome:3')).attempts > 0);
      const waiting = await message('welcome:3');
      expect(waiting).toMatchObject({ dispatchedAt: null, lastError: 'Redis is down' });
    } finally {
      (queue as { add: unknown }).add = add;
      await queue.resume(false);
    }
    await relay.relayOnce();
    const written = await message('welcome:3');
    await eventually(() => sentDelivery(written.id));
  });
});
