import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, StreamableFile, UploadedFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { CONTROLS } from '../../controls/controls.permissions.js';
import type { Actor } from '../../common/actor.js';
import { ControlEvidenceService } from '../../controls/control-evidence.service.js';
import { ControlsService } from '../../controls/controls.service.js';
import { ControlEvidenceUploadDto } from '../../controls/dto/control-evidence.dto.js';
import { StatementOfApplicabilityService } from '../../controls/statement-of-applicability.service.js';
import { flash } from '../flash.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { ControlFormErrorFilter } from './control-form.filter.js';
import { ControlPageQuery, ControlStatusForm } from './control-page.dto.js';
import { ControlPagesService } from './control-pages.service.js';
import { EvidenceFormInterceptor } from './evidence-form.interceptor.js';

/** 管理策: the catalogue with its coverage, a control's status and evidence. */
@ApiExcludeController()
@Controller('controls')
export class ControlPagesController {
  constructor(
    private readonly pages: ControlPagesService,
    private readonly controls: ControlsService,
    private readonly evidence: ControlEvidenceService,
    private readonly soa: StatementOfApplicabilityService,
  ) {}

  @Get()
  @May(CONTROLS.read)
  @Render('controls')
  catalogue(@CurrentActor() actor: Actor, @Query() query: ControlPageQuery): Promise<object> {
    return this.pages.catalogue(actor, query);
  }

  /** The API's workbook for a browser session (the API route needs a Bearer token). */
  @Get('statement-of-applicability.xlsx')
  @May(CONTROLS.export_soa)
  @Header('Cache-Control', 'private, no-store')
  statementOfApplicability(@CurrentActor() actor: Actor, @Req() req: Request): Promise<StreamableFile> {
    // in the language the reader reads the pages in
    return this.soa.exportFile(actor, localeOf(req));
  }

  /** The controls due for checking (within 30 days or overdue): where the work queue's count leads. */
  @Get('due')
  @May(CONTROLS.read)
  @Render('controls-due')
  due(@CurrentActor() actor: Actor, @Query() query: WebPageQuery): Promise<object> {
    return this.pages.dueForCheck(actor, query.page);
  }

  @Get(':id')
  @May(CONTROLS.read)
  @Render('control')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.control(actor, id);
  }

  @Get(':id/evidence/:evidenceId')
  @May(CONTROLS.read_evidence)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  downloadEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
  ): Promise<StreamableFile> {
    return this.evidence.downloadFile(actor, id, evidenceId);
  }

  @Post(':id/status')
  @May(CONTROLS.update_status)
  @UseFilters(ControlFormErrorFilter)
  async updateStatus(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: ControlStatusForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.controls.update(actor, id, { status: form.status, reason: form.reason ?? '', nextCheckDue: form.nextCheckDue });
    flash(res, 'notice.statusUpdated');
    res.redirect(303, `/controls/${id}`);
  }

  @Post(':id/evidence')
  @May(CONTROLS.add_evidence)
  @MultipartForm(EvidenceFormInterceptor)
  @UseFilters(ControlFormErrorFilter)
  async uploadEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: ControlEvidenceUploadDto,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.evidence.upload(actor, id, file, form);
    flash(res, 'notice.evidenceUploaded');
    res.redirect(303, `/controls/${id}`);
  }
}
