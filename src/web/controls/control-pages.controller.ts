import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Render, Res, StreamableFile, UploadedFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, CurrentActor, Roles } from '../../auth/decorators.js';
import type { Actor } from '../../common/actor.js';
import { ControlEvidenceService, EVIDENCE_READERS } from '../../policies/control-evidence.service.js';
import { ControlsService } from '../../policies/controls.service.js';
import { ControlEvidenceUploadDto } from '../../policies/dto/control-evidence.dto.js';
import { StatementOfApplicabilityService } from '../../policies/statement-of-applicability.service.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { CONTROL_EVIDENCE_ROLES, CONTROL_STATUS_ROLES, SOA_ROLES } from '../navigation.js';
import { ControlFormErrorFilter } from './control-form.filter.js';
import { ControlPageQuery, ControlStatusForm, NoticePageQuery } from './control-page.dto.js';
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
  @AnyRole()
  @Render('controls')
  catalogue(@CurrentActor() actor: Actor, @Query() query: ControlPageQuery): Promise<object> {
    return this.pages.catalogue(actor, query);
  }

  /** The API's workbook for a browser session (the API route needs a Bearer token). */
  @Get('statement-of-applicability.xlsx')
  @Roles(...SOA_ROLES)
  @Header('Cache-Control', 'private, no-store')
  statementOfApplicability(@CurrentActor() actor: Actor): Promise<StreamableFile> {
    return this.soa.exportFile(actor);
  }

  @Get(':id')
  @AnyRole()
  @Render('control')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() query: NoticePageQuery): Promise<object> {
    return this.pages.control(actor, id, { notice: query.notice });
  }

  @Get(':id/evidence/:evidenceId')
  @Roles(...EVIDENCE_READERS)
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
  @Roles(...CONTROL_STATUS_ROLES)
  @UseFilters(ControlFormErrorFilter)
  async updateStatus(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: ControlStatusForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.controls.update(actor, id, { status: form.status, reason: form.reason ?? '', nextCheckDue: form.nextCheckDue });
    res.redirect(303, `/controls/${id}?notice=statusUpdated`);
  }

  @Post(':id/evidence')
  @Roles(...CONTROL_EVIDENCE_ROLES)
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
    res.redirect(303, `/controls/${id}?notice=evidenceUploaded#evidence-heading`);
  }
}
