import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { POLICIES } from './policies.permissions.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { AcknowledgementSummaryQuery, ApprovePolicyVersionDto, CreatePolicyReviewDto } from './dto/policy-review.dto.js';
import {
  AcknowledgementSummaryView,
  ApprovalResultView,
  PolicyReviewResultView,
  PolicyReviewView,
  PolicyVersionDetailView,
  PolicyVersionSummaryView,
} from './dto/policy-view.dto.js';
import { PolicyReviewsService } from './policy-reviews.service.js';
import { PolicyVersionsService } from './policy-versions.service.js';

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
  @ApiOkResponse({ type: ListOf(PolicyVersionSummaryView) })
  @ApiProblems({ 404: 'No such policy (POLICY_NOT_FOUND)' })
  listVersions(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<List<PolicyVersionSummaryView>> {
    return this.versions.list(actor, id);
  }

  @Get('versions/:v')
  @May(POLICIES.read)
  @ApiOperation({ summary: 'One version with its text and diff (a draft only for security_officer, ciso, admin, auditor)' })
  @ApiOkResponse({ type: PolicyVersionDetailView })
  @ApiProblems({ 404: 'No such policy or version, or a draft the caller may not see (POLICY_NOT_FOUND, POLICY_VERSION_NOT_FOUND)' })
  getVersion(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('v', ParseIntPipe) v: number): Promise<PolicyVersionDetailView> {
    return this.versions.get(actor, id, v);
  }

  @Post('versions/:v/approve')
  @HttpCode(200)
  @May(POLICIES.approve)
  @ApiOperation({ summary: 'Approve the latest draft (second factor required); optionally ask all active staff to acknowledge it' })
  @ApiOkResponse({ type: ApprovalResultView })
  @ApiProblems({
    404: 'No such policy or version (POLICY_NOT_FOUND, POLICY_VERSION_NOT_FOUND)',
    409: 'Not a draft, or not the latest one (POLICY_VERSION_NOT_DRAFT with `versionStatus`, POLICY_VERSION_NOT_LATEST with `latestVersion`)',
  })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('v', ParseIntPipe) v: number,
    @Body() dto: ApprovePolicyVersionDto,
  ): Promise<ApprovalResultView> {
    return this.versions.approve(actor, id, v, dto);
  }

  @Get('versions/:v/acknowledgements')
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

  @Post('reviews')
  @May(POLICIES.review)
  @ApiOperation({ summary: 'Record a review: no_change (next review one interval on) or revise (a revision is requested)' })
  @ApiCreatedResponse({ type: PolicyReviewResultView })
  @ApiProblems({ 404: 'No such policy (POLICY_NOT_FOUND)' })
  createReview(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreatePolicyReviewDto): Promise<PolicyReviewResultView> {
    return this.reviews.create(actor, id, dto);
  }

  @Get('reviews')
  @May(POLICIES.read_reviews)
  @ApiOperation({ summary: "A policy's reviews, latest first" })
  @ApiOkResponse({ type: ListOf(PolicyReviewView) })
  @ApiProblems({ 404: 'No such policy (POLICY_NOT_FOUND)' })
  listReviews(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<List<PolicyReviewView>> {
    return this.reviews.list(actor, id);
  }
}
