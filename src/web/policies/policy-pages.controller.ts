import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import type { Actor } from '../../common/actor.js';
import { PolicyReviewsService } from '../../policies/policy-reviews.service.js';
import { PolicyVersionsService } from '../../policies/policy-versions.service.js';
import { localeOf } from '../locale.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { PolicyApprovalForm, PolicyReviewForm } from './policy-page.dto.js';
import { PolicyPagesService } from './policy-pages.service.js';
import { ReviewFormErrorFilter } from './review-form.filter.js';

/** ポリシー: the approved texts; for reviewers their versions, diffs, reviews and the CISO's approval. */
@ApiExcludeController()
@Controller('policies')
export class PolicyPagesController {
  constructor(
    private readonly pages: PolicyPagesService,
    private readonly reviews: PolicyReviewsService,
    private readonly versions: PolicyVersionsService,
  ) {}

  @Get()
  @May(POLICIES.read)
  @Render('policies')
  list(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.list(actor);
  }

  @Get(':key')
  @May(POLICIES.read)
  @Render('policy')
  show(@CurrentActor() actor: Actor, @Param('key') key: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.policy(actor, key, localeOf(req));
  }

  @Get(':key/versions/:v')
  @May(POLICIES.read_drafts)
  @Render('policy-version')
  version(
    @CurrentActor() actor: Actor,
    @Param('key') key: string,
    @Param('v', ParseIntPipe) v: number,
    @Req() req: Request,
    @Query() _query: WebPageQuery,
  ): Promise<object> {
    return this.pages.version(actor, key, v, localeOf(req));
  }

  @Post(':key/reviews')
  @May(POLICIES.review)
  @UseFilters(ReviewFormErrorFilter)
  async review(@CurrentActor() actor: Actor, @Param('key') key: string, @Body() form: PolicyReviewForm, @Res() res: Response): Promise<void> {
    const policy = await this.pages.byKey(actor, key);
    await this.reviews.create(actor, policy.id, { outcome: form.outcome, notes: form.notes });
    flash(res, 'notice.reviewRecorded');
    res.redirect(303, '/reviews');
  }

  @Post(':key/versions/:v/approve')
  @May(POLICIES.approve)
  @UseFilters(ReviewFormErrorFilter)
  async approve(
    @CurrentActor() actor: Actor,
    @Param('key') key: string,
    @Param('v', ParseIntPipe) v: number,
    @Body() form: PolicyApprovalForm,
    @Res() res: Response,
  ): Promise<void> {
    const policy = await this.pages.byKey(actor, key);
    const requireAcknowledgement = form.requireAcknowledgement === 'on';
    // the due date belongs to the acknowledgements: without the tick it is not sent
    await this.versions.approve(actor, policy.id, v, {
      requireAcknowledgement,
      acknowledgementDueOn: requireAcknowledgement ? form.acknowledgementDueOn : undefined,
    });
    flash(res, 'notice.versionApproved');
    res.redirect(303, '/reviews');
  }
}

/** 見直し: the review queue of the security office. */
@ApiExcludeController()
@Controller('reviews')
export class ReviewPagesController {
  constructor(private readonly pages: PolicyPagesService) {}

  @Get()
  @May(POLICIES.read_drafts)
  @Render('reviews')
  queue(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.reviewQueue(actor);
  }
}
