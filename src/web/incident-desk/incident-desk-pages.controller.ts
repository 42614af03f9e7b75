import { Controller, Get, Header, Query, Render, Req, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { IncidentFiguresExport } from '../../incidents/incident-figures-export.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { IncidentFiguresPageQuery } from './incident-desk-page.dto.js';
import { IncidentDeskPagesService } from './incident-desk-pages.service.js';

/** The security office's desk: the incident figures of a fiscal year (and their workbook), the external reports coming due. */
@ApiExcludeController()
@Controller('incidents')
export class IncidentDeskPagesController {
  constructor(
    private readonly pages: IncidentDeskPagesService,
    private readonly exports: IncidentFiguresExport,
  ) {}

  @Get('figures')
  @May(INCIDENTS.read_figures)
  @Render('incident-figures')
  figures(@CurrentActor() actor: Actor, @Query() query: IncidentFiguresPageQuery, @Req() req: Request): Promise<object> {
    return this.pages.figuresPage(actor, query.fiscalYear, localeOf(req));
  }

  /** The figures as a workbook, in the language the reader reads the pages in. */
  @Get('figures.xlsx')
  @May(INCIDENTS.read_figures)
  @Header('Cache-Control', 'private, no-store')
  async figuresFile(@CurrentActor() actor: Actor, @Query() query: IncidentFiguresPageQuery, @Req() req: Request): Promise<StreamableFile> {
    const file = await this.exports.workbook(actor, { fiscalYear: query.fiscalYear ?? fiscalYearOf(tokyoToday()), lang: localeOf(req) });
    return IncidentFiguresExport.streamable(file);
  }

  @Get('external-reports/due')
  @May(INCIDENTS.read_all)
  @Render('incident-reports-due')
  reportsDue(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.reportsDue(actor);
  }
}
