import { Controller, Get, Header, HttpCode, Post, Query, Redirect, Render, Req, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CSV_CONTENT_TYPE } from '../../audit-trail/audit-trail-csv.js';
import { AuditTrailService } from '../../audit-trail/audit-trail.service.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { AUDIT_TRAIL } from '../../audit-trail/audit-trail.permissions.js';
import type { Actor } from '../../common/actor.js';
import { localeOf } from '../locale.js';
import { AuditTrailFilterErrorFilter } from './audit-trail-filter.filter.js';
import { AuditTrailPageQuery } from './audit-trail-page.dto.js';
import { AuditTrailPagesService } from './audit-trail-pages.service.js';

/** 操作ログ: the trail in words, filtered; checking the hash chain. */
@ApiExcludeController()
@Controller('audit-trail')
@May(AUDIT_TRAIL.read)
export class AuditTrailPagesController {
  constructor(
    private readonly trail: AuditTrailService,
    private readonly pages: AuditTrailPagesService,
  ) {}

  @Get()
  @UseFilters(AuditTrailFilterErrorFilter)
  @Render('audit-trail')
  list(@CurrentActor() actor: Actor, @Query() query: AuditTrailPageQuery): Promise<object> {
    return this.pages.page(actor, query);
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

/** The page's CSV link (the API's export for a browser session: the API route needs a Bearer token). */
@ApiExcludeController()
@Controller()
@May(AUDIT_TRAIL.read)
export class AuditTrailCsvPageController {
  constructor(private readonly trail: AuditTrailService) {}

  /** The rows the page's filters choose, in the language the reader reads the pages in; the export is audited. */
  @Get('audit-trail.csv')
  @Header('Cache-Control', 'private, no-store')
  async csv(@CurrentActor() actor: Actor, @Query() query: AuditTrailPageQuery, @Req() req: Request): Promise<StreamableFile> {
    const { page: _page, lang: _lang, ...filters } = query;
    const file = await this.trail.exportCsv(actor, { ...filters, lang: localeOf(req) });
    return new StreamableFile(file.stream, { type: CSV_CONTENT_TYPE, disposition: `attachment; filename="${file.fileName}"` });
  }
}
