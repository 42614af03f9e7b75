import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, PageOf, type List, type Page } from '../common/pagination.js';
import { may } from '../common/permissions.js';
import { uuidParam } from '../staff/uuid-param.js';
import { AcknowledgeDto } from './dto/acknowledge.dto.js';
import { IncidentQuery } from './dto/incident-query.dto.js';
import { incidentView, IncidentView, TimelineEntryView } from './dto/incident-view.dto.js';
import { ReportIncidentDto } from './dto/report-incident.dto.js';
import { AssessmentDto, TimelineNoteDto, TransitionDto } from './dto/transition.dto.js';
import { IncidentsService } from './incidents.service.js';
import { externalReportView } from './dto/external-report.dto.js';
import { ExternalReportsService } from './external-reports.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** Incidents: the one-minute report, the board, triage and transitions, acknowledgement, the timeline. */
@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly externalReports: ExternalReportsService,
  ) {}

  @Post()
  @May(INCIDENTS.report)
  @ApiOperation({
    summary:
      'Report an incident or near miss (anyone). With an Idempotency-Key, a retried submission answers 200 with the first result (header Idempotent-Replayed: true)',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'any unique string per report (e.g. a UUID); 1–200 visible ASCII characters' })
  @ApiCreatedResponse({ type: IncidentView })
  @ApiOkResponse({ type: IncidentView, description: 'the same key was sent before: the first result' })
  @ApiProblems({
    400: 'A field is missing or wrong (VALIDATION_FAILED, INCIDENT_OCCURRED_IN_FUTURE, INCIDENT_DEPARTMENT_UNKNOWN, IDEMPOTENCY_KEY_INVALID)',
    422: 'The Idempotency-Key was used for another report (IDEMPOTENCY_KEY_REUSED)',
  })
  async report(
    @CurrentActor() actor: Actor,
    @Body() dto: ReportIncidentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentView> {
    const outcome = await this.incidents.report(actor, dto, idempotencyKey);
    if (!outcome.created) {
      response.status(200);
      response.setHeader('Idempotent-Replayed', 'true');
    }
    response.setHeader('Location', `/api/v1/incidents/${outcome.incident.id}`);
    return incidentView(outcome.incident, may(actor, INCIDENTS.read_all));
  }

  @Get()
  @May(INCIDENTS.read)
  @ApiOperation({ summary: 'Incidents in your scope (yours; a manager: the department’s; CSIRT and above: all), sorted by urgency' })
  @ApiOkResponse({ type: PageOf(IncidentView) })
  @ApiProblems({ 400: 'A filter is wrong (VALIDATION_FAILED)' })
  async list(@CurrentActor() actor: Actor, @Query() query: IncidentQuery): Promise<Page<IncidentView>> {
    const page = await this.incidents.list(actor, query);
    const contact = may(actor, INCIDENTS.read_all);
    return { ...page, items: page.items.map((incident) => incidentView(incident, contact)) };
  }

  @Get(':id')
  @May(INCIDENTS.read)
  @ApiOperation({ summary: 'One incident (404 when it is not yours to see)' })
  @ApiOkResponse({ type: IncidentView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such incident in your scope (INCIDENT_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<IncidentView> {
    const incident = await this.incidents.get(actor, id);
    if (!may(actor, INCIDENTS.read_all)) return incidentView(incident, false);
    const externalReports = (await this.externalReports.forIncident(actor, id)).map((report) => externalReportView(report));
    return { ...incidentView(incident, true), externalReports };
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @May(INCIDENTS.respond)
  @ApiOperation({ summary: 'Move the incident to another state with a reason (triage carries the assessment); 409 names the allowed states' })
  @ApiOkResponse({ type: IncidentView })
  @ApiProblems({
    400: 'A field is missing or wrong (VALIDATION_FAILED, INCIDENT_TRIAGE_INCOMPLETE, INCIDENT_DUPLICATE_OF_REQUIRED, INCIDENT_DUPLICATE_OF_INVALID, INCIDENT_ASSIGNEE_UNKNOWN)',
    404: 'No such incident (INCIDENT_NOT_FOUND)',
    409: 'Not allowed from the current state (INCIDENT_TRANSITION_NOT_ALLOWED, with allowedTransitions), an L2/L3 without its review (INCIDENT_REVIEW_REQUIRED), changed meanwhile (INCIDENT_VERSION_CONFLICT)',
  })
  async transition(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: TransitionDto): Promise<IncidentView> {
    return incidentView(await this.incidents.transition(actor, id, dto), true);
  }

  @Patch(':id/assessment')
  @May(INCIDENTS.respond)
  @ApiOperation({
    summary: 'Change the assessment without changing state (severity, category, personal data, systems, assignee); a raised severity escalates anew',
  })
  @ApiOkResponse({ type: IncidentView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, INCIDENT_ASSIGNEE_UNKNOWN)',
    404: 'No such incident (INCIDENT_NOT_FOUND)',
    409: 'Closed or rejected (INCIDENT_CLOSED), changed meanwhile (INCIDENT_VERSION_CONFLICT)',
  })
  async assess(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: AssessmentDto): Promise<IncidentView> {
    return incidentView(await this.incidents.assess(actor, id, dto), true);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @May(INCIDENTS.acknowledge)
  @ApiOperation({ summary: 'Acknowledge the incident: its escalation stops at once' })
  @ApiOkResponse({ type: IncidentView })
  @ApiProblems({
    404: 'No such incident in your scope (INCIDENT_NOT_FOUND)',
    409: 'Nothing is waiting for an acknowledgement (INCIDENT_NOTHING_TO_ACKNOWLEDGE)',
  })
  async acknowledge(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: AcknowledgeDto): Promise<IncidentView> {
    return incidentView(await this.incidents.acknowledge(actor, id, dto.note), may(actor, INCIDENTS.read_all));
  }

  @Get(':id/timeline')
  @May(INCIDENTS.read)
  @ApiOperation({ summary: 'The timeline, oldest first (append-only)' })
  @ApiOkResponse({ type: ListOf(TimelineEntryView) })
  @ApiProblems({ 404: 'No such incident in your scope (INCIDENT_NOT_FOUND)' })
  async timeline(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<List<TimelineEntryView>> {
    const entries = await this.incidents.timeline(actor, id);
    return {
      items: entries.map((entry) => ({
        id: entry.id,
        at: entry.at.toISOString(),
        kind: entry.kind,
        actorId: entry.actorId,
        actorLabel: entry.actorLabel,
        fromStatus: entry.fromStatus,
        toStatus: entry.toStatus,
        text: entry.text,
        data: entry.data,
      })),
      total: entries.length,
    };
  }

  @Post(':id/timeline')
  @May(INCIDENTS.write_timeline)
  @ApiOperation({
    summary:
      'Write a note, an action taken or a contact made on the timeline. With an Idempotency-Key, a retried request writes nothing and answers with the first entry',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'any unique string per entry (e.g. a UUID); 1–200 visible ASCII characters' })
  @ApiCreatedResponse({ type: TimelineEntryView })
  @ApiProblems({ 400: 'A field is wrong (VALIDATION_FAILED, IDEMPOTENCY_KEY_INVALID)', 404: 'No such incident (INCIDENT_NOT_FOUND)' })
  async addTimelineEntry(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: TimelineNoteDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<TimelineEntryView> {
    const entry = await this.incidents.addTimelineEntry(actor, id, dto, idempotencyKey);
    return {
      id: entry.id,
      at: entry.at.toISOString(),
      kind: entry.kind,
      actorId: entry.actorId,
      actorLabel: entry.actorLabel,
      fromStatus: entry.fromStatus,
      toStatus: entry.toStatus,
      text: entry.text,
      data: entry.data,
    };
  }
}
