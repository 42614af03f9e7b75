import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblems } from '../common/openapi.js';
import { uuidParam } from '../staff/uuid-param.js';
import { AuditReportExport, XLSX_CONTENT_TYPE } from './audit-report-export.js';
import { AuditReportService, REPORT_NOTES_LIMIT } from './audit-report.service.js';
import { AUDITS } from './audits.permissions.js';
import { AuditReportExportQuery, AuditReportView, auditReportView, AuditTrendQuery, AuditTrendView, auditTrendView } from './dto/audit-report-view.dto.js';

const RATE_RULE =
  'Conformance rate = (conformant + observation) ÷ (answered − not_applicable): an observation is a remark on a control in place; ' +
  'items not applicable, and items not answered yet, leave the denominator; null when no answered item is applicable.';

/**
 * The audit report (監査報告) and its workbook, and the conformance trend across fiscal years. Its
 * routes come before AuditsController's (audits.module.ts), so `/api/v1/audits/trend` is not taken
 * for an audit's id.
 */
@ApiTags('audits')
@Controller('api/v1/audits')
export class AuditReportController {
  constructor(
    private readonly reports: AuditReportService,
    private readonly exports: AuditReportExport,
  ) {}

  @Get('trend')
  @May(AUDITS.read_trend)
  @ApiOperation({
    summary:
      'The conformance trend: per fiscal year (and kind) the audits held (reporting or closed), their items, conformance rate, findings raised and verified',
    description: RATE_RULE,
  })
  @ApiOkResponse({ type: AuditTrendView })
  @ApiProblems({ 400: 'kind is not a kind of audit (VALIDATION_FAILED)' })
  async trend(@CurrentActor() actor: Actor, @Query() query: AuditTrendQuery): Promise<AuditTrendView> {
    return auditTrendView(query.kind ?? null, await this.reports.trend(actor, query));
  }

  @Get(':id/report')
  @May(AUDITS.read)
  @ApiOperation({
    summary:
      'The audit report: conformance by chapter, department and overall, counts per result, every finding with its corrective actions, the auditors’ notes, the team, the CISO’s acceptance (a manager: their department only)',
    description: `${RATE_RULE} The notes are the first ${REPORT_NOTES_LIMIT} (notesTotal counts them all; the workbook, report.xlsx, has every item).`,
  })
  @ApiOkResponse({ type: AuditReportView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such audit in your scope (AUDIT_NOT_FOUND)' })
  async report(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<AuditReportView> {
    return auditReportView(await this.reports.report(actor, id));
  }

  @Get(':id/report.xlsx')
  @May(AUDITS.read)
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The audit report as a workbook: 概要 (summary), 章別 (by chapter), 課別 (by department), 指摘事項 (findings and actions), 監査項目 (every item)',
    description: `${RATE_RULE} Headers and words in Japanese unless \`lang=en\` (or the reader's language setting is English); moments in Asia/Tokyo. The export is recorded in the audit trail. It is streamed as it is written (an audit of 100,000 items only takes longer), and everything it shows is read in one read-only transaction: the figures and the rows are of one moment, even while the audit is being answered.`,
  })
  @ApiFileResponse({ description: 'the workbook, as an attachment', contentTypes: [XLSX_CONTENT_TYPE] })
  @ApiProblems({ 400: 'id is not a UUID, or lang is wrong (VALIDATION_FAILED)', 404: 'No such audit in your scope (AUDIT_NOT_FOUND)' })
  async workbook(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() query: AuditReportExportQuery): Promise<StreamableFile> {
    return AuditReportExport.streamable(await this.exports.workbook(actor, id, query.lang));
  }
}
