import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { ExternalReportDrafts } from '../../incidents/external-report-draft.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { flash } from '../flash.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { RecordSentFormErrorFilter, ReviewFormErrorFilter } from './incident-report-form.filter.js';
import { RecordSentForm, ReviewForm } from './incident-report-page.dto.js';
import { IncidentReportPagesService } from './incident-report-pages.service.js';

/**
 * An incident's external reports (外部報告: the checklist with countdowns, recording each sent, the
 * printable draft and its workbook) and its post-incident review (事後レビュー). The incident page
 * links here; no menu entry.
 */
@ApiExcludeController()
@Controller('incidents/:id')
export class IncidentReportPagesController {
  constructor(private readonly pages: IncidentReportPagesService) {}

  @Get('external-reports')
  @May(INCIDENTS.read_all)
  @Render('incident-external-reports')
  checklist(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.checklist(actor, id, localeOf(req));
  }

  @Post('external-reports/:reportId/sent')
  @May(INCIDENTS.respond)
  @UseFilters(RecordSentFormErrorFilter)
  async recordSent(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('reportId', ParseUUIDPipe) reportId: string,
    @Body() form: RecordSentForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.recordSent(actor, id, reportId, form);
    flash(res, 'notice.externalReportSent');
    res.redirect(303, `/incidents/${id}/external-reports`);
  }

  @Get('external-reports/:reportId/draft')
  @May(INCIDENTS.read_all)
  @Render('incident-external-report-draft')
  draft(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('reportId', ParseUUIDPipe) reportId: string,
    @Req() req: Request,
    @Query() _query: WebPageQuery,
  ): Promise<object> {
    return this.pages.draft(actor, id, reportId, localeOf(req));
  }

  @Get('external-reports/:reportId/draft.xlsx')
  @May(INCIDENTS.read_all)
  @Header('Cache-Control', 'private, no-store')
  async draftWorkbook(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('reportId', ParseUUIDPipe) reportId: string,
    @Req() req: Request,
  ): Promise<StreamableFile> {
    return ExternalReportDrafts.streamable(await this.pages.workbook(actor, id, reportId, localeOf(req)));
  }

  @Get('review')
  @May(INCIDENTS.read_all)
  @Render('incident-review')
  review(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.review(actor, id);
  }

  @Post('review')
  @May(INCIDENTS.respond)
  @UseFilters(ReviewFormErrorFilter)
  async writeReview(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: ReviewForm, @Res() res: Response): Promise<void> {
    await this.pages.writeReview(actor, id, form);
    flash(res, 'notice.incidentReviewWritten');
    res.redirect(303, `/incidents/${id}/review`);
  }
}
