import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { DraftQuery, externalReportView, ExternalReportView, RecordSentDto } from './dto/external-report.dto.js';
import { ExternalReportDrafts, readerLocale, XLSX_CONTENT_TYPE } from './external-report-draft.js';
import { ExternalReportsService } from './external-reports.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** External reports (外部報告) of an incident: the checklist with deadlines, recording what was sent, the draft of each. */
@ApiTags('incidents')
@Controller('api/v1/incidents/:id/external-reports')
export class ExternalReportsController {
  constructor(
    private readonly reports: ExternalReportsService,
    private readonly drafts: ExternalReportDrafts,
  ) {}

  @Get()
  @May(INCIDENTS.read_all)
  @ApiOperation({
    summary:
      'The reports the incident owes to the Commission, the prefecture, the ministry and the people affected, soonest due first (cancelled ones too, with cancelledAt)',
  })
  @ApiOkResponse({ type: ListOf(ExternalReportView) })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such incident (INCIDENT_NOT_FOUND)' })
  async list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<List<ExternalReportView>> {
    const now = new Date();
    const items = (await this.reports.list(actor, id)).map((report) => externalReportView(report, now));
    return { items, total: items.length };
  }

  @Post(':reportId/sent')
  @HttpCode(200)
  @May(INCIDENTS.respond)
  @ApiOperation({ summary: 'Record that the report was sent: when (default now), to whom, how; once (409 when it already was)' })
  @ApiOkResponse({ type: ExternalReportView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, EXTERNAL_REPORT_SENT_AT_INVALID naming sentAt)',
    404: 'No such incident or report (INCIDENT_NOT_FOUND, EXTERNAL_REPORT_NOT_FOUND)',
    409: 'Already recorded as sent (EXTERNAL_REPORT_ALREADY_SENT, with sentAt), or no longer owed (EXTERNAL_REPORT_CANCELLED)',
  })
  async recordSent(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('reportId', uuidParam('reportId')) reportId: string,
    @Body() dto: RecordSentDto,
  ): Promise<ExternalReportView> {
    return externalReportView(await this.reports.recordSent(actor, id, reportId, dto));
  }

  @Get(':reportId/draft.xlsx')
  @May(INCIDENTS.read_all)
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary:
      'The draft of the report as a workbook, filled from the incident (outline, personal data, number of people, cause, secondary harm, response to the people affected, publication, prevention); blanks marked to fill in',
    description: "Items in Japanese, the report's language; `lang=en` (or the reader's setting) adds the English labels. The export is in the audit trail.",
  })
  @ApiFileResponse({ description: 'the workbook, as an attachment', contentTypes: [XLSX_CONTENT_TYPE] })
  @ApiProblems({
    400: 'id, reportId or lang is wrong (VALIDATION_FAILED)',
    404: 'No such incident or report (INCIDENT_NOT_FOUND, EXTERNAL_REPORT_NOT_FOUND)',
  })
  async draft(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('reportId', uuidParam('reportId')) reportId: string,
    @Query() query: DraftQuery,
  ): Promise<StreamableFile> {
    return ExternalReportDrafts.streamable(await this.drafts.workbook(actor, id, reportId, query.lang ?? readerLocale(actor)));
  }
}
