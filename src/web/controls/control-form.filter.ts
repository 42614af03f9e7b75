import { Catch, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import { FormErrorFilter, formErrorOf, type FormPage } from '../forms/form-error.js';
import { ControlPagesService } from './control-pages.service.js';

/** A refused status change or evidence upload shows the control page again with the reason. */
@Injectable()
@Catch()
export class ControlFormErrorFilter extends FormErrorFilter {
  constructor(private readonly pages: ControlPagesService) {
    super();
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const form = req.path.endsWith('/evidence') ? 'evidence' : 'status';
    const formError = formErrorOf(form, error, req.body, { maxBytes: this.pages.maxEvidenceBytes });
    return { view: 'control', data: await this.pages.control(actor, String(req.params.id), { error: formError }) };
  }
}
