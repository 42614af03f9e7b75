import { Controller, Get, Header, Query, Render, Req, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { fiscalYearOf } from '../../common/dates.js';
import { TrainingFiguresExport, type ExportFormat } from '../../training/training-figures-export.js';
import { TRAINING } from '../../training/training.permissions.js';
import { localeOf } from '../locale.js';
import { CompletionFilterErrorFilter, NotCompletedFilterErrorFilter } from './completion-filter.filter.js';
import { CompletionPageQuery, NotCompletedPageQuery } from './training-completion-page.dto.js';
import { TrainingCompletionPagesService } from './training-completion-pages.service.js';

/** 受講状況: the completion board by department, the not-completed list, and their exports for a browser session. */
@ApiExcludeController()
@Controller('training')
@May(TRAINING.read_figures)
export class TrainingCompletionPagesController {
  constructor(
    private readonly pages: TrainingCompletionPagesService,
    private readonly exports: TrainingFiguresExport,
  ) {}

  @Get('completion')
  @UseFilters(CompletionFilterErrorFilter)
  @Render('training-completion')
  board(@CurrentActor() actor: Actor, @Query() query: CompletionPageQuery, @Req() req: Request): Promise<object> {
    return this.pages.board(actor, query, localeOf(req));
  }

  @Get('completion/not-completed')
  @UseFilters(NotCompletedFilterErrorFilter)
  @Render('training-not-completed')
  notCompleted(@CurrentActor() actor: Actor, @Query() query: NotCompletedPageQuery, @Req() req: Request): Promise<object> {
    return this.pages.notCompleted(actor, query, localeOf(req));
  }

  /** The board's figures by department, in the language the reader reads the pages in; the export is audited. */
  @Get(['completion.xlsx', 'completion.csv'])
  @Header('Cache-Control', 'private, no-store')
  async completionFile(@CurrentActor() actor: Actor, @Query() query: CompletionPageQuery, @Req() req: Request): Promise<StreamableFile> {
    const { fiscalYear, asOf, courseId } = query;
    const file = await this.exports.completion(
      actor,
      { fiscalYear: fiscalYear ?? fiscalYearOf(tokyoToday()), asOf, courseId, groupBy: 'department', lang: localeOf(req) },
      formatOf(req),
    );
    return TrainingFiguresExport.streamable(file);
  }

  /** The whole not-completed (or exempt) list the page's filters choose. */
  @Get(['completion/not-completed.xlsx', 'completion/not-completed.csv'])
  @Header('Cache-Control', 'private, no-store')
  async notCompletedFile(@CurrentActor() actor: Actor, @Query() query: NotCompletedPageQuery, @Req() req: Request): Promise<StreamableFile> {
    const { fiscalYear, asOf, courseId, departmentId, state } = query;
    const file = await this.exports.notCompleted(
      actor,
      {
        fiscalYear: fiscalYear ?? fiscalYearOf(tokyoToday()),
        asOf,
        courseId,
        departmentId,
        state: state ?? 'open',
        page: 1,
        pageSize: 50,
        lang: localeOf(req),
      },
      formatOf(req),
    );
    return TrainingFiguresExport.streamable(file);
  }
}

function formatOf(req: Request): ExportFormat {
  return req.path.endsWith('.csv') ? 'csv' : 'xlsx';
}
