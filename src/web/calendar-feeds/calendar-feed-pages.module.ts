import { Module } from '@nestjs/common';
import { CalendarFeedsModule } from '../../calendar-feeds/calendar-feeds.module.js';
import { Feature } from '../../common/features/feature.js';
import { CalendarFeedPagesController } from './calendar-feed-pages.controller.js';
import { CalendarFeedSection } from './calendar-feed-section.js';

/** カレンダーの購読: the section of "my page" that makes the subscription address (shown once) and stops it. */
@Feature({ name: 'calendar-feeds.pages' })
@Module({
  imports: [CalendarFeedsModule],
  controllers: [CalendarFeedPagesController],
  providers: [CalendarFeedSection],
})
export class CalendarFeedPagesModule {}
