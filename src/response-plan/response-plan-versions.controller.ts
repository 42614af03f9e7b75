import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { intParam } from '../common/int-param.js';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import {
  DrillProposalDto,
  DrillProposalView,
  PlanApprovalView,
  PlanDraftDto,
  PlanVersionDetailView,
  PlanVersionSummaryView,
  ResponsePlanView,
  ScenarioDraftDto,
} from './dto/plan-version.dto.js';
import { RESPONSE_PLAN } from './response-plan.permissions.js';
import {
  ResponsePlanVersionsService,
  type PlanVersionDetail,
  type PlanVersionSummary,
  type ProposalRecord,
  type ResponsePlanState,
} from './response-plan-versions.service.js';

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

export function planVersionSummaryView(v: PlanVersionSummary): PlanVersionSummaryView {
  return {
    version: v.version,
    status: v.status,
    changeNote: v.changeNote,
    draftedBy: v.draftedBy,
    approvedBy: v.approvedBy,
    approvedAt: iso(v.approvedAt),
    nextReviewDue: v.nextReviewDue,
    supersededAt: iso(v.supersededAt),
    createdAt: v.createdAt.toISOString(),
  };
}

export function planVersionDetailView(v: PlanVersionDetail): PlanVersionDetailView {
  return {
    ...planVersionSummaryView(v),
    body: v.body,
    frontMatter: v.frontMatter,
    scenarioRevisions: v.scenarioRevisions,
    diffAgainst: v.diffAgainst,
    diff: v.diff,
    scenarioChanges: v.scenarioChanges,
  };
}

function responsePlanView(state: ResponsePlanState): ResponsePlanView {
  return {
    inForce: state.inForce ? { ...state.inForce, approvedAt: state.inForce.approvedAt.toISOString() } : null,
    draftWaiting: state.draftWaiting,
    draftVersion: state.draftVersion,
  };
}

function proposalView({ proposal, proposedBy }: ProposalRecord): DrillProposalView {
  return {
    id: proposal.id,
    drillId: proposal.drillId,
    scenarioId: proposal.scenarioId,
    position: proposal.position,
    targetMinutes: proposal.targetMinutes,
    action: proposal.action,
    reason: proposal.reason,
    proposedBy,
    planVersion: proposal.planVersion,
    scenarioRevision: proposal.scenarioRevision,
    createdAt: proposal.createdAt.toISOString(),
  };
}

const VERSION_NOT_FOUND = 'No such version, or a draft the caller may not see (RESPONSE_PLAN_VERSION_NOT_FOUND)';

/** The plan as records: the version in force, the versions, the text edited in the app, the CISO's approval. */
@ApiTags('response plan')
@Controller('api/v1/response-plan')
export class ResponsePlanVersionsController {
  constructor(private readonly versions: ResponsePlanVersionsService) {}

  @Get()
  @May(RESPONSE_PLAN.read)
  @ApiOperation({
    summary:
      'The plan in force: the latest approved version (number, approval, next review due, reviewed within its interval) with its text, and whether a draft awaits approval',
  })
  @ApiOkResponse({ type: ResponsePlanView })
  async current(@CurrentActor() actor: Actor): Promise<ResponsePlanView> {
    return responsePlanView(await this.versions.current(actor));
  }

  @Get('versions')
  @May(RESPONSE_PLAN.read)
  @ApiOperation({ summary: 'The plan’s versions, newest first (drafts only for the security office and the CISO)' })
  @ApiOkResponse({ type: ListOf(PlanVersionSummaryView) })
  async list(@CurrentActor() actor: Actor): Promise<List<PlanVersionSummaryView>> {
    const list = await this.versions.list(actor);
    return { ...list, items: list.items.map(planVersionSummaryView) };
  }

  @Get('versions/:v')
  @May(RESPONSE_PLAN.read)
  @ApiOperation({ summary: 'One version: its text, the diff against the approved version before it, and the changed steps of each scenario (old and new)' })
  @ApiOkResponse({ type: PlanVersionDetailView })
  @ApiProblems({ 400: 'v is not a number (VALIDATION_FAILED)', 404: VERSION_NOT_FOUND })
  async get(@CurrentActor() actor: Actor, @Param('v', intParam('v', 100000)) v: number): Promise<PlanVersionDetailView> {
    return planVersionDetailView(await this.versions.get(actor, v));
  }

