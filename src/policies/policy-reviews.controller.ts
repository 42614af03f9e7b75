import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { POLICIES } from './policies.permissions.js';
import type { Actor } from '../common/actor.js';
import { AcknowledgementsService, type AcknowledgementSummary } from './acknowledgements.service.js';
import { AcknowledgementSummaryQuery, ApprovePolicyVersionDto, CreatePolicyReviewDto } from './dto/policy-review.dto.js';
import type { PolicyReview } from './policy-review.entity.js';
import { PolicyReviewsService, type PolicyReviewResult } from './policy-reviews.service.js';
import { PolicyVersionsService, type ApprovalResult, type PolicyVersionDetail, type PolicyVersionSummary } from './policy-versions.service.js';

@ApiTags('policies')
@Controller('api/v1/policies/:id')
export class PolicyReviewsController {
  constructor(
    private readonly reviews: PolicyReviewsService,
    private readonly versions: PolicyVersionsService,
    private readonly acknowledgements: AcknowledgementsService,
  ) {}

  @Get('versions')
  @May(POLICIES.read)
  @ApiOperation({ summary: "A policy's versions, newest first (drafts only for security_officer, ciso, admin, auditor)" })
  listVersions(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: PolicyVersionSummary[]; total: number }> {
    return this.versions.list(actor, id);
  }

  @Get('versions/:v')
  @May(POLICIES.read)
  @ApiOperation({ summary: 'One version with its text and diff (a draft only for security_officer, ciso, admin, auditor)' })
  getVersion(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('v', ParseIntPipe) v: number): Promise<PolicyVersionDetail> {
    return this.versions.get(actor, id, v);
  }

  @Post('versions/:v/approve')
  @HttpCode(200)
  @May(POLICIES.approve)
  @ApiOperation({ summary: 'Approve the latest draft (second factor required); optionally ask all active staff to acknowledge it' })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('v', ParseIntPipe) v: number,
    @Body() dto: ApprovePolicyVersionDto,
  ): Promise<ApprovalResult> {
    return this.versions.approve(actor, id, v, dto);
  }

  @Get('versions/:v/acknowledgements')
  @May(POLICIES.read_acknowledgements)
  @ApiOperation({ summary: 'How many have acknowledged a version (a manager: their department); ?items=true lists each person' })
  acknowledgementSummary(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('v', ParseIntPipe) v: number,
    @Query() query: AcknowledgementSummaryQuery,
  ): Promise<AcknowledgementSummary> {
    return this.acknowledgements.summary(actor, id, v, query.items === 'true');
  }

  @Post('reviews')
  @May(POLICIES.review)
  @ApiOperation({ summary: 'Record a review: no_change (next review one interval on) or revise (a revision is requested)' })
  createReview(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreatePolicyReviewDto): Promise<PolicyReviewResult> {
    return this.reviews.create(actor, id, dto);
  }

  @Get('reviews')
  @May(POLICIES.read_reviews)
  @ApiOperation({ summary: "A policy's reviews, latest first" })
  listReviews(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: PolicyReview[]; total: number }> {
    return this.reviews.list(actor, id);
  }
}
