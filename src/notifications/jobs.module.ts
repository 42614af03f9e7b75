import { Module } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { MailerService } from './mailer.service.js';
import { NotificationsProcessor } from './notifications.processor.js';

/** What runs jobs: the outbox relay and the bull processors. Imported by the worker (and the web process in development). */
@Module({ providers: [OutboxRelay, MailerService, NotificationsProcessor], exports: [OutboxRelay, NotificationsProcessor] })
export class JobsModule {}
