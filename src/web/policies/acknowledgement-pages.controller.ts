import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import type { Actor } from '../../common/actor.js';
import { AcknowledgementsService } from '../../policies/acknowledgements.service.js';
import { PolicyVersionsService } from '../../policies/policy-versions.service.js';
import { localeOf } from '../locale.js';
import { policyTextFor } from './policy-text.js';
import { WebPageQuery } from '../web-query.dto.js';

/** ポリシーの確認: the text of the approved version, and "I have read it and will comply". */
@ApiExcludeController()
@Controller('acknowledgements')
export class AcknowledgementPagesController {
  constructor(
    private readonly acknowledgements: AcknowledgementsService,
    private readonly versions: PolicyVersionsService,
  ) {}

  @Get(':id')
  @May(POLICIES.read)
  @Render('acknowledgement')
  async show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Query() _query: WebPageQuery): Promise<object> {
    // only the person's own duties are there for them
    const duty = await this.acknowledgements.myDuty(actor, id);
    const version = await this.versions.get(actor, duty.policyId, duty.version);
    return {
      title: 'acknowledgement.title',
      titleDetail: { ja: duty.policyTitle, en: duty.policyTitleEn ?? duty.policyTitle },
      duty,
      text: policyTextFor(version.body, localeOf(req)),
      action: `/acknowledgements/${duty.id}`,
    };
  }

  @Post(':id')
  @May(POLICIES.acknowledge)
  @Redirect('/?notice=acknowledged', 303)
  async acknowledge(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.acknowledgements.acknowledge(actor, id);
  }
}
