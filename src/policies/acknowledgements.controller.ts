import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { POLICIES } from './policies.permissions.js';
import type { Actor } from '../common/actor.js';
import { AcknowledgementsService, type MyAcknowledgement } from './acknowledgements.service.js';

@ApiTags('acknowledgements')
@Controller('api/v1/acknowledgements')
export class AcknowledgementsController {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  @Get('me')
  @May(POLICIES.read)
  @ApiOperation({ summary: "The caller's policy acknowledgement duties, open ones first" })
  mine(@CurrentActor() actor: Actor): Promise<{ items: MyAcknowledgement[]; total: number }> {
    return this.acknowledgements.mine(actor);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @May(POLICIES.acknowledge)
  @ApiOperation({ summary: 'Acknowledge one of your own duties (409 ALREADY_ACKNOWLEDGED when done before)' })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MyAcknowledgement> {
    return this.acknowledgements.acknowledge(actor, id);
  }
}
