import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { TRAINING } from '../../training/training.permissions.js';
import { flash } from '../flash.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { MyEnrolmentFormErrorFilter } from './my-enrolment-form.filter.js';
import { MyEnrolmentForm } from './my-training-page.dto.js';
import { MyTrainingPagesService } from './my-training-pages.service.js';

/** わたしの研修: what I owe and what I have done; a course's material, quiz and acknowledgement; the certificate (受講証明). */
@ApiExcludeController()
@Controller('training')
export class MyTrainingPagesController {
  constructor(private readonly pages: MyTrainingPagesService) {}

  @Get()
  @May(TRAINING.take)
  @Render('my-training')
  list(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.list(actor);
  }

  @Get('enrolments/:id')
  @May(TRAINING.take)
  @Render('my-enrolment')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.enrolment(actor, id, localeOf(req));
  }

  /** The one submit: the quiz (when not passed yet), then the acknowledgement that completes the course. */
  @Post('enrolments/:id')
  @May(TRAINING.take)
  @UseFilters(MyEnrolmentFormErrorFilter)
  async submit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: MyEnrolmentForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.pages.submit(actor, id, form, localeOf(req));
    if ('refused' in outcome) return res.status(409).render('my-enrolment', outcome.refused);
    if (outcome.now) flash(res, outcome.completed.late ? 'notice.myTrainingCompletedLate' : 'notice.myTrainingCompleted');
    res.redirect(303, `/training/enrolments/${id}`);
  }

  @Get('enrolments/:id/certificate')
  @May(TRAINING.take)
  @Render('my-certificate')
  certificate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.certificate(actor, id);
  }
}
