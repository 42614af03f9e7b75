import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AUTH } from '../../auth/auth.permissions.js';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { StaffFormErrorFilter } from './staff-form.filter.js';
import { StaffForm, StaffRetireForm } from './staff-page.dto.js';
import { StaffPageQuery } from './staff-page-query.dto.js';
import { StaffPagesService } from './staff-pages.service.js';

/**
 * 職員: the list of the staff the signed-in person may see (everyone, or a manager's department),
 * each person's page, and the administrator's forms: add, change, invite again, retire.
 */
@ApiExcludeController()
@Controller('staff')
export class StaffPagesController {
  constructor(private readonly pages: StaffPagesService) {}

  @Get()
  @May(STAFF.list)
  @Render('staff-list')
  list(@CurrentActor() actor: Actor, @Query() query: StaffPageQuery): Promise<object> {
    return this.pages.list(actor, query);
  }

  @Get('new')
  @May(STAFF.create)
  @Render('staff-new')
  newPerson(@CurrentActor() actor: Actor, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.newPerson(actor);
  }

  @Post('new')
  @May(STAFF.create)
  @UseFilters(StaffFormErrorFilter)
  async create(@CurrentActor() actor: Actor, @Body() form: StaffForm, @Res() res: Response): Promise<void> {
    const created = await this.pages.create(actor, form);
    flash(res, created.status === 'active' ? 'notice.staffCreatedInvited' : 'notice.staffCreated');
    res.redirect(303, `/staff/${created.id}`);
  }

  @Get(':id')
  @May(STAFF.list)
  @Render('staff-person')
  person(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.person(actor, id);
  }

  @Post(':id')
  @May(STAFF.update)
  @UseFilters(StaffFormErrorFilter)
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: StaffForm, @Res() res: Response): Promise<void> {
    await this.pages.update(actor, id, form);
    flash(res, 'notice.staffUpdated');
    res.redirect(303, `/staff/${id}`);
  }

  @Post(':id/invitation')
  @May(AUTH.invite)
  @UseFilters(StaffFormErrorFilter)
  async invite(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.pages.invite(actor, id);
    flash(res, 'notice.staffInvited');
    res.redirect(303, `/staff/${id}`);
  }

  @Get(':id/retire')
  @May(STAFF.update)
  @Render('staff-retire')
  confirmRetire(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.retiring(actor, id);
  }

  @Post(':id/retire')
  @May(STAFF.update)
  @UseFilters(StaffFormErrorFilter)
  async retire(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: StaffRetireForm, @Res() res: Response): Promise<void> {
    await this.pages.retire(actor, id, form);
    flash(res, 'notice.staffRetired');
    res.redirect(303, `/staff/${id}`);
  }
}
