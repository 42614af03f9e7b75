import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { may } from '../common/permissions.js';
import { uuidParam } from '../staff/uuid-param.js';
import { CreateEscalationPolicyDto, escalationPolicyView, EscalationPolicyView, UpdateEscalationPolicyDto } from './escalation-policies.dto.js';
import { EscalationPoliciesService } from './escalation-policies.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** Escalation policies: who is told, in which order, after how long without acknowledgement (the security office edits them). */
@ApiTags('incidents')
@Controller('api/v1/escalation-policies')
export class EscalationPoliciesController {
  constructor(private readonly policies: EscalationPoliciesService) {}

  @Get()
  @May(INCIDENTS.read_escalation_policies)
  @ApiOperation({ summary: 'Every escalation policy, active ones first' })
  @ApiOkResponse({ type: ListOf(EscalationPolicyView) })
  async list(@CurrentActor() actor: Actor): Promise<List<EscalationPolicyView>> {
    const policies = await this.policies.list(actor);
    const manager = may(actor, INCIDENTS.manage_escalation_policies);
    return { items: policies.map((policy) => escalationPolicyView(policy, manager)), total: policies.length };
  }

  @Get(':id')
  @May(INCIDENTS.read_escalation_policies)
  @ApiOperation({ summary: 'One escalation policy' })
  @ApiOkResponse({ type: EscalationPolicyView })
  @ApiProblems({ 404: 'No such policy (ESCALATION_POLICY_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<EscalationPolicyView> {
    return escalationPolicyView(await this.policies.get(actor, id), may(actor, INCIDENTS.manage_escalation_policies));
  }

  @Post()
  @May(INCIDENTS.manage_escalation_policies)
  @ApiOperation({ summary: 'Make an escalation policy (the security office); one active policy per trigger' })
  @ApiCreatedResponse({ type: EscalationPolicyView })
  @ApiProblems({
    400: 'A field is missing or wrong (VALIDATION_FAILED), a level without recipients, a webhook level without an address or a named person who is not active staff (ESCALATION_POLICY_INVALID)',
    409: 'The key is taken (ESCALATION_POLICY_KEY_TAKEN), or a trigger is taken by another active policy (ESCALATION_TRIGGER_TAKEN)',
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateEscalationPolicyDto): Promise<EscalationPolicyView> {
    return escalationPolicyView(await this.policies.create(actor, dto), true);
  }

  @Patch(':id')
  @May(INCIDENTS.manage_escalation_policies)
  @ApiOperation({
    summary: 'Change an escalation policy: a change of its levels, triggers, webhook or activity is a new revision; running climbs keep theirs',
  })
  @ApiOkResponse({ type: EscalationPolicyView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, ESCALATION_POLICY_INVALID)',
    404: 'No such policy (ESCALATION_POLICY_NOT_FOUND)',
    409: 'A trigger is taken by another active policy (ESCALATION_TRIGGER_TAKEN)',
  })
  async update(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateEscalationPolicyDto): Promise<EscalationPolicyView> {
    return escalationPolicyView(await this.policies.update(actor, id, dto), true);
  }
}
