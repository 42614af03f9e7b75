import { Controller, Get, Param, Query, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { uuidParam } from '../../staff/uuid-param.js';
import { localeOf } from '../locale.js';
import { WebPageQuery } from '../web-query.dto.js';
import { ResponsePlanPagesService } from './response-plan-pages.service.js';

/** 緊急時対応計画: the plan for all staff, a scenario's playbook, and the printable contact sheet (緊急連絡網). */
@ApiExcludeController()
@Controller('response-plan')
export class ResponsePlanPagesController {
  constructor(private readonly pages: ResponsePlanPagesService) {}

  // the fixed routes first
  /** 緊急連絡網: one printable page of the outside contacts and the town's responders. */
  @Get('contacts')
  @May(RESPONSE_PLAN.read_contacts)
  @Render('response-plan-contacts')
  contacts(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.contacts(actor);
  }

  @Get('scenarios/:id')
  @May(RESPONSE_PLAN.read)
  @Render('response-plan-scenario')
  scenario(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.scenario(actor, id, localeOf(req));
  }

  @Get()
  @May(RESPONSE_PLAN.read)
  @Render('response-plan')
  plan(@CurrentActor() actor: Actor, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.plan(actor, localeOf(req));
  }
}
