import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { intParam } from '../common/int-param.js';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { RaiseFindingDto } from '../findings/dto/finding.dto.js';
import { uuidParam } from '../staff/uuid-param.js';
import { DrillRunsService } from './drill-runs.service.js';
import { drillView, DrillView } from './dto/drill.dto.js';
import {
  CompleteStepDto,
  DrillAttendanceView,
  DrillEventView,
  DrillYearFiguresQuery,
  DrillYearFiguresView,
  DrillFindingView,
  DrillLessonsDto,
  DrillRecordView,
  DrillStepTimingView,
  FinishDrillDto,
  MarkAttendanceDto,
  PaperRecordDto,
  RecordDrillEventDto,
} from './dto/drill-run.dto.js';
import { RESPONSE_PLAN } from './response-plan.permissions.js';

const NOT_FOUND = 'No such drill, or not one you may see (DRILL_NOT_FOUND)';
const NOT_YOURS = 'Only the drill’s facilitator or the security office runs it (FORBIDDEN)';
const STATE = 'The drill is not in a state for this (DRILL_NOT_RUNNING, drillStatus says which)';
/** A step's position: 1–1000, or 400 naming `position`. */
const position = intParam('position', 1000);

/**
 * Running a drill and its record: start, attendance, steps done, injects and problems, finish; the
 * paper record entered afterwards; lessons and findings. The facilitator or the security office.
 */
@ApiTags('response plan')
@Controller('api/v1/drills')
export class DrillRunsController {
  constructor(private readonly runs: DrillRunsService) {}

