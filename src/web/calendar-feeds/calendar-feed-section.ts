import { Injectable } from '@nestjs/common';
import { CalendarFeedsService } from '../../calendar-feeds/calendar-feeds.service.js';
import type { Actor } from '../../common/actor.js';
import { MyPageSectionSource, type MyPageSection, type MyPageSectionProvider } from '../my-page/my-page.service.js';

/** The calendar subscription's section of "my page": whether one is in use, with the buttons to make it (anew) and to stop it. */
@Injectable()
@MyPageSectionSource()
export class CalendarFeedSection implements MyPageSectionProvider {
  constructor(private readonly feeds: CalendarFeedsService) {}

  async section(actor: Actor): Promise<MyPageSection | null> {
    if (!actor.staffId) return null;
    return { partial: 'calendar-feed-section', data: await this.feeds.status(actor) };
  }
}
