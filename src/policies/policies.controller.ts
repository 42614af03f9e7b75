import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ListOf, type List } from '../common/pagination.js';
import { PolicySummaryView } from './dto/policy-view.dto.js';
import { POLICIES } from './policies.permissions.js';
import { PoliciesService } from './policies.service.js';

@ApiTags('policies')
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @May(POLICIES.read)
  @ApiOperation({ summary: 'List policies with their latest version number and status (drafts only for those who may read drafts)' })
  @ApiOkResponse({ type: ListOf(PolicySummaryView) })
  list(@CurrentActor() actor: Actor): Promise<List<PolicySummaryView>> {
    return this.policies.list(actor);
  }
}
