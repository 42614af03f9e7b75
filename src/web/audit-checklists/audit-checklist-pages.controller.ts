import { Body, Controller, Get, Header, Param, Post, Query, Render, Req, Res, StreamableFile, UploadedFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AUDITS } from '../../audits/audits.permissions.js';
import { AuditsService } from '../../audits/audits.service.js';
import { ChecklistEvidenceService } from '../../audits/checklist-evidence.service.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { EvidenceFormInterceptor } from '../controls/evidence-form.interceptor.js';
import { flash } from '../flash.js';
import { MultipartForm } from '../forms/multipart-form.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { ChecklistFormErrorFilter, wantsJson } from './audit-checklist-form.filter.js';
import { ChecklistAnswerForm, ChecklistPageQuery, ChecklistSignOffForm } from './audit-checklist-page.dto.js';
import { AuditChecklistPagesService } from './audit-checklist-pages.service.js';

/**
 * 監査項目・点検項目: the checklist an auditor works through (filtered, 50 items a page, a small form
 * per item), an item's page, and a manager's self-inspection of their department with the sign-off
 * (課長確認). Answers post and redirect back to the same filtered page at the item; asked for JSON
 * (the checklist's script), the answer route says what was saved instead.
 */
@ApiExcludeController()
@Controller('audits')
export class AuditChecklistPagesController {
  constructor(
    private readonly pages: AuditChecklistPagesService,
    private readonly audits: AuditsService,
    private readonly evidence: ChecklistEvidenceService,
  ) {}

  @Get(':id/checklist')
  @May(AUDITS.read)
  @Render('audit-checklist')
  checklist(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() query: ChecklistPageQuery): Promise<object> {
    return this.pages.checklist(actor, id, { departmentId: query.departmentId, result: query.result, chapter: query.chapter, page: query.page });
  }

  @Get(':id/checklist/:itemId')
  @May(AUDITS.read)
  @Render('audit-checklist-item')
  item(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @Query() _query: WebPageQuery,
  ): Promise<object> {
    return this.pages.item(actor, id, itemId);
  }

  @Post(':id/checklist/:itemId')
  @May(AUDITS.answer)
  @UseFilters(ChecklistFormErrorFilter)
  async answer(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @Body() form: ChecklistAnswerForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const row = await this.audits.answer(actor, id, itemId, { result: form.result, note: form.note });
    if (wantsJson(req)) {
      res.status(200).json(this.pages.answerJson(row, localeOf(req)));
      return;
    }
    flash(res, 'notice.checklistAnswerSaved');
    res.redirect(303, `${backTo(res, id)}#item-${itemId}`);
  }

  @Post(':id/checklist/:itemId/evidence')
  @May(AUDITS.answer)
  @MultipartForm(EvidenceFormInterceptor)
  @UseFilters(ChecklistFormErrorFilter)
  async addEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.evidence.add(actor, id, itemId, file);
    flash(res, 'notice.checklistEvidenceAdded');
    res.redirect(303, `/audits/${id}/checklist/${itemId}#evidence`);
  }

  @Get(':id/checklist/:itemId/evidence/:evidenceId')
  @May(AUDITS.read)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  downloadEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('itemId', uuidParam('itemId')) itemId: string,
    @Param('evidenceId', uuidParam('evidenceId')) evidenceId: string,
  ): Promise<StreamableFile> {
    return this.evidence.downloadFile(actor, id, itemId, evidenceId);
  }

  @Post(':id/sign-off')
  @May(AUDITS.sign_off)
  @UseFilters(ChecklistFormErrorFilter)
  async signOff(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() form: ChecklistSignOffForm,
    @Res() res: Response,
  ): Promise<void> {
    // a manager signs off their own department; one without a department has nothing to sign
    if (!actor.departmentId) throw new AppException('FORBIDDEN');
    await this.audits.signOff(actor, id, { departmentId: actor.departmentId, note: form.note });
    flash(res, 'notice.checklistSignedOff');
    res.redirect(303, `${backTo(res, id)}#sign-off`);
  }
}

/** The page the form was on (the same filtered page of the checklist, or the item's page), if it is one of this audit's checklist pages. */
function backTo(res: Response, auditId: string): string {
  const page: unknown = res.locals.pageUrl;
  const checklist = `/audits/${auditId}/checklist`;
  if (typeof page !== 'string') return checklist;
  const { pathname, search } = new URL(page, 'http://mamori.invalid');
  return pathname === checklist || pathname.startsWith(`${checklist}/`) ? `${pathname}${search}` : checklist;
}
