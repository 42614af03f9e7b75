import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { EscalationPolicyFormErrorFilter } from './escalation-policy-form.filter.js';
import { EscalationPolicyForm } from './escalation-policy-page.dto.js';
import { EscalationPolicyPagesService, policyPath } from './escalation-policy-pages.service.js';

/**
 * エスカレーション方針: the list and a policy for the responders and the CISO; the form (levels as
 * rows of fields) for the security office. `new` is declared before `:id`.
 */
@ApiExcludeController()
@Controller('escalation-policies')
export class EscalationPolicyPagesController {
  constructor(private readonly pages: EscalationPolicyPagesService) {}

  @Get()
  @May(INCIDENTS.read_escalation_policies)
  @Render('escalation-policies')
  list(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.list(actor);
  }

  @Get('new')
  @May(INCIDENTS.manage_escalation_policies)
  @Render('escalation-policy-form')
  newPolicy(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.newForm(actor);
  }

  @Post('new')
  @May(INCIDENTS.manage_escalation_policies)
  @UseFilters(EscalationPolicyFormErrorFilter)
  async create(@CurrentActor() actor: Actor, @Body() form: EscalationPolicyForm, @Res() res: Response): Promise<void> {
    const policy = await this.pages.create(actor, form);
    flash(res, 'notice.escalationPolicyCreated');
    res.redirect(303, policyPath(policy.id));
  }

  @Get(':id')
  @May(INCIDENTS.read_escalation_policies)
  @Render('escalation-policy')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.policy(actor, id);
  }

  @Get(':id/edit')
  @May(INCIDENTS.manage_escalation_policies)
  @Render('escalation-policy-form')
  edit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.editForm(actor, id);
  }

  @Post(':id/edit')
  @May(INCIDENTS.manage_escalation_policies)
  @UseFilters(EscalationPolicyFormErrorFilter)
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: EscalationPolicyForm, @Res() res: Response): Promise<void> {
    await this.pages.update(actor, id, form);
    flash(res, 'notice.escalationPolicyUpdated');
    res.redirect(303, policyPath(id));
  }
}
