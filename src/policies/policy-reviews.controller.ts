import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { POLICIES } from './policies.permissions.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { ApprovePolicyVersionDto, CreatePolicyReviewDto, CreatePolicyVersionDto } from './dto/policy-review.dto.js';
import { ApprovalResultView, PolicyReviewResultView, PolicyReviewView, PolicyVersionDetailView, PolicyVersionSummaryView } from './dto/policy-view.dto.js';
import { PolicyReviewsService } from './policy-reviews.service.js';
import { PolicyRevisionsService } from './policy-revisions.service.js';
import { PolicyVersionsService } from './policy-versions.service.js';

@ApiTags('policies')
@Controller('api/v1/policies/:id')
export class PolicyReviewsController {
  constructor(
    private readonly reviews: PolicyReviewsService,
    private readonly versions: PolicyVersionsService,
    private readonly revisions: PolicyRevisionsService,
  ) {}

  @Get('versions')
  @May(POLICIES.read)
  @ApiOperation({ summary: "A policy's versions, newest first (drafts only for security_officer, ciso, admin, auditor)" })
  @ApiOkResponse({ type: ListOf(PolicyVersionSummaryView) })
  @ApiProblems({ 404: 'No such policy (POLICY_NOT_FOUND)' })
  listVersions(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<List<PolicyVersionSummaryView>> {
    return this.versions.list(actor, id);
  }

  @Post('versions')
  @May(POLICIES.revise)
  @ApiOperation({
    summary: 'Revise the text in the app: a new draft from the edited Markdown (Japanese `body`, English `bodyEn`), for the CISO to approve',
    description:
      'The draft keeps the front matter of the version it revises and gets the diff against the version in force. While a draft awaits approval, ' +
      'a new one replaces it only when `replacesDraft` names it (the replaced draft is superseded); otherwise 409 POLICY_DRAFT_OPEN with `openDraft`.',
  })
  @ApiCreatedResponse({ type: PolicyVersionDetailView })
  @ApiProblems({
    400: 'Invalid fields, named in `errors`: empty or too long `body` (at most 100000 characters), a `## English` heading in `body`, empty `changeNote` (VALIDATION_FAILED)',
    404: 'No such policy (POLICY_NOT_FOUND)',
    409:
      'A draft is open and `replacesDraft` does not name it (POLICY_DRAFT_OPEN with `openDraft`), `replacesDraft` names no open draft (POLICY_DRAFT_NOT_OPEN), ' +
      'or the text is the same as the version in force or the open draft (POLICY_TEXT_UNCHANGED, field `body`)',
  })
  createVersion(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreatePolicyVersionDto): Promise<PolicyVersionDetailView> {
    return this.revisions.revise(actor, id, dto);
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
    403: 'The caller drafted this version in the application: another person approves it (POLICY_OWN_DRAFT)',
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

  @Post('reviews')
  @May(POLICIES.review)
  @ApiOperation({
    summary: 'Record a review: no_change (next review one interval on) or revise (a revision is requested)',
    description:
      'A review with outcome `revise` may carry the revised text (`body`, `bodyEn?`, `changeNote`, `replacesDraft?`, as `POST …/versions` takes them; ' +
      'security office only): the draft is made in the same transaction and returned as `draft`.',
  })
  @ApiCreatedResponse({ type: PolicyReviewResultView })
  @ApiProblems({
    400: 'Invalid fields, named in `errors`; a text with outcome no_change, or without `body` or `changeNote` (VALIDATION_FAILED)',
    403: 'A text sent by someone who may not revise (the CISO reviews, the security office writes the text) (FORBIDDEN)',
    404: 'No such policy (POLICY_NOT_FOUND)',
    409: 'With a text: as `POST …/versions` (POLICY_DRAFT_OPEN, POLICY_DRAFT_NOT_OPEN, POLICY_TEXT_UNCHANGED); nothing is recorded',
  })
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
