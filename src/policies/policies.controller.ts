import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { POLICIES } from './policies.permissions.js';
import { PoliciesService, type PolicySummary } from './policies.service.js';

@ApiTags('policies')
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @May(POLICIES.read)
  @ApiOperation({ summary: 'List policies with their latest version number and status' })
  list(@CurrentActor() actor: Actor): Promise<{ items: PolicySummary[]; total: number }> {
    return this.policies.list(actor);
  }
}
