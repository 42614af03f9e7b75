import { Controller, Delete, Get, Header, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeController, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { addressNetwork, clientAddressOf } from '../auth/client-address.js';
import { AuthRateLimiter } from '../auth/rate-limit.guard.js';
import { CurrentActor, May, Public } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { problemDocument } from '../common/errors/problem.filter.js';
import { ApiProblems } from '../common/openapi.js';
import { CalendarFeedStatusView, IssuedCalendarFeedView } from './calendar-feed.dto.js';
import { CALENDAR_FEEDS } from './calendar-feeds.permissions.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';

/** One's private calendar subscription: make (or make anew) its address, read whether one is in use, stop it. */
@ApiTags('calendar')
@Controller('api/v1/me/calendar-feed')
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Get()
  @May(CALENDAR_FEEDS.manage_own)
  @ApiOperation({ summary: 'Whether the caller has a calendar subscription in use, when it was made and last fetched (never its address)' })
  @ApiOkResponse({ type: CalendarFeedStatusView })
  status(@CurrentActor() actor: Actor): Promise<CalendarFeedStatusView> {
    return this.feeds.status(actor);
  }

  @Post()
  @May(CALENDAR_FEEDS.manage_own)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Makes the caller’s calendar subscription address (their drills and training due dates, iCalendar); one in use before stops working. The address carries its secret and is shown only now',
  })
  @ApiCreatedResponse({ type: IssuedCalendarFeedView })
  create(@CurrentActor() actor: Actor): Promise<IssuedCalendarFeedView> {
    return this.feeds.create(actor);
  }

  @Delete()
  @HttpCode(204)
  @May(CALENDAR_FEEDS.manage_own)
  @ApiOperation({ summary: 'Stops the caller’s calendar subscription: its address answers 404 from now on' })
  @ApiNoContentResponse({ description: 'stopped' })
  @ApiProblems({ 404: 'No subscription in use (CALENDAR_FEED_NOT_FOUND)' })
  async revoke(@CurrentActor() actor: Actor): Promise<void> {
    await this.feeds.revoke(actor);
  }
}

/**
 * The subscription itself, fetched by calendars without a session: the token in the address is the
 * credential. Unknown and stopped tokens answer the same 404; misses count against the client
 * address like failed sign-ins (AUTH_RATE_LIMIT_PER_MINUTE), so the addresses cannot be probed fast.
 */
@ApiExcludeController()
@Controller('calendar')
export class CalendarFeedPublicController {
  constructor(
    private readonly feeds: CalendarFeedsService,
    private readonly limiter: AuthRateLimiter,
  ) {}

  @Get(':token.ics')
  @Public()
  async feed(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    const body = await this.feeds.feed(token);
    if (body === null) {
      // one answer for a token unknown or stopped, as problem+json whatever the client accepts (a calendar, not a reader), not echoing the token
      const address = clientAddressOf(req);
      const retryAfter = await this.limiter.consume(address === null ? 'unknown' : addressNetwork(address));
      if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
      const problem =
        retryAfter === null
          ? new AppException('CALENDAR_FEED_NOT_FOUND')
          : new AppException('TOO_MANY_REQUESTS', `Try again in ${retryAfter} s`, undefined, { retryAfterSeconds: retryAfter });
      res
        .status(problem.status)
        .type('application/problem+json')
        .send(JSON.stringify(problemDocument(problem, '/calendar')));
      return;
    }
    res.status(200).type('text/calendar; charset=utf-8').send(body);
  }
}
