import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import {
  ActionProgressDto,
  correctiveActionView,
  CorrectiveActionView,
  FindingDetailView,
  findingDetailView,
  FindingQuery,
  FindingView,
  findingView,
  PlanActionDto,
  RaiseFindingDto,
  VerifyActionDto,
} from './dto/finding.dto.js';
import { FindingsService } from './findings.service.js';
import { FINDINGS } from './findings.permissions.js';

/** Findings (指摘事項): the list, one with its corrective actions, raising one by hand, planning an action. */
@ApiTags('findings')
@Controller('api/v1/findings')
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Get()
  @May(FINDINGS.read)
  @ApiOperation({ summary: 'Findings (the security office, the CISO, auditors and the CSIRT: all; a manager: their department’s), newest first' })
  @ApiOkResponse({ type: PageOf(FindingView) })
  @ApiProblems({ 400: 'A filter is wrong (VALIDATION_FAILED)' })
  async list(@CurrentActor() actor: Actor, @Query() query: FindingQuery): Promise<Page<FindingView>> {
    const page = await this.findings.list(actor, query);
    return { ...page, items: page.items.map(findingView) };
  }

  @Get(':id')
  @May(FINDINGS.read)
  @ApiOperation({ summary: 'One finding with its corrective actions (404 outside your scope)' })
  @ApiOkResponse({ type: FindingDetailView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such finding in your scope (FINDING_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<FindingDetailView> {
    const { finding, actions } = await this.findings.get(actor, id);
    return findingDetailView(finding, actions);
  }

  @Post()
  @May(FINDINGS.raise)
  @ApiOperation({ summary: 'Raise a finding by hand (source manual): a reference FND-YYYY-NNNN, a due date by severity when none is given' })
  @ApiCreatedResponse({ type: FindingDetailView })
  @ApiProblems({ 400: 'A field is wrong (VALIDATION_FAILED), or a department, control or assignee is unknown (FINDING_LINK_INVALID)' })
  async create(@CurrentActor() actor: Actor, @Body() dto: RaiseFindingDto): Promise<FindingDetailView> {
    const { finding, actions } = await this.findings.create(actor, dto);
    return findingDetailView(finding, actions);
  }

  @Post(':id/corrective-actions')
  @May(FINDINGS.plan_action)
  @ApiOperation({ summary: 'Plan a corrective action: what, by whom, by when (the security office and auditors any finding, a manager their department’s)' })
  @ApiCreatedResponse({ type: CorrectiveActionView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED), or the assignee is not an active member of staff (FINDING_LINK_INVALID)',
    404: 'No such finding in your scope (FINDING_NOT_FOUND)',
  })
  async planAction(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: PlanActionDto): Promise<CorrectiveActionView> {
    return correctiveActionView(await this.findings.planAction(actor, id, dto));
  }
}

/** Corrective actions (是正措置): reported done by the assignee, verified or reopened by the security office or an auditor. */
@ApiTags('findings')
@Controller('api/v1/corrective-actions')
export class CorrectiveActionsController {
  constructor(private readonly findings: FindingsService) {}

  @Patch(':id')
  @May(FINDINGS.report_progress)
  @ApiOperation({ summary: 'Report the action done `{status: done, note?}` (its assignee, or the manager of the finding’s department); the finding follows' })
  @ApiOkResponse({ type: CorrectiveActionView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED)',
    404: 'No such action in your scope (CORRECTIVE_ACTION_NOT_FOUND)',
    409: 'Already done or verified (CORRECTIVE_ACTION_TRANSITION_NOT_ALLOWED, with allowedTransitions)',
  })
  async reportDone(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: ActionProgressDto): Promise<CorrectiveActionView> {
    return correctiveActionView(await this.findings.reportDone(actor, id, dto));
  }

  @Post(':id/verify')
  @HttpCode(200)
  @May(FINDINGS.verify)
  @ApiOperation({ summary: 'Verify an action done `{verified: true, note}`, or reopen it `{verified: false, note}`; the finding follows' })
  @ApiOkResponse({ type: CorrectiveActionView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED)',
    404: 'No such action (CORRECTIVE_ACTION_NOT_FOUND)',
    409: 'Not done yet, or already verified (CORRECTIVE_ACTION_TRANSITION_NOT_ALLOWED, with allowedTransitions)',
  })
  async verify(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: VerifyActionDto): Promise<CorrectiveActionView> {
    return correctiveActionView(await this.findings.verify(actor, id, dto));
  }
}
