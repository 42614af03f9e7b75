import { Controller, Get, Header, Query, Render, Req, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { AnnualReportExport } from '../../indicators/annual-report-export.js';
import { INDICATORS } from '../../indicators/indicators.permissions.js';
import { localeOf } from '../locale.js';
import { AnnualReportPageQuery } from './annual-report-page.dto.js';
import { AnnualReportPagesService, defaultReportYear } from './annual-report-pages.service.js';

/** 年次報告: the annual report on one printable page, and its files for a browser session. */
@ApiExcludeController()
@Controller('reports')
@May(INDICATORS.read_report)
export class AnnualReportPagesController {
  constructor(
    private readonly pages: AnnualReportPagesService,
    private readonly exports: AnnualReportExport,
  ) {}

  @Get('annual')
  @Render('annual-report')
  report(@CurrentActor() actor: Actor, @Query() query: AnnualReportPageQuery, @Req() req: Request): Promise<object> {
    return this.pages.page(actor, query.fiscalYear, localeOf(req));
  }

  /** The workbook or the CSV, in the language the reader reads the pages in; the export is audited. */
  @Get(['annual.xlsx', 'annual.csv'])
  @Header('Cache-Control', 'private, no-store')
  async file(@CurrentActor() actor: Actor, @Query() query: AnnualReportPageQuery, @Req() req: Request): Promise<StreamableFile> {
    const format = req.path.endsWith('.csv') ? 'csv' : 'xlsx';
    return AnnualReportExport.streamable(await this.exports.file(actor, query.fiscalYear ?? defaultReportYear(), format, localeOf(req)));
  }
}
