import { Module } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { PolicyReviewsModule } from '../policies/policy-reviews.module.js';
import { ScheduleBootstrap } from '../schedules/schedule-bootstrap.service.js';
import { SchedulesProcessor } from '../schedules/schedules.processor.js';
import { MailerService } from './mailer.service.js';
import { NotificationsProcessor } from './notifications.processor.js';

/** What runs jobs: the outbox relay and the bull processors. Imported by the worker (and the web process in development). */
@Module({
  imports: [PolicyReviewsModule],
  providers: [OutboxRelay, MailerService, NotificationsProcessor, SchedulesProcessor, ScheduleBootstrap],
  exports: [OutboxRelay, NotificationsProcessor, SchedulesProcessor],
})
export class JobsModule {}
