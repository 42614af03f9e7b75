import { Controller, Get, HttpCode, Post, Query, Redirect, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditTrailService } from '../../audit-trail/audit-trail.service.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { AUDIT_TRAIL } from '../../audit-trail/audit-trail.permissions.js';
import type { Actor } from '../../common/actor.js';
import { pagerFor } from '../pagination.js';
import { WebPageQuery } from '../web-query.dto.js';

const PAGE_SIZE = 50;

/** 操作ログ: the newest entries, and checking the hash chain. */
@ApiExcludeController()
@Controller('audit-trail')
@May(AUDIT_TRAIL.read)
export class AuditTrailPagesController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @Render('audit-trail')
  async list(@CurrentActor() actor: Actor, @Query() query: WebPageQuery): Promise<object> {
    const result = await this.trail.list(actor, { page: query.page, pageSize: PAGE_SIZE });
    return { title: 'auditTrail.title', entries: result.items, pager: pagerFor(result, '/audit-trail', {}) };
  }

  @Post('verify')
  @HttpCode(200)
  @Render('audit-trail-verify')
  async verify(@CurrentActor() actor: Actor): Promise<object> {
    return { title: 'auditTrail.verifyTitle', result: await this.trail.verifyAsActor(actor) };
  }

  /** The result page answers a form; opening its address (or switching language there) leads back. */
  @Get('verify')
  @Redirect('/audit-trail', 303)
  verifyPage(): void {}
}
