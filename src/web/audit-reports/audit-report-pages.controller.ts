import { Body, Controller, Get, Header, Param, Post, Query, Render, Req, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditReportExport } from '../../audits/audit-report-export.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { flash } from '../flash.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { AuditAcceptanceFormFilter } from './audit-acceptance.filter.js';
import { AcceptanceForm, TrendPageQuery } from './audit-report-page.dto.js';
import { AuditReportPagesService } from './audit-report-pages.service.js';

/**
 * 監査報告 and 適合率の推移: an audit's report on one printable page with its workbook and the CISO's
 * acceptance, and the conformance trend across fiscal years. This module comes first among the
 * audits' pages (src/features.ts), so /audits/trend is not taken for an audit's page /audits/:id.
 */
@ApiExcludeController()
@Controller('audits')
export class AuditReportPagesController {
  constructor(
    private readonly pages: AuditReportPagesService,
    private readonly exports: AuditReportExport,
  ) {}

  @Get('trend')
  @May(AUDITS.read_trend)
  @Render('audit-trend')
  trend(@CurrentActor() actor: Actor, @Query() query: TrendPageQuery, @Req() req: Request): Promise<object> {
    return this.pages.trend(actor, query.kind, localeOf(req));
  }

  @Get(':id/report')
  @May(AUDITS.read)
  @Render('audit-report-page')
  report(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.report(actor, id);
  }

  /** The workbook, in the language the reader reads the pages in; the export is audited. */
  @Get(':id/report.xlsx')
  @May(AUDITS.read)
  @Header('Cache-Control', 'private, no-store')
  async workbook(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request): Promise<StreamableFile> {
    return AuditReportExport.streamable(await this.exports.workbook(actor, id, localeOf(req)));
  }

  @Post(':id/report/acceptance')
  @May(AUDITS.accept)
  @UseFilters(AuditAcceptanceFormFilter)
  async accept(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: AcceptanceForm, @Res() res: Response): Promise<void> {
    const audit = await this.pages.accept(actor, id, form);
    flash(res, audit.status === 'closed' ? 'notice.auditReportAccepted' : 'notice.auditReportReturned');
    res.redirect(303, `/audits/${id}/report`);
  }
}
