import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { Feature } from '../common/features/feature.js';
import { CalendarFeed } from './calendar-feed.entity.js';
import { CALENDAR_FEEDS_AUDIT } from './calendar-feeds.audit.js';
import { CalendarFeedPublicController, CalendarFeedsController } from './calendar-feeds.controller.js';
import { CALENDAR_FEED_PROBLEMS } from './calendar-feeds.problems.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';

/**
 * Private calendar subscriptions (issue 12): each person's drills (invited by id, role or department,
 * or facilitating) and open training due dates as an iCalendar feed at an address with a secret
 * token, so their calendar stays current without mails being sent again. Spans the response plan's
 * drills and training; reads both tables, owns only the subscriptions.
 */
@Feature({ name: 'calendar-feeds', entities: [CalendarFeed], problems: CALENDAR_FEED_PROBLEMS, auditTrail: CALENDAR_FEEDS_AUDIT })
@Module({
  imports: [AuthModule],
  controllers: [CalendarFeedsController, CalendarFeedPublicController],
  providers: [CalendarFeedsService],
  exports: [CalendarFeedsService],
})
export class CalendarFeedsModule {}
