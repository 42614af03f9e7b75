import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import type { Actor } from '../../common/actor.js';
import { tokyoToday } from '../../common/calendar.js';
import { AcknowledgementsService } from '../../training/acknowledgements.service.js';
import { PolicyVersionsService } from '../../policies/policy-versions.service.js';
import { flash } from '../flash.js';
import { localeOf } from '../locale.js';
import { policyTextFor } from './policy-text.js';
import { WebPageQuery } from '../web-query.dto.js';

/** ポリシーの確認: the text of the approved version, and "I have read it and will comply"; for the office, who still owes it. */
@ApiExcludeController()
@Controller('acknowledgements')
export class AcknowledgementPagesController {
  constructor(
    private readonly acknowledgements: AcknowledgementsService,
    private readonly versions: PolicyVersionsService,
  ) {}

  /** 確認の状況: per approved version, how many still owe the acknowledgement (a manager: their department). */
  @Get()
  @May(POLICIES.read_acknowledgements)
  @Render('acknowledgement-status')
  async status(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    const today = tokyoToday();
    const rows = await this.acknowledgements.openByVersion(actor, today);
    return {
      title: 'acknowledgementStatus.title',
      today,
      rows: rows.map((row) => ({ ...row, href: `/policies/${encodeURIComponent(row.policyKey)}`, overdueFlag: row.overdue > 0 })),
      open: rows.reduce((sum, row) => sum + row.open, 0),
      overdue: rows.reduce((sum, row) => sum + row.overdue, 0),
    };
  }

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
  async acknowledge(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.acknowledgements.acknowledge(actor, id);
    flash(res, 'notice.acknowledged');
    res.redirect(303, '/');
  }
}
