import { Body, Controller, Get, Param, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { flash } from '../flash.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { DrillRecordFormFilter } from './drill-record-form.filter.js';
import { DrillFindingForm, DrillLessonsForm, DrillPaperForm, DrillProposalForm } from './drill-record-page.dto.js';
import { DrillRecordPagesService, recordPath } from './drill-record-pages.service.js';

/**
 * 訓練記録: a drill's record (`/drills/:id/record`: steps against their targets, attendance, injects
 * and problems, lessons and findings, printable), its printable checklist for a drill held without
 * the network (`/drills/:id/checklist`), and the paper sheet entered afterwards (`/drills/:id/paper`).
 * The calendar, a drill's page and its live page (`/drills`, `/drills/:id`, `/drills/:id/run`) are
 * other pages'. Whoever reads the drill reads the record and the checklist; whoever runs it (its
 * facilitator, the security office) writes the lessons, raises findings and enters the paper sheet.
 */
@ApiExcludeController()
@Controller('drills')
export class DrillRecordPagesController {
  constructor(private readonly pages: DrillRecordPagesService) {}

  @Get(':id/record')
  @May(RESPONSE_PLAN.read_drill)
  @Render('drill-record')
  record(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.record(actor, id, localeOf(req));
  }

  /** 教訓を保存: the lessons of a finished drill. */
  @Post(':id/record/lessons')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillRecordFormFilter)
  async lessons(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillLessonsForm, @Res() res: Response): Promise<void> {
    await this.pages.writeLessons(actor, id, form.lessons ?? '');
    flash(res, 'notice.drillRecord_lessonsSaved');
    res.redirect(303, `${recordPath(id)}#lessons-heading`);
  }

  /** 指摘事項を登録: a finding raised from the drill (it joins the findings board). */
  @Post(':id/record/findings')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillRecordFormFilter)
  async finding(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillFindingForm, @Res() res: Response): Promise<void> {
    await this.pages.raiseFinding(actor, id, form);
    flash(res, 'notice.drillRecord_findingRaised');
    res.redirect(303, `${recordPath(id)}#findings-heading`);
  }

  /**
   * 手順の変更を提案: one step of the drill's playbook (its target, its wording) into the plan's draft
   * at once, for the CISO to approve; the drill's facilitator or the security office (403 for others).
   */
  @Post(':id/record/proposals')
  @May(RESPONSE_PLAN.propose_change)
  @UseFilters(DrillRecordFormFilter)
  async propose(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillProposalForm, @Res() res: Response): Promise<void> {
    await this.pages.propose(actor, id, form);
    flash(res, 'notice.drillProposal_proposed');
    res.redirect(303, `${recordPath(id)}#proposals-heading`);
  }

  /** 訓練チェックシート: one A4 sheet to hold the drill on paper. */
  @Get(':id/checklist')
  @May(RESPONSE_PLAN.read_drill)
  @Render('drill-sheet')
  checklist(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.sheet(actor, id, localeOf(req));
  }

  /** 紙の記録を入力: the form; a drill that already ran goes to its record with a word on why. */
  @Get(':id/paper')
  @May(RESPONSE_PLAN.run_drill)
  async paperForm(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: Request,
    @Query() _query: WebPageQuery,
    @Res() res: Response,
  ): Promise<void> {
    const data = await this.pages.paper(actor, id, localeOf(req));
    if (data.notScheduled) {
      flash(res, 'notice.drillPaper_notScheduled');
      return res.redirect(303, recordPath(id));
    }
    res.render('drill-paper', data);
  }

  @Post(':id/paper')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillRecordFormFilter)
  async paper(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillPaperForm, @Res() res: Response): Promise<void> {
    await this.pages.recordFromPaper(actor, id, form);
    flash(res, 'notice.drillPaper_recorded');
    res.redirect(303, recordPath(id));
  }
}
