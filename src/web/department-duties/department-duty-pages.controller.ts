import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { DepartmentDutiesService } from '../../department-duties/department-duties.service.js';
import { DEPARTMENT_DUTIES } from '../../department-duties/department-duties.permissions.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { RemindForm } from './department-duty-page.dto.js';
import { DepartmentDutyPagesService, reminderNotice } from './department-duty-pages.service.js';
import { ReminderFormErrorFilter } from './reminder-form.filter.js';

/** 部署の未完了: a manager's (or the security office's) view of who in a department still owes what, and the reminders. */
@ApiExcludeController()
@Controller('department-duties')
export class DepartmentDutyPagesController {
  constructor(
    private readonly pages: DepartmentDutyPagesService,
    private readonly duties: DepartmentDutiesService,
  ) {}

  /** The departments the person chases; a manager of one department goes straight to it. */
  @Get()
  @May(DEPARTMENT_DUTIES.read)
  async list(@CurrentActor() actor: Actor, @Res() res: Response, @Query() _query: WebPageQuery): Promise<void> {
    const { data, only } = await this.pages.departments(actor);
    if (only) return res.redirect(303, `/department-duties/${only}`);
    res.render('department-duties', data);
  }

  @Get(':id')
  @May(DEPARTMENT_DUTIES.read)
  @Render('department-duty')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.department(actor, id);
  }

  @Post(':id/reminders')
  @May(DEPARTMENT_DUTIES.remind)
  @UseFilters(ReminderFormErrorFilter)
  async remind(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: RemindForm, @Res() res: Response): Promise<void> {
    const result = await this.duties.remind(actor, id, form.staffId ? [form.staffId] : undefined);
    const notice = reminderNotice(result);
    flash(res, notice.key, notice.counts);
    res.redirect(303, `/department-duties/${id}`);
  }
}
