import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { DEPARTMENTS } from './staff.permissions.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { DepartmentsService } from './departments.service.js';
import { DepartmentView } from './dto/department-view.dto.js';
import { CreateDepartmentDto, DepartmentQuery, UpdateDepartmentDto } from './dto/department.dto.js';

@ApiTags('departments')
@Controller('api/v1/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @May(DEPARTMENTS.read)
  @ApiOperation({ summary: 'List departments (filter by code/name, parent)' })
  @ApiOkResponse({ type: PageOf(DepartmentView) })
  list(@CurrentActor() actor: Actor, @Query() query: DepartmentQuery): Promise<Page<DepartmentView>> {
    return this.departments.list(actor, query);
  }

  @Get(':id')
  @May(DEPARTMENTS.read)
  @ApiOperation({ summary: 'One department' })
  @ApiOkResponse({ type: DepartmentView })
  @ApiProblems({ 404: 'No such department (DEPARTMENT_NOT_FOUND)' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<DepartmentView> {
    return this.departments.get(actor, id);
  }

  @Post()
  @May(DEPARTMENTS.manage)
  @ApiOperation({ summary: 'Create a department (code unique in the organisation)' })
  @ApiCreatedResponse({ type: DepartmentView })
  @ApiProblems({ 404: 'parentId names no department (DEPARTMENT_NOT_FOUND)', 409: 'The code is taken (DEPARTMENT_CODE_TAKEN)' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDepartmentDto): Promise<DepartmentView> {
    return this.departments.create(actor, dto);
  }

  @Patch(':id')
  @May(DEPARTMENTS.manage)
  @ApiOperation({ summary: 'Change a department; a parent that would make a cycle is refused (400 DEPARTMENT_CYCLE)' })
  @ApiOkResponse({ type: DepartmentView })
  @ApiProblems({ 404: 'No such department, or parentId names none (DEPARTMENT_NOT_FOUND)', 409: 'The code is taken (DEPARTMENT_CODE_TAKEN)' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDepartmentDto): Promise<DepartmentView> {
    return this.departments.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @May(DEPARTMENTS.manage)
  @ApiOperation({ summary: 'Delete a department that has no staff and no sub-departments' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiProblems({ 404: 'No such department (DEPARTMENT_NOT_FOUND)', 409: 'Staff or sub-departments still belong to it (DEPARTMENT_IN_USE)' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.departments.remove(actor, id);
  }
}
