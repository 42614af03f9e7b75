import { Body, Controller, Get, Param, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AUDITS } from '../../audits/audits.permissions.js';
import { AuditsService } from '../../audits/audits.service.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { AuditPageFormFilter } from './audit-form.filter.js';
import { AuditListQuery, AuditPlanForm, AuditSummaryForm } from './audit-page.dto.js';
import { auditPath, AuditPagesService } from './audit-pages.service.js';

/**
 * 監査・自己点検: the audit plan list, the plan form and an audit's page (its plan, progress per
 * department, start and report). The fixed route `new` is declared before `:id`, and `:id` must be
 * a UUID; the checklist (`/audits/:id/checklist`), the report (`/audits/:id/report`) and the trend
 * (`/audits/trend`, whose module is registered before this one) are other pages'.
 */
@ApiExcludeController()
@Controller('audits')
export class AuditPagesController {
  constructor(
    private readonly pages: AuditPagesService,
    private readonly audits: AuditsService,
  ) {}

  @Get()
  @May(AUDITS.read)
  @Render('audit-plans')
  list(@CurrentActor() actor: Actor, @Query() query: AuditListQuery): Promise<object> {
    return this.pages.list(actor, query);
  }

  @Get('new')
  @May(AUDITS.plan)
  @Render('audit-plan-form')
  newAudit(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.newAudit(actor);
  }

  @Post()
  @May(AUDITS.plan)
  @UseFilters(AuditPageFormFilter)
  async create(@CurrentActor() actor: Actor, @Body() form: AuditPlanForm, @Res() res: Response): Promise<void> {
    const audit = await this.pages.create(actor, form);
    flash(res, 'notice.auditPlan_planned');
    res.redirect(303, auditPath(audit.id));
  }

  @Get(':id')
  @May(AUDITS.read)
  @Render('audit-plan')
  show(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.audit(actor, id);
  }

  /** The plan form; an audit already started goes back to its page with a word on why (its plan no longer changes). */
  @Get(':id/edit')
  @May(AUDITS.plan)
  async edit(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() _query: WebPageQuery, @Res() res: Response): Promise<void> {
    let data: object;
    try {
      data = await this.pages.editAudit(actor, id);
    } catch (error) {
      if (!(error instanceof AppException && error.code === 'AUDIT_TRANSITION_NOT_ALLOWED')) throw error;
      flash(res, 'notice.auditPlan_notEditable');
      return res.redirect(303, auditPath(id));
    }
    res.render('audit-plan-form', data);
  }

  @Post(':id/edit')
  @May(AUDITS.plan)
  @UseFilters(AuditPageFormFilter)
  async update(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: AuditPlanForm, @Res() res: Response): Promise<void> {
    await this.pages.update(actor, id, form);
    flash(res, 'notice.auditPlan_updated');
    res.redirect(303, auditPath(id));
  }

  @Post(':id/start')
  @May(AUDITS.start)
  @UseFilters(AuditPageFormFilter)
  async start(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Res() res: Response): Promise<void> {
    const { items } = await this.audits.start(actor, id);
    flash(res, 'notice.auditPlan_started', { items });
    res.redirect(303, auditPath(id));
  }

  /** 要旨を保存する: the auditors' notes, without moving on. */
  @Post(':id/summary')
  @May(AUDITS.report)
  @UseFilters(AuditPageFormFilter)
  async summary(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: AuditSummaryForm, @Res() res: Response): Promise<void> {
    await this.audits.writeSummary(actor, id, form.summary ?? '');
    flash(res, 'notice.auditPlan_summarySaved');
    res.redirect(303, `${auditPath(id)}#report-heading`);
  }

  /** 報告へ進める: refused while any item is open (the summary links to them). */
  @Post(':id/reporting')
  @May(AUDITS.report)
  @UseFilters(AuditPageFormFilter)
  async report(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: AuditSummaryForm, @Res() res: Response): Promise<void> {
    await this.audits.report(actor, id, { summary: form.summary });
    flash(res, 'notice.auditPlan_reported');
    res.redirect(303, auditPath(id));
  }
}