  @Post(':id/start')
  @HttpCode(200)
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Starts a scheduled drill now: the clock starts and everyone invited is on the roll (absent until marked)' })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({
    400: 'id is not a UUID (VALIDATION_FAILED)',
    403: NOT_YOURS,
    404: NOT_FOUND,
    409: `${STATE}; or its day is more than a day ahead (DRILL_TOO_EARLY, scheduledOn)`,
  })
  async start(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<DrillView> {
    return drillView(await this.runs.start(actor, id));
  }

  @Put(':id/attendance')
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Who is there: the people named are present, the other invitees absent; someone not invited joins the roll as present' })
  @ApiOkResponse({ type: DrillAttendanceView })
  @ApiProblems({ 400: 'A person is unknown (VALIDATION_FAILED naming presentStaffIds)', 403: NOT_YOURS, 404: NOT_FOUND, 409: STATE })
  async attendance(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: MarkAttendanceDto): Promise<DrillAttendanceView> {
    return this.runs.markAttendance(actor, id, dto.presentStaffIds);
  }

  @Post(':id/steps/:position/done')
  @HttpCode(200)
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'A playbook step done: now while the drill runs, or at doneAt (required once finished); again replaces the time and note' })
  @ApiOkResponse({ type: DrillStepTimingView })
  @ApiProblems({
    400: 'doneAt is outside the drill (DRILL_TIME_INVALID), missing after the finish, or position not a whole number 1–1000 (VALIDATION_FAILED)',
    403: NOT_YOURS,
    404: `${NOT_FOUND}; or no step at this position (DRILL_STEP_NOT_FOUND)`,
    409: STATE,
  })
  async completeStep(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('position', position) at: number,
    @Body() dto: CompleteStepDto,
  ): Promise<DrillStepTimingView> {
    return this.runs.completeStep(actor, id, at, dto);
  }

  @Delete(':id/steps/:position/done')
  @HttpCode(204)
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Takes back a step marked done by mistake' })
  @ApiNoContentResponse()
  @ApiProblems({
    400: 'id is not a UUID or position not a whole number 1–1000 (VALIDATION_FAILED)',
    403: NOT_YOURS,
    404: `${NOT_FOUND}; or no step at this position (DRILL_STEP_NOT_FOUND)`,
    409: STATE,
  })
  async undoStep(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Param('position', position) at: number): Promise<void> {
    await this.runs.undoStep(actor, id, at);
  }

  @Post(':id/events')
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Records an inject given (状況付与) or a problem met (課題), now or at occurredAt' })
  @ApiCreatedResponse({ type: DrillEventView })
  @ApiProblems({ 400: 'A field is wrong (VALIDATION_FAILED, DRILL_TIME_INVALID)', 403: NOT_YOURS, 404: NOT_FOUND, 409: STATE })
  async recordEvent(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: RecordDrillEventDto): Promise<DrillEventView> {
    const event = await this.runs.recordEvent(actor, id, dto);
    const record = await this.runs.record(actor, id);
    return record.events.find((e) => e.id === event.id)!;
  }

  @Post(':id/finish')
  @HttpCode(200)
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Finishes a running drill now, optionally with its lessons' })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({ 400: 'A field is wrong (VALIDATION_FAILED)', 403: NOT_YOURS, 404: NOT_FOUND, 409: STATE })
  async finish(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: FinishDrillDto): Promise<DrillView> {
    return drillView(await this.runs.finish(actor, id, dto.lessons));
  }

  @Put(':id/paper-record')
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({
    summary:
      'Enters a drill held without the network from its printed checklist: start, finish, who was there, each step’s time, injects and problems, lessons (all or nothing)',
  })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({
    400: 'A time is outside the drill or a step unknown (DRILL_TIME_INVALID naming steps.N.doneAt); a field is wrong (VALIDATION_FAILED)',
    403: NOT_YOURS,
    404: NOT_FOUND,
    409: 'Only a scheduled drill is entered from paper (DRILL_NOT_RUNNING)',
  })
  async paperRecord(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: PaperRecordDto): Promise<DrillView> {
    return drillView(await this.runs.recordFromPaper(actor, id, dto));
  }

  @Put(':id/lessons')
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Writes the lessons (反省点・教訓) of a finished drill' })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({ 400: 'A field is wrong (VALIDATION_FAILED)', 403: NOT_YOURS, 404: NOT_FOUND, 409: 'The drill is not finished (DRILL_NOT_RUNNING)' })
  async lessons(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: DrillLessonsDto): Promise<DrillView> {
    return drillView(await this.runs.writeLessons(actor, id, dto.lessons));
  }

  @Post(':id/findings')
  @May(RESPONSE_PLAN.run_drill)
  @ApiOperation({ summary: 'Raises a finding from the drill (source drill): it joins the findings board with its corrective actions' })
  @ApiCreatedResponse({ type: DrillFindingView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED); a department, control or assignee is unknown (FINDING_LINK_INVALID)',
    403: NOT_YOURS,
    404: NOT_FOUND,
    409: 'The drill has not started (DRILL_NOT_RUNNING)',
  })
  async raiseFinding(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: RaiseFindingDto): Promise<DrillFindingView> {
    const { finding } = await this.runs.raiseFinding(actor, id, dto);
    return {
      id: finding.id,
      reference: finding.reference,
      title: finding.title,
      severity: finding.severity,
      status: finding.status,
      dueDate: finding.dueDate,
    };
  }

  @Get(':id/record')
  @May(RESPONSE_PLAN.read_drill)
  @ApiOperation({
    summary: 'The drill’s record: each step’s elapsed time against its target (late ones marked), attendance rate, injects and problems, lessons, findings',
  })
  @ApiOkResponse({ type: DrillRecordView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: NOT_FOUND })
  async record(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<DrillRecordView> {
    return this.runs.record(actor, id);
  }
}

/** The drill figures of plan item III-5. */
@ApiTags('response plan')
@Controller('api/v1/response-plan')
export class DrillFiguresController {
  constructor(private readonly runs: DrillRunsService) {}

  @Get('figures')
  @May(RESPONSE_PLAN.read_drill_figures)
  @ApiOperation({ summary: 'The drills of a fiscal year: held by kind, planned, cancelled, attendance rate, steps on time, findings raised' })
  @ApiOkResponse({ type: DrillYearFiguresView })
  @ApiProblems({ 400: 'fiscalYear is missing or wrong (VALIDATION_FAILED)' })
  async figures(@CurrentActor() actor: Actor, @Query() query: DrillYearFiguresQuery): Promise<DrillYearFiguresView> {
    return this.runs.figures(actor, query.fiscalYear);
  }
}
