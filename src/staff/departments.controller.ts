import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { DEPARTMENTS } from './staff.permissions.js';
import type { Actor } from '../common/actor.js';
import type { Page } from '../common/pagination.js';
import { Department } from './department.entity.js';
import { DepartmentsService } from './departments.service.js';
import { CreateDepartmentDto, DepartmentQuery, UpdateDepartmentDto } from './dto/department.dto.js';

@ApiTags('departments')
@Controller('api/v1/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @May(DEPARTMENTS.read)
  @ApiOperation({ summary: 'List departments (filter by code/name, parent)' })
  list(@CurrentActor() actor: Actor, @Query() query: DepartmentQuery): Promise<Page<Department>> {
    return this.departments.list(actor, query);
  }

  @Get(':id')
  @May(DEPARTMENTS.read)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Department> {
    return this.departments.get(actor, id);
  }

  @Post()
  @May(DEPARTMENTS.manage)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDepartmentDto): Promise<Department> {
    return this.departments.create(actor, dto);
  }

  @Patch(':id')
  @May(DEPARTMENTS.manage)
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDepartmentDto): Promise<Department> {
    return this.departments.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @May(DEPARTMENTS.manage)
  @ApiOperation({ summary: 'Delete a department that has no staff and no sub-departments' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.departments.remove(actor, id);
  }
}
