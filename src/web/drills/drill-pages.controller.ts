import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { DrillRunsService } from '../../response-plan/drill-runs.service.js';
import { DrillsService } from '../../response-plan/drills.service.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { flash } from '../flash.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { DrillPageFormFilter } from './drill-form.filter.js';
import {
  DrillAttendanceForm,
  DrillCalendarQuery,
  DrillCancelForm,
  DrillEventForm,
  DrillFinishForm,
  DrillScheduleForm,
  DrillStepForm,
} from './drill-page.dto.js';
import { drillPath, DrillPagesService, runPath } from './drill-pages.service.js';

/**
 * 訓練: the drill calendar of a fiscal year, the form that schedules a drill (the security office),
 * a drill's page (start, cancel, its invitation) and the facilitator's live page, whose forms work
 * without JavaScript (each posts, then comes back to the step or section it was about). The record
 * (`/drills/:id/record`), the printable checklist and the paper form are other pages'.
 */
@ApiExcludeController()
@Controller('drills')
export class DrillPagesController {
  constructor(
    private readonly pages: DrillPagesService,
    private readonly drills: DrillsService,
    private readonly runs: DrillRunsService,
  ) {}

  @Get()
  @May(RESPONSE_PLAN.read_drill)
  @Render('drill-calendar')
  calendar(@CurrentActor() actor: Actor, @Query() query: DrillCalendarQuery, @Req() req: Request): Promise<object> {
    return this.pages.calendar(actor, query, localeOf(req));
  }

  @Get('new')
  @May(RESPONSE_PLAN.schedule_drills)
  @Render('drill-schedule')
  newDrill(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.newDrill(actor);
  }

  @Post()
  @May(RESPONSE_PLAN.schedule_drills)
  @UseFilters(DrillPageFormFilter)
  async schedule(@CurrentActor() actor: Actor, @Body() form: DrillScheduleForm, @Res() res: Response): Promise<void> {
    const drill = await this.pages.schedule(actor, form);
    flash(res, 'notice.drills_scheduled');
    res.redirect(303, drillPath(drill.id));
  }

  @Get(':id')
  @May(RESPONSE_PLAN.read_drill)
  @Render('drill-page')
  show(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.drill(actor, id, localeOf(req));
  }

  /** The invitation (the API's, for the signed-in page: the API takes no cookie session). */
  @Get(':id/invite.ics')
  @May(RESPONSE_PLAN.read_drill)
  async invitation(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Res() res: Response): Promise<void> {
    const ics = await this.drills.invitation(actor, id);
    res
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="drill-${id}.ics"`,
        'Cache-Control': 'private, no-store',
      })
      .send(ics);
  }

  @Post(':id/cancel')
  @May(RESPONSE_PLAN.schedule_drills)
  @UseFilters(DrillPageFormFilter)
  async cancel(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillCancelForm, @Res() res: Response): Promise<void> {
    await this.drills.cancel(actor, id, form.reason);
    flash(res, 'notice.drills_cancelled');
    res.redirect(303, drillPath(id));
  }

  @Post(':id/start')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillPageFormFilter)
  async start(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Res() res: Response): Promise<void> {
    await this.runs.start(actor, id);
    flash(res, 'notice.drills_started');
    res.redirect(303, runPath(id));
  }

  @Get(':id/run')
  @May(RESPONSE_PLAN.read_drill)
  @Render('drill-run')
  run(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.run(actor, id, localeOf(req));
  }

  /** 完了: the step done now, with its note. */
  @Post(':id/run/steps/:position')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillPageFormFilter)
  async completeStep(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('position', ParseIntPipe) position: number,
    @Body() form: DrillStepForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.assertLive(actor, id);
    await this.runs.completeStep(actor, id, position, { note: form.note });
    flash(res, 'notice.drills_stepDone', { position });
    res.redirect(303, `${runPath(id)}#step-${position}`);
  }

  /** 取消: a step marked done by mistake. */
  @Post(':id/run/steps/:position/undo')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillPageFormFilter)
  async undoStep(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('position', ParseIntPipe) position: number,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.assertLive(actor, id);
    await this.runs.undoStep(actor, id, position);
    flash(res, 'notice.drills_stepUndone', { position });
    res.redirect(303, `${runPath(id)}#step-${position}`);
  }

  @Post(':id/run/attendance')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillPageFormFilter)
  async attendance(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() form: DrillAttendanceForm,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.assertLive(actor, id);
    const roll = await this.runs.markAttendance(actor, id, form.presentStaffIds);
    flash(res, 'notice.drills_attendanceSaved', { present: roll.present + roll.walkIns });
    res.redirect(303, `${runPath(id)}#attendance-heading`);
  }

  /** 状況付与 or 課題, now. */
  @Post(':id/run/events')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillPageFormFilter)
  async event(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillEventForm, @Res() res: Response): Promise<void> {
    await this.pages.assertLive(actor, id);
    await this.runs.recordEvent(actor, id, { kind: form.kind, text: form.text });
    flash(res, form.kind === 'inject' ? 'notice.drills_injectRecorded' : 'notice.drills_problemRecorded');
    res.redirect(303, `${runPath(id)}#events-heading`);
  }

  @Post(':id/run/finish')
  @May(RESPONSE_PLAN.run_drill)
  @UseFilters(DrillPageFormFilter)
  async finish(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() form: DrillFinishForm, @Res() res: Response): Promise<void> {
    await this.runs.finish(actor, id, form.lessons);
    flash(res, 'notice.drills_finished');
    res.redirect(303, drillPath(id));
  }
}
