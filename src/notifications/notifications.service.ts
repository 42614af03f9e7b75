import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { systemActor } from '../common/actor.js';
import { FeatureCatalog } from '../common/features/discovery.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { QUEUES, type OutboxJob, type OutboxTopic } from '../outbox/outbox-topics.js';
import { laidOut } from './mail-layout.js';
import { MailerService } from './mailer.service.js';
import { NotificationDelivery } from './notification-delivery.entity.js';
import { NOTIFICATION_TEMPLATES, type Mail, type NotificationIntent, type NotificationRecipient } from './notification-intent.js';

export type DeliveryOutcome = 'sent' | 'already_sent';

/** A claim older than this is taken to be left by a worker that died while sending; it is taken over. */
export const CLAIM_LEASE_MS = 10 * 60_000;

class DeliveryInFlight extends Error {
  constructor(recipient: string) {
    super(`a delivery to ${recipient} is being sent by another worker`);
  }
}

/**
 * Delivers notification intents (outbox topics carrying ids) by e-mail, rendered in each
 * recipient's language by the intent's template. Per recipient:
 *
 * 1. one transaction claims the delivery row (unique per message and recipient) and renders the mail;
 * 2. the mail is sent outside any transaction (no transaction stays open during SMTP);
 * 3. another transaction records the result, with its audit-trail row.
 *
 * A recipient already `sent` is skipped, so a job that runs twice, or a transaction that retries,
 * sends once; a failure is recorded and the job retried by bull for the recipients still owed.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly intents = new Map<string, NotificationIntent>();
  private readonly publicUrl: string;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly mailer: MailerService,
    private readonly jobs: JobRegistry,
    private readonly catalog: FeatureCatalog,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  /** Finds every `@NotificationTemplate` and routes its topic to the notifications queue, delivered here. */
  onModuleInit(): void {
    for (const { name, instance, metadata: topic } of this.catalog.providers<NotificationIntent, OutboxTopic>(NOTIFICATION_TEMPLATES)) {
      if (this.intents.has(topic)) throw new Error(`two notification templates for ${topic}: ${name} and another`);
      this.intents.set(topic, instance);
      this.jobs.route(topic, QUEUES.notifications, name);
      this.jobs.handleTopic(topic, `${NotificationsService.name}.deliver`, (job) => this.deliver(job));
    }
  }

  async deliver(job: OutboxJob): Promise<DeliveryOutcome> {
    const intent = this.intents.get(job.topic);
    if (!intent) throw new Error(`no notification template for ${job.topic}`);
    const recipients = await intent.recipients(this.uow.manager, job.payload as never, job.organizationId);
    let sent = 0;
    const failures: Error[] = [];
    for (const recipient of recipients) {
      try {
        if ((await this.deliverTo(intent, job, recipient)) === 'sent') sent++;
      } catch (error) {
        failures.push(error as Error);
      }
    }
    if (failures.length) {
      throw new Error(`${failures.length} of ${recipients.length} e-mails of ${job.topic} not sent (retried later): ${failures[0]!.message}`);
    }
    return sent > 0 ? 'sent' : 'already_sent';
  }

  private async deliverTo(intent: NotificationIntent, job: OutboxJob, recipient: NotificationRecipient): Promise<DeliveryOutcome> {
    const actor = systemActor(job.organizationId, 'notifications');
    const claim = await this.uow.run(actor, async (tx): Promise<{ id: string; mail: Mail } | null> => {
      const repo = tx.manager.getRepository(NotificationDelivery);
      if (intent.stillWanted && !(await intent.stillWanted(tx, job.payload as never))) return null;
      const now = new Date();
      const inserted = await tx.manager
        .createQueryBuilder()
        .insert()
        .into(NotificationDelivery)
        .values({
          organizationId: job.organizationId,
          outboxMessageId: job.outboxMessageId,
          recipientKey: recipient.key,
          channel: 'email',
          recipient: recipient.email,
          subject: '',
          status: 'sending',
          attempts: 1,
          claimedAt: now,
        })
        .orIgnore()
        .returning(['id'])
        .updateEntity(false)
        .execute();
      let id = (inserted.raw as { id: string }[])[0]?.id;
      if (!id) {
        const existing = await repo.findOneOrFail({
          where: { outboxMessageId: job.outboxMessageId, recipientKey: recipient.key },
          lock: { mode: 'pessimistic_write' },
        });
        if (existing.status === 'sent') return null;
        if (existing.status === 'sending' && now.getTime() - existing.claimedAt.getTime() < CLAIM_LEASE_MS) throw new DeliveryInFlight(recipient.email);
        await repo.update({ id: existing.id }, { status: 'sending', attempts: existing.attempts + 1, claimedAt: now });
        id = existing.id;
      }
      const data = intent.prepare ? await intent.prepare(tx, recipient, job.payload as never) : recipient.data;
      const mail = laidOut(intent.render(recipient.locale, data, recipient), recipient, recipient.locale, this.publicUrl);
      await repo.update({ id }, { subject: mail.subject.slice(0, 300), recipient: recipient.email });
      return { id, mail };
    });
    if (!claim) return 'already_sent';

    let transportMessageId: string | null;
    try {
      transportMessageId = await this.mailer.send({
        to: recipient.email,
        subject: claim.mail.subject,
        text: claim.mail.text,
        ...(claim.mail.calendar ? { calendar: claim.mail.calendar } : {}),
      });
    } catch (error) {
      const message = (error as Error).message.slice(0, 500);
      await this.uow.run(actor, async (tx) => {
        await tx.manager.update(NotificationDelivery, { id: claim.id }, { status: 'failed', lastError: message });
      });
      throw error;
    }

    await this.uow.run(actor, async (tx) => {
      await tx.manager.update(NotificationDelivery, { id: claim.id }, { status: 'sent', sentAt: new Date(), transportMessageId, lastError: null });
      tx.audit({
        action: 'notification.sent',
        entityType: 'notification_delivery',
        entityId: claim.id,
        after: { channel: 'email', recipient: recipient.email, subject: claim.mail.subject },
        context: { topic: job.topic, outboxMessageId: job.outboxMessageId },
      });
    });
    this.logger.log(`e-mail "${claim.mail.subject}" sent to ${recipient.email}`);
    return 'sent';
  }
}
