import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { fiscalYearOf } from '../../common/dates.js';
import { MyPageService } from '../my-page/my-page.service.js';
import { WEB } from '../web.permissions.js';
import { WebPageQuery } from '../web-query.dto.js';
import { DUE_SOON_DAYS } from '../../common/calendar.js';
import { WorkQueueService } from './work-queue.service.js';

/** 作業一覧: the security office's home, what is due with counts, each linking to where it is done. */
@ApiExcludeController()
@Controller('work')
export class WorkQueueController {
  constructor(
    private readonly queue: WorkQueueService,
    private readonly myPage: MyPageService,
  ) {}

  @Get()
  @May(WEB.work_queue)
  @Render('work-queue')
  async show(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    const [{ days, items }, duties] = await Promise.all([this.queue.items(actor), this.myPage.duties(actor)]);
    return { title: 'work.title', today: days.today, currentFiscalYear: fiscalYearOf(days.today), soonDays: DUE_SOON_DAYS, items, duties: duties.length };
  }
}
