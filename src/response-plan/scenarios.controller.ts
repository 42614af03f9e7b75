import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { responseContactView, ResponseContactView, scenarioView, ScenarioView } from './dto/scenario-view.dto.js';
import { RESPONSE_PLAN } from './response-plan.permissions.js';
import { ScenariosService } from './scenarios.service.js';

/** The emergency response plan's scenarios with their playbooks (every member of staff reads them). */
@ApiTags('response plan')
@Controller('api/v1/scenarios')
export class ScenariosController {
  constructor(private readonly scenarios: ScenariosService) {}

  @Get()
  @May(RESPONSE_PLAN.read)
  @ApiOperation({ summary: 'The scenarios in force, each with the steps of its playbook (phase, action, role, target minutes, what to report to whom)' })
  @ApiOkResponse({ type: ListOf(ScenarioView) })
  async list(@CurrentActor() actor: Actor): Promise<List<ScenarioView>> {
    const list = await this.scenarios.list(actor);
    return { ...list, items: list.items.map(scenarioView) };
  }

  @Get(':id')
  @May(RESPONSE_PLAN.read)
  @ApiOperation({ summary: 'One scenario with its playbook in force' })
  @ApiOkResponse({ type: ScenarioView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such scenario (SCENARIO_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<ScenarioView> {
    return scenarioView(await this.scenarios.get(actor, id));
  }
}

/** The plan's outside contacts (緊急連絡網: the prefecture, police, the Commission, vendors). */
@ApiTags('response plan')
@Controller('api/v1/response-plan')
export class ResponsePlanController {
  constructor(private readonly scenarios: ScenariosService) {}

  @Get('contacts')
  @May(RESPONSE_PLAN.read_contacts)
  @ApiOperation({ summary: 'The outside contacts in the plan’s order; out-of-hours numbers only for the CISO, the security office and the CSIRT' })
  @ApiOkResponse({ type: ListOf(ResponseContactView) })
  async contacts(@CurrentActor() actor: Actor): Promise<List<ResponseContactView>> {
    const list = await this.scenarios.contacts(actor);
    return { ...list, items: list.items.map(responseContactView) };
  }
}
