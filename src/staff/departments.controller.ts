import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { DEPARTMENTS } from './staff.permissions.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { DepartmentsService } from './departments.service.js';
import { DepartmentTreeNode, DepartmentView } from './dto/department-view.dto.js';
import { CreateDepartmentDto, DepartmentQuery, UpdateDepartmentDto } from './dto/department.dto.js';

@ApiTags('departments')
@Controller('api/v1/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @May(DEPARTMENTS.read)
  @ApiOperation({ summary: 'List departments (filter by code/name, parent, open or closed)' })
  @ApiOkResponse({ type: PageOf(DepartmentView) })
  list(@CurrentActor() actor: Actor, @Query() query: DepartmentQuery): Promise<Page<DepartmentView>> {
    return this.departments.list(actor, query);
  }

  @Get('tree')
  @May(DEPARTMENTS.read)
  @ApiOperation({ summary: 'Every department in tree order, with its depth, head and member count (staff who have not retired); closed ones carry closedOn' })
  @ApiOkResponse({ type: [DepartmentTreeNode] })
  tree(@CurrentActor() actor: Actor): Promise<DepartmentTreeNode[]> {
    return this.departments.tree(actor);
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
  @ApiProblems({
    404: 'parentId names no department (DEPARTMENT_NOT_FOUND)',
    409: 'The code is taken (DEPARTMENT_CODE_TAKEN), the parent is closed (DEPARTMENT_CLOSED), or headId names nobody who may head it (DEPARTMENT_HEAD_INVALID)',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDepartmentDto): Promise<DepartmentView> {
    return this.departments.create(actor, dto);
  }

  @Patch(':id')
  @May(DEPARTMENTS.manage)
  @ApiOperation({
    summary: 'Rename, move (parentId) or give a head (headId) to a department; a parent that would make a cycle is refused (400 DEPARTMENT_CYCLE)',
  })
  @ApiOkResponse({ type: DepartmentView })
  @ApiProblems({
    400: 'parentId would make the department its own ancestor (DEPARTMENT_CYCLE)',
    404: 'No such department, or parentId names none (DEPARTMENT_NOT_FOUND)',
    409: 'The code is taken (DEPARTMENT_CODE_TAKEN), the department or the new parent is closed (DEPARTMENT_CLOSED), or headId names nobody who may head it (DEPARTMENT_HEAD_INVALID)',
  })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDepartmentDto): Promise<DepartmentView> {
    return this.departments.update(actor, id, dto);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @May(DEPARTMENTS.manage)
  @ApiOperation({ summary: 'Reopen a closed department; refused while its parent is closed (reopen the parent first)' })
  @ApiOkResponse({ type: DepartmentView })
  @ApiProblems({
    404: 'No such department (DEPARTMENT_NOT_FOUND)',
    409: 'The department is open (DEPARTMENT_NOT_CLOSED), or its parent is closed (DEPARTMENT_CLOSED, field parentId)',
  })
  reopen(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<DepartmentView> {
    return this.departments.reopen(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @May(DEPARTMENTS.manage)
  @ApiOperation({
    summary:
      'Close a department (it stays, with closedOn, for the history); refused while staff who have not retired belong to it or open sub-departments sit under it',
  })
  @ApiNoContentResponse({ description: 'closed' })
  @ApiProblems({
    404: 'No such department (DEPARTMENT_NOT_FOUND)',
    409: 'Active members still belong to it (DEPARTMENT_HAS_MEMBERS, with department and memberCount), open sub-departments sit under it (DEPARTMENT_IN_USE), or it is closed already (DEPARTMENT_CLOSED)',
  })
  async close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.departments.close(actor, id);
  }
}
