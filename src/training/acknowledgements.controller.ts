import { Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { POLICIES } from '../policies/policies.permissions.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { AcknowledgementSummaryQuery, AcknowledgementSummaryView, MyAcknowledgementView } from './dto/acknowledgement.dto.js';

@ApiTags('acknowledgements')
@Controller('api/v1/acknowledgements')
export class AcknowledgementsController {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  @Get('me')
  @May(POLICIES.read)
  @ApiOperation({ summary: "The caller's policy acknowledgement duties (enrolments in the versions' acknowledgement courses), open ones first" })
  @ApiOkResponse({ type: ListOf(MyAcknowledgementView) })
  mine(@CurrentActor() actor: Actor): Promise<List<MyAcknowledgementView>> {
    return this.acknowledgements.mine(actor);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @May(POLICIES.acknowledge)
  @ApiOperation({ summary: 'Acknowledge one of your own duties: completes the enrolment (409 ALREADY_ACKNOWLEDGED when done before)' })
  @ApiOkResponse({ type: MyAcknowledgementView })
  @ApiProblems({
    404: 'No such duty of yours (ACKNOWLEDGEMENT_DUTY_NOT_FOUND)',
    409:
      'Acknowledged before (ALREADY_ACKNOWLEDGED, with `acknowledgedAt`), exempt (ENROLMENT_NOT_OPEN), ' +
      'or a newer version of the policy is in force and this one is no longer asked for (COURSE_NOT_PUBLISHED)',
  })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MyAcknowledgementView> {
    return this.acknowledgements.acknowledge(actor, id);
  }
}

/** How many have acknowledged a policy version: served beside the policy's other routes, read from training. */
@ApiTags('policies')
@Controller('api/v1/policies/:id/versions/:v/acknowledgements')
export class PolicyAcknowledgementsController {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  @Get()
  @May(POLICIES.read_acknowledgements)
  @ApiOperation({ summary: 'How many have acknowledged a version (a manager: their department); ?items=true lists each person' })
  @ApiOkResponse({ type: AcknowledgementSummaryView })
  @ApiProblems({ 404: 'No such policy or version (POLICY_NOT_FOUND, POLICY_VERSION_NOT_FOUND)' })
  acknowledgementSummary(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('v', ParseIntPipe) v: number,
    @Query() query: AcknowledgementSummaryQuery,
  ): Promise<AcknowledgementSummaryView> {
    return this.acknowledgements.summary(actor, id, v, query.items === 'true');
  }
}
