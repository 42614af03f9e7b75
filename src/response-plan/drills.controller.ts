import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { CancelDrillDto, DrillQuery, drillView, DrillView, ScheduleDrillDto, UpdateDrillDto } from './dto/drill.dto.js';
import { DrillsService } from './drills.service.js';
import { RESPONSE_PLAN } from './response-plan.permissions.js';

const NOT_FOUND = 'No such drill, or not one you may see (DRILL_NOT_FOUND)';

/** Drills of the response plan's scenarios, with their iCalendar invitations. */
@ApiTags('response plan')
@Controller('api/v1/drills')
export class DrillsController {
  constructor(private readonly drills: DrillsService) {}

  @Post()
  @May(RESPONSE_PLAN.schedule_drills)
  @ApiOperation({ summary: 'Schedules a drill of a scenario in force: kind, times, place or online link, facilitator, invitees (people, roles, departments)' })
  @ApiCreatedResponse({ type: DrillView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED: e.g. endsAt not after startsAt); the scenario, facilitator or an invitee is unknown (DRILL_LINK_INVALID)',
  })
  async schedule(@CurrentActor() actor: Actor, @Body() dto: ScheduleDrillDto): Promise<DrillView> {
    return drillView(await this.drills.schedule(actor, dto));
  }

  @Get()
  @May(RESPONSE_PLAN.read_drill)
  @ApiOperation({
    summary: 'The drills the caller sees (the office, the CISO, the CSIRT and auditors: all; others: those they facilitate or are invited to), by start',
  })
  @ApiOkResponse({ type: PageOf(DrillView) })
  async list(@CurrentActor() actor: Actor, @Query() query: DrillQuery): Promise<Page<DrillView>> {
    const page = await this.drills.list(actor, query);
    return { ...page, items: page.items.map(drillView) };
  }

  @Get(':id')
  @May(RESPONSE_PLAN.read_drill)
  @ApiOperation({ summary: 'One drill' })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: NOT_FOUND })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<DrillView> {
    return drillView(await this.drills.get(actor, id));
  }

  @Patch(':id')
  @May(RESPONSE_PLAN.schedule_drills)
  @ApiOperation({ summary: 'Changes a scheduled drill; its invitation’s SEQUENCE goes up by one' })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, DRILL_LINK_INVALID)',
    404: NOT_FOUND,
    409: 'The drill is no longer scheduled (DRILL_NOT_SCHEDULED)',
  })
  async update(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateDrillDto): Promise<DrillView> {
    return drillView(await this.drills.update(actor, id, dto));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @May(RESPONSE_PLAN.schedule_drills)
  @ApiOperation({ summary: 'Cancels a scheduled drill: its invitation becomes METHOD:CANCEL with the next SEQUENCE' })
  @ApiOkResponse({ type: DrillView })
  @ApiProblems({ 400: 'No reason (VALIDATION_FAILED)', 404: NOT_FOUND, 409: 'The drill is no longer scheduled (DRILL_NOT_SCHEDULED)' })
  async cancel(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: CancelDrillDto): Promise<DrillView> {
    return drillView(await this.drills.cancel(actor, id, dto.reason));
  }

  @Get(':id/invite.ics')
  @May(RESPONSE_PLAN.read_drill)
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The drill’s invitation (RFC 5545): Asia/Tokyo times with a VTIMEZONE, a stable UID, its SEQUENCE; METHOD:CANCEL once cancelled',
  })
  @ApiFileResponse({ description: 'the iCalendar invitation', contentTypes: ['text/calendar; charset=utf-8'] })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: NOT_FOUND })
  async invitation(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<string> {
    return this.drills.invitation(actor, id);
  }
}
