import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../../common/access.decorators.js';
import type { Actor } from '../../common/actor.js';
import { DepartmentsService } from '../../staff/departments.service.js';
import { DEPARTMENTS } from '../../staff/staff.permissions.js';
import { flash } from '../flash.js';
import { WebPageQuery } from '../web-query.dto.js';
import { DepartmentFormErrorFilter } from './department-form.filter.js';
import { DepartmentCreateForm, DepartmentEditForm, DepartmentTreeQuery } from './department-page.dto.js';
import { DepartmentPagesService } from './department-pages.service.js';

/** 部署: the administrator's pages of the department tree (create, rename, move, head, close). */
@ApiExcludeController()
@Controller('departments')
export class DepartmentPagesController {
  constructor(
    private readonly pages: DepartmentPagesService,
    private readonly departments: DepartmentsService,
  ) {}

  @Get()
  @May(DEPARTMENTS.manage)
  @Render('departments')
  tree(@CurrentActor() actor: Actor, @Query() query: DepartmentTreeQuery): Promise<object> {
    return this.pages.tree(actor, undefined, query.state);
  }

  @Post()
  @May(DEPARTMENTS.manage)
  @UseFilters(DepartmentFormErrorFilter)
  async create(@CurrentActor() actor: Actor, @Body() form: DepartmentCreateForm, @Res() res: Response): Promise<void> {
    await this.departments.create(actor, { code: form.code, name: form.name, nameEn: form.nameEn ?? null, parentId: form.parentId ?? null });
    flash(res, 'notice.departmentCreated');
    res.redirect(303, '/departments');
  }

  @Get(':id')
  @May(DEPARTMENTS.manage)
  @Render('department')
  show(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.department(actor, id);
  }

  @Post(':id')
  @May(DEPARTMENTS.manage)
  @UseFilters(DepartmentFormErrorFilter)
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() form: DepartmentEditForm, @Res() res: Response): Promise<void> {
    await this.departments.update(actor, id, { name: form.name, nameEn: form.nameEn, parentId: form.parentId, headId: form.headId });
    flash(res, 'notice.departmentUpdated');
    res.redirect(303, '/departments');
  }

  @Post(':id/reopen')
  @May(DEPARTMENTS.manage)
  @UseFilters(DepartmentFormErrorFilter)
  async reopen(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.departments.reopen(actor, id);
    flash(res, 'notice.departmentReopened');
    res.redirect(303, '/departments');
  }

  @Get(':id/close')
  @May(DEPARTMENTS.manage)
  @Render('department-close')
  confirmClose(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() _query: WebPageQuery): Promise<object> {
    return this.pages.closing(actor, id);
  }

  @Post(':id/close')
  @May(DEPARTMENTS.manage)
  @UseFilters(DepartmentFormErrorFilter)
  async close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.departments.close(actor, id);
    flash(res, 'notice.departmentClosed');
    res.redirect(303, '/departments');
  }
}
