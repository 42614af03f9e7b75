import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { uuidParam } from '../staff/uuid-param.js';
import { DEPARTMENT_DUTIES } from './department-duties.permissions.js';
import { DepartmentDutiesService, type DepartmentOutstandingDuties, type RemindersResult } from './department-duties.service.js';
import { DepartmentOutstandingDutiesView, RemindDepartmentDto, RemindersResultView } from './dto/department-duties.dto.js';

/** What a department's people still owe, and reminders to them (its manager, or the security office). */
@ApiTags('departments')
@Controller('api/v1/departments')
export class DepartmentDutiesController {
  constructor(private readonly service: DepartmentDutiesService) {}

  @Get(':id/outstanding-duties')
  @May(DEPARTMENT_DUTIES.read)
  @ApiOperation({
    summary:
      'Each active member of the department (not of its sub-departments) with their outstanding duties and when they were last reminded; a manager their own department (or one they head), the security office any',
  })
  @ApiOkResponse({ type: DepartmentOutstandingDutiesView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: 'No such department (DEPARTMENT_NOT_FOUND)' })
  async outstanding(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<DepartmentOutstandingDutiesView> {
    return toView(await this.service.outstanding(actor, id));
  }

  @Post(':id/reminders')
  @HttpCode(200)
  @May(DEPARTMENT_DUTIES.remind)
  @ApiOperation({
    summary:
      'Remind the people named (default: every member with outstanding duties) by e-mail; one reminder per person per day (Asia/Tokyo), whoever sends it',
  })
  @ApiOkResponse({ type: RemindersResultView })
  @ApiProblems({
    400: 'staffIds is not a list of UUIDs (VALIDATION_FAILED), or names someone who is not an active member of the department (REMINDER_NOT_A_MEMBER)',
    404: 'No such department (DEPARTMENT_NOT_FOUND)',
  })
  remind(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: RemindDepartmentDto): Promise<RemindersResult> {
    return this.service.remind(actor, id, dto.staffIds);
  }
}

/** The API's shape: the department without its head, duties without the page links. */
function toView(result: DepartmentOutstandingDuties): DepartmentOutstandingDutiesView {
  const { headId: _headId, ...department } = result.department;
  return {
    ...result,
    department,
    items: result.items.map((item) => ({ ...item, duties: item.duties.map(({ href: _href, ...duty }) => duty) })),
  };
}
