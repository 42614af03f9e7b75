import { Body, Controller, Get, Param, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { FindingsService } from '../../findings/findings.service.js';
import { FINDINGS } from '../../findings/findings.permissions.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { FindingPageFormFilter, FindingRaiseFormFilter } from './finding-form.filter.js';
import { CarriedOverPageQuery, FindingBoardQuery, FindingDoneForm, FindingPlanForm, FindingRaiseForm, FindingVerifyForm } from './finding-page.dto.js';
import { FINDING_PAGES } from './finding-pages.permissions.js';
import { FindingPagesService } from './finding-pages.service.js';

/**
 * 指摘事項: the board (filters, due dates, owners, the next corrective action), the findings carried
 * over from earlier fiscal years, a finding's page with its corrective actions and the forms to plan
 * one, report it done, verify or reopen it, and raising a finding by hand. Forms post, then redirect
 * to the finding's page with a message.
 */
@ApiExcludeController()
@Controller('findings')
export class FindingPagesController {
  constructor(
    private readonly pages: FindingPagesService,
    private readonly findings: FindingsService,
  ) {}

  @Get()
  @May(FINDINGS.read)
  @Render('finding-board')
  board(@CurrentActor() actor: Actor, @Query() query: FindingBoardQuery): Promise<object> {
    return this.pages.board(actor, query);
  }

  // fixed paths before `:id`

  @Get('carried-over')
  @May(FINDINGS.read)
  @Render('finding-board')
  carriedOver(@CurrentActor() actor: Actor, @Query() query: CarriedOverPageQuery): Promise<object> {
    return this.pages.carried(actor, query);
  }

  @Get('new')
  @May(FINDINGS.raise)
  @Render('finding-new')
  raiseForm(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.raiseForm(actor);
  }

  @Post('new')
  @May(FINDINGS.raise)
  @UseFilters(FindingRaiseFormFilter)
  async raise(@CurrentActor() actor: Actor, @Body() form: FindingRaiseForm, @Res() res: Response): Promise<void> {
    const { finding } = await this.pages.raise(actor, form);
    flash(res, 'notice.findingRaised');
    res.redirect(303, `/findings/${finding.id}`);
  }

  @Get(':id')
  @May(FINDING_PAGES.open)
  @Render('finding')
  show(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.finding(actor, id);
  }

  @Post(':id/actions')
  @May(FINDINGS.plan_action)
  @UseFilters(FindingPageFormFilter)
  async plan(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: FindingPlanForm, @Res() res: Response): Promise<void> {
    await this.findings.planAction(actor, id, { description: form.description, assigneeId: form.assigneeId, dueDate: form.dueDate });
    flash(res, 'notice.findingActionPlanned');
    res.redirect(303, `/findings/${id}#actions-heading`);
  }

  @Post(':id/actions/:actionId/done')
  @May(FINDINGS.report_progress)
  @UseFilters(FindingPageFormFilter)
  async reportDone(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('actionId', uuidParam('actionId')) actionId: string,
    @Body() form: FindingDoneForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.assertActionOf(actor, id, actionId);
    await this.findings.reportDone(actor, actionId, { status: 'done', note: form.note });
    flash(res, 'notice.findingActionDone');
    res.redirect(303, `/findings/${id}#action-${actionId}`);
  }

  @Post(':id/actions/:actionId/verify')
  @May(FINDINGS.verify)
  @UseFilters(FindingPageFormFilter)
  async verify(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('actionId', uuidParam('actionId')) actionId: string,
    @Body() form: FindingVerifyForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.assertActionOf(actor, id, actionId);
    const verified = form.verdict === 'verify';
    await this.findings.verify(actor, actionId, { verified, note: form.note, ...(form.dueDate ? { dueDate: form.dueDate } : {}) });
    flash(res, verified ? 'notice.findingActionVerified' : 'notice.findingActionReopened');
    res.redirect(303, `/findings/${id}#action-${actionId}`);
  }
}
