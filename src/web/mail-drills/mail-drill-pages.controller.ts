import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, UploadedFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { MailDrillUploadsService } from '../../training/mail-drill-uploads.service.js';
import { TRAINING } from '../../training/training.permissions.js';
import { flash } from '../flash.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { MailDrillFormErrorFilter } from './mail-drill-form.filter.js';
import { MailDrillFormInterceptor } from './mail-drill-form.interceptor.js';
import { DrillPageQuery, DrillUploadForm } from './mail-drill-page.dto.js';
import { MailDrillPagesService } from './mail-drill-pages.service.js';

/**
 * 標的型メール訓練: the drills; one drill's results and figures by department; its results file
 * uploaded, checked (every bad row by line, nothing imported), then imported on confirmation.
 */
@ApiExcludeController()
@Controller('training')
export class MailDrillPagesController {
  constructor(
    private readonly pages: MailDrillPagesService,
    private readonly uploads: MailDrillUploadsService,
  ) {}

  @Get('mail-drills')
  @May(TRAINING.read_figures)
  @Render('mail-drills')
  list(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.list(actor);
  }

  @Get('courses/:id/drill-results')
  @May(TRAINING.read_figures)
  @Render('mail-drill')
  show(@CurrentActor() actor: Actor, @Req() req: Request, @Param('id', ParseUUIDPipe) id: string, @Query() query: DrillPageQuery): Promise<object> {
    return this.pages.drill(actor, localeOf(req), id, { show: query.show, page: query.page });
  }

  /** 内容を確認する: checks the file without importing; a file without a bad row waits for the confirmation. */
  @Post('courses/:id/drill-results')
  @May(TRAINING.import_drill_results)
  @MultipartForm(MailDrillFormInterceptor)
  @UseFilters(MailDrillFormErrorFilter)
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: DrillUploadForm,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const upload = await this.uploads.upload(actor, id, file, form.format === 'auto' ? undefined : form.format);
    res.redirect(303, `/training/courses/${id}/drill-results/uploads/${upload.id}`);
  }

  @Get('courses/:id/drill-results/uploads/:uploadId')
  @May(TRAINING.import_drill_results)
  @UseFilters(MailDrillFormErrorFilter)
  @Render('mail-drill-preview')
  preview(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('uploadId', ParseUUIDPipe) uploadId: string,
    @Query() _query: WebPageQuery,
  ): Promise<object> {
    return this.pages.preview(actor, id, uploadId);
  }

  /** 取り込む: imports the checked file (checked again), then shows the drill's results. */
  @Post('courses/:id/drill-results/uploads/:uploadId')
  @May(TRAINING.import_drill_results)
  @UseFilters(MailDrillFormErrorFilter)
  async confirm(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('uploadId', ParseUUIDPipe) uploadId: string,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.uploads.confirm(actor, id, uploadId);
    flash(res, result.followUpEnrolled ? 'notice.drillImportedWithFollowUps' : 'notice.drillImported', {
      rows: result.rows,
      followUps: result.followUpEnrolled,
    });
    res.redirect(303, `/training/courses/${id}/drill-results`);
  }
}
