import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, UploadedFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { StaffImportUploadsService } from '../../staff/staff-import-uploads.service.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { flash } from '../flash.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { StaffImportFormErrorFilter } from './staff-import-form.filter.js';
import { StaffImportFormInterceptor } from './staff-import-form.interceptor.js';
import { StaffImportPagesService } from './staff-import-pages.service.js';

/**
 * 職員の一括取り込み: upload the HR system's CSV, see what it would do (every bad row, or how many
 * people it adds, changes and leaves as they are), then import it, all or nothing.
 */
@ApiExcludeController()
@Controller('staff/import')
export class StaffImportPagesController {
  constructor(
    private readonly pages: StaffImportPagesService,
    private readonly uploads: StaffImportUploadsService,
  ) {}

  @Get()
  @May(STAFF.import)
  @Render('staff-import')
  form(@Req() req: Request, @Query() _query: WebPageQuery): object {
    return this.pages.form(localeOf(req));
  }

  /** Checks the file without writing; a file without a bad row is kept for the confirmation. */
  @Post()
  @May(STAFF.import)
  @MultipartForm(StaffImportFormInterceptor)
  @UseFilters(StaffImportFormErrorFilter)
  async upload(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined, @Res() res: Response): Promise<void> {
    const { id } = await this.uploads.upload(actor, file);
    res.redirect(303, `/staff/import/${id}`);
  }

  @Get(':id')
  @May(STAFF.import)
  @UseFilters(StaffImportFormErrorFilter)
  @Render('staff-import-preview')
  preview(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.preview(actor, id);
  }

  /** 取り込む: imports the kept file, checking it again. */
  @Post(':id')
  @May(STAFF.import)
  @UseFilters(StaffImportFormErrorFilter)
  async confirm(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.uploads.confirm(actor, id);
    flash(res, 'notice.staffImported');
    res.redirect(303, `/staff/import/${id}`);
  }
}
