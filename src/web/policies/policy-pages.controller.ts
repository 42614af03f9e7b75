import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import type { Actor } from '../../common/actor.js';
import { may } from '../../common/permissions.js';
import { PolicyReviewsService } from '../../policies/policy-reviews.service.js';
import { PolicyRevisionsService } from '../../policies/policy-revisions.service.js';
import { PolicyVersionsService } from '../../policies/policy-versions.service.js';
import { localeOf } from '../locale.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { PolicyApprovalForm, PolicyReviewForm, PolicyRevisionForm } from './policy-page.dto.js';
import { PolicyPagesService, reviseHref, versionHref, type RevisionFormValues } from './policy-pages.service.js';
import { ReviewFormErrorFilter } from './review-form.filter.js';
import { RevisionFormErrorFilter } from './revision-form.filter.js';

/** ポリシー: the approved texts; for reviewers their versions, diffs, reviews and the CISO's approval. */
@ApiExcludeController()
@Controller('policies')
export class PolicyPagesController {
  constructor(
    private readonly pages: PolicyPagesService,
    private readonly reviews: PolicyReviewsService,
    private readonly versions: PolicyVersionsService,
    private readonly revisions: PolicyRevisionsService,
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

  /** 改定: the text in force (or the open draft) to edit, in Japanese and English, with a change note. */
  @Get(':key/revise')
  @May(POLICIES.revise)
  @Render('policy-revise')
  revising(@CurrentActor() actor: Actor, @Param('key') key: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.revising(actor, key);
  }

  /** プレビュー shows the page again with the rendered texts and the diff; 下書きとして保存 makes the draft and leads to it. */
  @Post(':key/revise')
  @May(POLICIES.revise)
  @UseFilters(RevisionFormErrorFilter)
  async revise(@CurrentActor() actor: Actor, @Param('key') key: string, @Body() form: PolicyRevisionForm, @Res() res: Response): Promise<void> {
    const sent: RevisionFormValues = {
      body: form.body,
      bodyEn: form.bodyEn ?? '',
      changeNote: form.changeNote ?? '',
      replacesDraft: form.replacesDraft === undefined ? undefined : Number(form.replacesDraft),
    };
    if (form.intent === 'preview') {
      res.render('policy-revise', await this.pages.revising(actor, key, { sent, preview: true }));
      return;
    }
    const policy = await this.pages.byKey(actor, key);
    const draft = await this.revisions.revise(actor, policy.id, sent);
    flash(res, 'notice.draftSaved');
    res.redirect(303, versionHref(key, draft.version));
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
    // a revision asked for: the security office goes on to write it
    if (form.outcome === 'revise' && may(actor, POLICIES.revise)) {
      flash(res, 'notice.reviewRecordedRevise');
      res.redirect(303, reviseHref(key));
      return;
    }
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
