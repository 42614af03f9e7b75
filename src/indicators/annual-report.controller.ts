import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { AnnualReportExport, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './annual-report-export.js';
import { AnnualReportService } from './annual-report.service.js';
import { AnnualReportQuery, AnnualReportView } from './dto/annual-report.dto.js';
import { INDICATORS } from './indicators.permissions.js';

const DESCRIPTION = [
  'The CIO’s annual report for the promotion committee: every indicator of the year with its target, value, status (met, not_met, on_track, at_risk, no_data) and last year’s target, value and status; the year named both ways (令和4年度 and 2022年度); when the year is closed, its figures are the close’s, with when it was closed and the audit trail’s head hash, and `changedSinceClose` marks frozen rows whose records have changed since. Then what was done per plan item III-1 … III-5, counted from the records as they are now: controls by status at the year’s end; courses held (enrolled, exempt, completed, rate) and targeted-mail drills (recipients, reported, clicked); audits (status, dates, findings raised by severity) and the year’s findings (raised, verified, open); policy reviews recorded in the year and incidents by severity (near misses L0 apart, rejected left out); the response plan at the year’s end and the drills (attendance, steps on time and late).',
  '`format=json` (default) answers the report as JSON. `format=xlsx` a workbook: 概要 (summary, close, hash), 指標 (indicators), then one sheet per plan item with its tables; real date cells. `format=csv` one CSV in UTF-8 with a byte-order mark and CRLF lines: the indicators table (a header row, then one row per indicator), then each plan item’s table after a blank line, a heading row (the table’s name alone) and its header row; last, after a blank line and the heading row 概要 (Summary), the year both ways and the close (when, by whom, the audit trail’s seq and hash) as name/value rows. Files are attachments named `annual-report-FY2022.xlsx` / `.csv`; their headers and words are in `lang` (default the reader’s language setting, else ja); each file export is recorded in the audit trail (`annual_report.export`).',
].join('\n\n');

/** The annual report (年次報告) of a fiscal year, as JSON, a workbook or CSV. */
@ApiTags('indicators')
@Controller('api/v1/reports')
@ApiExtraModels(AnnualReportView)
export class AnnualReportController {
  constructor(
    private readonly reports: AnnualReportService,
    private readonly exports: AnnualReportExport,
  ) {}

  @Get('annual')
  @May(INDICATORS.read_report)
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The CIO’s annual report of a fiscal year: indicators against targets with last year’s, and what was done per plan item',
    description: DESCRIPTION,
  })
  @ApiResponse({
    status: 200,
    description: 'format=json: the report; format=xlsx / csv: the file as an attachment',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AnnualReportView) } },
      [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } },
      [CSV_CONTENT_TYPE.split(';')[0]!.trim()]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems({
    400: 'fiscalYear is missing or not a fiscal year (2000–2100), or format (json, xlsx, csv) or lang (ja, en) is wrong (VALIDATION_FAILED, naming it)',
  })
  async annual(@CurrentActor() actor: Actor, @Query() query: AnnualReportQuery): Promise<AnnualReportView | StreamableFile> {
    const format = query.format ?? 'json';
    if (format === 'json') return this.reports.report(actor, query.fiscalYear);
    return AnnualReportExport.streamable(await this.exports.file(actor, query.fiscalYear, format, query.lang));
  }
}
