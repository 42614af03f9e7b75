import { Body, Controller, Get, Param, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { ResponsePlanPagesService } from './response-plan-pages.service.js';
import { ResponsePlanVersionsService } from '../../response-plan/response-plan-versions.service.js';
import { flash } from '../flash.js';
import { PlanApprovalErrorFilter, PlanApprovalForm, PlanTextErrorFilter, PlanTextForm } from './plan-forms.js';

/** 緊急時対応計画: the plan for all staff, a scenario's playbook, and the printable contact sheet (緊急連絡網). */
@ApiExcludeController()
@Controller('response-plan')
export class ResponsePlanPagesController {
  constructor(
    private readonly pages: ResponsePlanPagesService,
    private readonly versions: ResponsePlanVersionsService,
  ) {}

  // the fixed routes first
  /** 緊急連絡網: one printable page of the outside contacts and the town's responders. */
  @Get('contacts')
  @May(RESPONSE_PLAN.read_contacts)
  @Render('response-plan-contacts')
  contacts(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.contacts(actor);
  }

  /** 承認待ちの改訂案: the draft's changes; the CISO's approval form. */
  @Get('draft')
  @May(RESPONSE_PLAN.read_plan_drafts)
  @Render('response-plan-draft')
  draft(@CurrentActor() actor: Actor, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.draft(actor, localeOf(req));
  }

  /** The CISO approves the draft the page showed; refusals come back to the draft page with the reason at the top. */
  @Post('draft/approve')
  @May(RESPONSE_PLAN.approve_plan)
  @UseFilters(PlanApprovalErrorFilter)
  async approve(@CurrentActor() actor: Actor, @Body() form: PlanApprovalForm, @Res() res: Response): Promise<void> {
    await this.versions.approve(actor, Number(form.version));
    flash(res, 'notice.planApproved');
    res.redirect(303, '/response-plan');
  }

  /** 本文の編集: the plan's text for the security office; saving puts it in the draft. */
  @Get('draft/edit')
  @May(RESPONSE_PLAN.edit_plan)
  @Render('response-plan-edit')
  editing(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.editing(actor);
  }

  @Post('draft/edit')
  @May(RESPONSE_PLAN.edit_plan)
  @UseFilters(PlanTextErrorFilter)
  async edit(@CurrentActor() actor: Actor, @Body() form: PlanTextForm, @Res() res: Response): Promise<void> {
    await this.versions.editPlan(actor, { body: form.body, changeNote: form.changeNote });
    flash(res, 'notice.planDraftSaved');
    res.redirect(303, '/response-plan/draft');
  }

  @Get('scenarios/:id')
  @May(RESPONSE_PLAN.read)
  @Render('response-plan-scenario')
  scenario(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.scenario(actor, id, localeOf(req));
  }

  @Get()
  @May(RESPONSE_PLAN.read)
  @Render('response-plan')
  plan(@CurrentActor() actor: Actor, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.plan(actor, localeOf(req));
  }
}
