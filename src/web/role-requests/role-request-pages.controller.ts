import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { ROLE_REQUESTS } from '../../staff/role-requests.permissions.js';
import { RoleRequestsService } from '../../staff/role-requests.service.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { RoleRequestFormErrorFilter } from './role-request-form.filter.js';
import { NewRoleRequestQuery, RoleRequestForm, RoleRequestListQuery, RoleRequestRejectForm } from './role-request-page.dto.js';
import { ROLE_REQUEST_PAGES } from './role-request-pages.permissions.js';
import { RoleRequestPagesService } from './role-request-pages.service.js';

/**
 * 権限変更の申請: an administrator asks for a privileged role of someone to be granted or removed, a
 * second person decides on the request's page (role-request-rules.ts says who). Every decision is
 * POST/redirect/GET with a message; a refused one shows the page again with the reason at the top.
 */
@ApiExcludeController()
@Controller('role-requests')
export class RoleRequestPagesController {
  constructor(
    private readonly pages: RoleRequestPagesService,
    private readonly requests: RoleRequestsService,
  ) {}

  @Get()
  @May(ROLE_REQUEST_PAGES.list)
  @Render('role-requests')
  list(@CurrentActor() actor: Actor, @Query() query: RoleRequestListQuery): Promise<object> {
    return this.pages.list(actor, { status: query.status, page: query.page });
  }

  @Get('new')
  @May(ROLE_REQUESTS.request)
  @Render('role-request-new')
  newRequest(@CurrentActor() actor: Actor, @Query() query: NewRoleRequestQuery): Promise<object> {
    return this.pages.newRequest(actor, query.staffId);
  }

  @Post()
  @May(ROLE_REQUESTS.request)
  @UseFilters(RoleRequestFormErrorFilter)
  async create(@CurrentActor() actor: Actor, @Body() form: RoleRequestForm, @Res() res: Response): Promise<void> {
    const made = await this.requests.request(actor, form.staffId, { change: form.change, role: form.role, reason: form.reason });
    flash(res, 'notice.roleRequestMade');
    res.redirect(303, `/role-requests/${made.id}`);
  }

  @Get(':id')
  @May(ROLE_REQUESTS.read)
  @Render('role-request')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.request(actor, id);
  }

  @Post(':id/approve')
  @May(ROLE_REQUESTS.approve)
  @UseFilters(RoleRequestFormErrorFilter)
  async approve(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const after = await this.requests.approve(actor, id);
    flash(res, after.status === 'awaiting_confirmation' ? 'notice.roleRequestApprovedToConfirm' : 'notice.roleRequestApplied');
    res.redirect(303, `/role-requests/${id}`);
  }

  @Post(':id/confirm')
  @May(ROLE_REQUESTS.confirm)
  @UseFilters(RoleRequestFormErrorFilter)
  async confirm(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const after = await this.requests.confirm(actor, id);
    flash(res, after.confirmer === 'person' ? 'notice.roleRequestAccepted' : 'notice.roleRequestConfirmed');
    res.redirect(303, `/role-requests/${id}`);
  }

  @Post(':id/reject')
  @May(ROLE_REQUESTS.reject)
  @UseFilters(RoleRequestFormErrorFilter)
  async reject(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: RoleRequestRejectForm, @Res() res: Response): Promise<void> {
    const after = await this.requests.reject(actor, id, { reason: form.reason });
    flash(res, after.closedBy?.id === after.staff.id ? 'notice.roleRequestDeclined' : 'notice.roleRequestRejected');
    res.redirect(303, `/role-requests/${id}`);
  }

  @Post(':id/withdraw')
  @May(ROLE_REQUESTS.withdraw)
  @UseFilters(RoleRequestFormErrorFilter)
  async withdraw(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.requests.withdraw(actor, id);
    flash(res, 'notice.roleRequestWithdrawn');
    res.redirect(303, `/role-requests/${id}`);
  }
}
