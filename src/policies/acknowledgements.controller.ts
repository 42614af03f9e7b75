import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { POLICIES } from './policies.permissions.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { MyAcknowledgementView } from './dto/policy-view.dto.js';

@ApiTags('acknowledgements')
@Controller('api/v1/acknowledgements')
export class AcknowledgementsController {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  @Get('me')
  @May(POLICIES.read)
  @ApiOperation({ summary: "The caller's policy acknowledgement duties, open ones first" })
  @ApiOkResponse({ type: ListOf(MyAcknowledgementView) })
  mine(@CurrentActor() actor: Actor): Promise<List<MyAcknowledgementView>> {
    return this.acknowledgements.mine(actor);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @May(POLICIES.acknowledge)
  @ApiOperation({ summary: 'Acknowledge one of your own duties (409 ALREADY_ACKNOWLEDGED when done before)' })
  @ApiOkResponse({ type: MyAcknowledgementView })
  @ApiProblems({
    404: 'No such duty of yours (ACKNOWLEDGEMENT_DUTY_NOT_FOUND)',
    409: 'Acknowledged before (ALREADY_ACKNOWLEDGED, with `acknowledgedAt`)',
  })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MyAcknowledgementView> {
    return this.acknowledgements.acknowledge(actor, id);
  }
}
