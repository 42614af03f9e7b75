import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { WEB } from '../web.permissions.js';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { WebPageQuery } from '../web-query.dto.js';
import { fullName, ViewerService } from '../viewer.service.js';
import { MyPageService } from './my-page.service.js';

/** マイページ: who I am, and what I still owe; right after signing in, the way to each role's home. */
@ApiExcludeController()
@Controller()
export class MyPageController {
  constructor(
    private readonly viewers: ViewerService,
    private readonly myPage: MyPageService,
  ) {}

  @Get()
  @May(WEB.my_page)
  async show(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response, @Query() _query: WebPageQuery): Promise<void> {
    const staff = this.viewers.staffOf(req);
    const duties = await this.myPage.duties(actor);
    const sections = await this.myPage.sections(actor);
    if (!staff) throw new AppException('STAFF_NOT_FOUND');
    res.render('my-page', {
      title: 'myPage.title',
      person: {
        name: fullName(staff),
        email: staff.email,
        department: staff.department?.name ?? null,
        roles: staff.roles,
        secondFactorSince: staff.totpConfirmedAt,
      },
      duties,
      sections,
    });
  }
}
