import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import { FormErrorFilter, formErrorsOf, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { TrainingCompletionPagesService } from './training-completion-pages.service.js';

/** A refused filter (a day that is not one, a year out of range) shows the board again: the summary, the message beside the field, no figures. */
@Injectable()
@Catch()
export class CompletionFilterErrorFilter extends FormErrorFilter {
  constructor(private readonly pages: TrainingCompletionPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const formErrors = formErrorsOf('completionFilter', error, req.query);
    return {
      view: 'training-completion',
      data: { ...(await this.pages.board(actor, req.query as Record<string, unknown>, localeOf(req), formErrors)), formErrors },
    };
  }
}

/** The same for the not-completed list. */
@Injectable()
@Catch()
export class NotCompletedFilterErrorFilter extends FormErrorFilter {
  constructor(private readonly pages: TrainingCompletionPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const formErrors = formErrorsOf('completionFilter', error, req.query);
    return {
      view: 'training-not-completed',
      data: { ...(await this.pages.notCompleted(actor, req.query as Record<string, unknown>, localeOf(req), formErrors)), formErrors },
    };
  }
}
