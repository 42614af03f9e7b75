import { Global, Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { MailerService } from './mailer.service.js';
import { NotificationDelivery } from './notification-delivery.entity.js';
import { NotificationsService } from './notifications.service.js';
import { NOTIFICATIONS_AUDIT } from './notifications.audit.js';

/**
 * E-mail for every feature: the features declare their intents (`@NotificationTemplate`), this
 * module routes them to the notifications queue and delivers them outside transactions.
 */
@Feature({ name: 'notifications', entities: [NotificationDelivery], auditTrail: NOTIFICATIONS_AUDIT })
@Global()
@Module({
  providers: [MailerService, NotificationsService],
  exports: [MailerService, NotificationsService],
})
export class NotificationsModule {}
