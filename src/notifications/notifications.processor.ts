import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { systemActor } from '../common/actor.js';
import { assertNever } from '../common/assert-never.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { OutboxJob } from '../outbox/outbox-relay.service.js';
import { QUEUES } from '../outbox/outbox-topics.js';
import { MailerService } from './mailer.service.js';
import { NotificationDelivery } from './notification-delivery.entity.js';

export type DeliveryOutcome = 'sent' | 'already_sent';

/**
 * Delivers notifications. The delivery row (unique per outbox message) is written in the same
 * transaction as the send, so a job that runs twice sends once; a failed send rolls back and bull
 * retries with backoff.
 */
@Processor(QUEUES.notifications)
export class NotificationsProcessor {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly mailer: MailerService,
  ) {}

  @Process('deliver-email')
  async deliverEmail(job: Job<OutboxJob>): Promise<DeliveryOutcome> {
    return this.deliver(job.data);
  }

  async deliver(job: OutboxJob): Promise<DeliveryOutcome> {
    switch (job.topic) {
      case 'notification.email':
        return this.uow.run(systemActor(job.organizationId, 'worker'), async (tx) => {
          const inserted = await tx.manager
            .createQueryBuilder()
            .insert()
            .into(NotificationDelivery)
            .values({
              organizationId: job.organizationId,
              outboxMessageId: job.outboxMessageId,
              channel: 'email',
              recipient: job.payload.to,
              subject: job.payload.subject,
              sentAt: new Date(),
            })
            .orIgnore()
            .returning(['id'])
            .execute();
          if (inserted.raw.length === 0) return 'already_sent';
          const deliveryId = (inserted.raw as { id: string }[])[0].id;
          const transportMessageId = await this.mailer.send(job.payload);
          await tx.manager.update(NotificationDelivery, { id: deliveryId }, { transportMessageId });
          await tx.audit({
            action: 'notification.sent',
            entityType: 'notification_delivery',
            entityId: deliveryId,
            after: { channel: 'email', recipient: job.payload.to, subject: job.payload.subject },
          });
          this.logger.log(`e-mail "${job.payload.subject}" sent to ${job.payload.to}`);
          return 'sent';
        });
      default:
        return assertNever(job.topic);
    }
  }
}
