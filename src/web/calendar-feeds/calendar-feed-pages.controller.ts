import { Controller, Get, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CALENDAR_FEEDS } from '../../calendar-feeds/calendar-feeds.permissions.js';
import { CalendarFeedsService } from '../../calendar-feeds/calendar-feeds.service.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { flash } from '../flash.js';
import { formErrors } from '../forms/form-error.js';
import { WebPageQuery } from '../web-query.dto.js';

/**
 * カレンダーの購読 (forms without JavaScript): making the address shows it once, on the page the form
 * answers (not kept anywhere to show again); stopping it goes back to "my page" with a message. A
 * refused stop (none in use) shows the subscription's page with the reason at the top.
 */
@ApiExcludeController()
@Controller('my-page/calendar-feed')
export class CalendarFeedPagesController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Get()
  @May(CALENDAR_FEEDS.manage_own)
  @Render('calendar-feed')
  async show(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return { title: 'calendarFeed.title', feed: await this.feeds.status(actor) };
  }

  @Post()
  @May(CALENDAR_FEEDS.manage_own)
  async create(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    const issued = await this.feeds.create(actor);
    res.setHeader('Cache-Control', 'no-store');
    res.render('calendar-feed-created', { title: 'calendarFeed.createdTitle', url: issued.url, createdAt: issued.createdAt });
  }

  @Post('revoke')
  @May(CALENDAR_FEEDS.manage_own)
  async revoke(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    try {
      await this.feeds.revoke(actor);
    } catch (error) {
      if (!(error instanceof AppException) || error.code !== 'CALENDAR_FEED_NOT_FOUND') throw error;
      res.status(409).render('calendar-feed', {
        title: 'calendarFeed.title',
        feed: await this.feeds.status(actor),
        formErrors: formErrors('calendar-feed', [{ key: 'calendarFeed.noneToStop' }], {}, 'calendarFeed.refusedHeading'),
      });
      return;
    }
    flash(res, 'notice.calendarFeedStopped');
    res.redirect(303, '/');
  }
}
