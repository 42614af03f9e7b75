import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblems } from '../common/openapi.js';
import { IncidentFiguresExportQuery, IncidentFiguresQuery, IncidentFiguresView } from './dto/figures.dto.js';
import { IncidentFiguresExport, XLSX_CONTENT_TYPE } from './incident-figures-export.js';
import { IncidentFiguresService } from './incident-figures.service.js';
import { INCIDENTS } from './incidents.permissions.js';

const RULES =
  'Reports of the fiscal year (of the report, Asia/Tokyo). Incidents: not near misses, not rejected; near misses (severity L0, or ticked and not yet triaged) apart; ' +
  'rejected reports left out of everything but their own count; counted: incidents of a severity in INCIDENT_COUNTED_SEVERITIES (default L1–L3). ' +
  'Durations from the report, in minutes: median and 90th percentile (continuous) over the incidents that got there. ' +
  'The CSIRT, the security office and the CISO see every department; a manager their own (where it happened, or the reporter’s department).';

/** Incident figures (インシデントの件数と対応時間) of a fiscal year, and their workbook. */
@ApiTags('incidents')
@Controller('api/v1/incidents')
@May(INCIDENTS.read_figures)
@ApiProblems({ 400: 'A parameter is missing or wrong: fiscalYear (required), groupBy, lang (VALIDATION_FAILED, naming it)' })
export class IncidentFiguresController {
  constructor(
    private readonly figures: IncidentFiguresService,
    private readonly exports: IncidentFiguresExport,
  ) {}

  @Get('figures')
  @ApiOperation({
    summary:
      'Incidents of a fiscal year by severity, category or department: counts, near misses apart, the indicator’s count, time to acknowledge, contain and close',
    description: RULES,
  })
  @ApiOkResponse({ type: IncidentFiguresView })
  show(@CurrentActor() actor: Actor, @Query() query: IncidentFiguresQuery): Promise<IncidentFiguresView> {
    return this.figures.figures(actor, query);
  }

  @Get('figures.xlsx')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The incident figures as a workbook: a sheet per grouping (severity, category, department) with the total, and a sheet of the conditions',
    description: `${RULES} Headers and words in Japanese unless \`lang=en\` (or the reader's language setting is English).`,
  })
  @ApiFileResponse({ description: 'the workbook, as an attachment', contentTypes: [XLSX_CONTENT_TYPE] })
  async workbook(@CurrentActor() actor: Actor, @Query() query: IncidentFiguresExportQuery): Promise<StreamableFile> {
    return IncidentFiguresExport.streamable(await this.exports.workbook(actor, query));
  }
}