  @Put('draft')
  @May(RESPONSE_PLAN.edit_plan)
  @ApiOperation({ summary: 'The plan’s text edited in the app (the security office): into the draft version, opened if none' })
  @ApiOkResponse({ type: PlanVersionDetailView })
  @ApiProblems({ 400: 'A field is wrong (VALIDATION_FAILED)', 409: 'The text is the same as the draft or the version in force (RESPONSE_PLAN_TEXT_UNCHANGED)' })
  async editDraft(@CurrentActor() actor: Actor, @Body() dto: PlanDraftDto): Promise<PlanVersionDetailView> {
    return planVersionDetailView(await this.versions.editPlan(actor, dto));
  }

  @Post('versions/:v/approve')
  @HttpCode(200)
  @May(RESPONSE_PLAN.approve_plan)
  @ApiOperation({
    summary:
      'The CISO approves the draft (a session with the second factor; not a draft they opened): the version before is superseded, the draft’s scenario revisions come into force, the next review is due one interval on',
  })
  @ApiOkResponse({ type: PlanApprovalView })
  @ApiProblems({
    400: 'v is not a number (VALIDATION_FAILED)',
    403: 'The session has no second factor (PLAN_APPROVAL_REQUIRES_SECOND_FACTOR), or the CISO opened or wrote into the draft (RESPONSE_PLAN_OWN_DRAFT)',
    404: VERSION_NOT_FOUND,
    409: 'The version is not the draft (RESPONSE_PLAN_VERSION_NOT_DRAFT)',
  })
  async approve(@CurrentActor() actor: Actor, @Param('v', intParam('v', 100000)) v: number): Promise<PlanApprovalView> {
    const approval = await this.versions.approve(actor, v);
    return { ...approval, version: planVersionSummaryView(approval.version) };
  }
}

/** A scenario's playbook edited in the app. */
@ApiTags('response plan')
@Controller('api/v1/scenarios')
export class ScenarioDraftsController {
  constructor(private readonly versions: ResponsePlanVersionsService) {}

  @Put(':id/draft')
  @May(RESPONSE_PLAN.edit_plan)
  @ApiOperation({
    summary:
      'A scenario’s playbook edited in the app (the security office), checked like the files (phases never go back, targets never decrease, every phase has a step, roles known): a new draft revision in the plan’s draft',
  })
  @ApiOkResponse({ type: PlanVersionDetailView })
  @ApiProblems({
    400: 'A step is wrong, named as steps.N.field (VALIDATION_FAILED)',
    404: 'No such scenario in force (SCENARIO_NOT_FOUND)',
    409: 'The playbook is the same as its newest revision (RESPONSE_PLAN_TEXT_UNCHANGED)',
  })
  async editDraft(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: ScenarioDraftDto): Promise<PlanVersionDetailView> {
    return planVersionDetailView(await this.versions.editScenario(actor, id, dto));
  }
}

/** Proposals from a drill to change its scenario's playbook. */
@ApiTags('response plan')
@Controller('api/v1/drills')
export class DrillProposalsController {
  constructor(private readonly versions: ResponsePlanVersionsService) {}

  @Post(':id/proposals')
  @May(RESPONSE_PLAN.propose_change)
  @ApiOperation({
    summary:
      'A proposal from the drill (its facilitator or the security office) to change one step of its scenario (target, wording): at once a draft revision in the plan’s draft',
  })
  @ApiCreatedResponse({ type: DrillProposalView })
  @ApiProblems({
    400: 'A field is wrong, or the new target breaks the order (VALIDATION_FAILED); no step there (DRILL_PROPOSAL_STEP_NOT_FOUND)',
    403: 'Neither the drill’s facilitator nor the security office',
    404: 'No such drill, or not one you may see (DRILL_NOT_FOUND)',
    409: 'The drill has not run (scheduled or cancelled): proposals come from a drill that runs or was held (DRILL_NOT_RUNNING, drillStatus)',
  })
  async propose(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: DrillProposalDto): Promise<DrillProposalView> {
    return proposalView(await this.versions.propose(actor, id, dto));
  }

  @Get(':id/proposals')
  @May(RESPONSE_PLAN.read_drill)
  @ApiOperation({ summary: 'The proposals made from the drill, oldest first' })
  @ApiOkResponse({ type: ListOf(DrillProposalView) })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such drill, or not one you may see (DRILL_NOT_FOUND)' })
  async proposals(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<List<DrillProposalView>> {
    const list = await this.versions.proposals(actor, id);
    return { ...list, items: list.items.map(proposalView) };
  }
}
