import { Body, Controller, Get, Headers, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import { CreateTaskDto, TaskView, taskView, UpdateTaskDto } from './dto/task.dto.js';
import { IncidentTasksService } from './incident-tasks.service.js';
import { INCIDENTS } from './incidents.permissions.js';

/** The tasks of an incident's response: listed to its readers, added and ticked off by those who work incidents. */
@ApiTags('incidents')
@Controller('api/v1/incidents/:id/tasks')
export class IncidentTasksController {
  constructor(private readonly tasks: IncidentTasksService) {}

  @Get()
  @May(INCIDENTS.read)
  @ApiOperation({ summary: "The incident's tasks, in order (anyone who may see the incident)" })
  @ApiOkResponse({ type: ListOf(TaskView) })
  @ApiProblems({ 404: 'No such incident in your scope (INCIDENT_NOT_FOUND)' })
  async list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<List<TaskView>> {
    const items = (await this.tasks.list(actor, id)).map(taskView);
    return { items, total: items.length };
  }

  @Post()
  @May(INCIDENTS.respond)
  @ApiOperation({
    summary: 'Add a task by hand (lands on the timeline). With an Idempotency-Key, a retried request adds nothing and answers with the first task',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'any unique string per task (e.g. a UUID); 1–200 visible ASCII characters' })
  @ApiCreatedResponse({ type: TaskView })
  @ApiProblems({
    400: 'A field is missing or wrong (VALIDATION_FAILED, INCIDENT_ASSIGNEE_UNKNOWN, IDEMPOTENCY_KEY_INVALID)',
    404: 'No such incident (INCIDENT_NOT_FOUND)',
    409: 'The incident is closed or rejected (INCIDENT_CLOSED)',
  })
  async add(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<TaskView> {
    return taskView(await this.tasks.add(actor, id, dto, idempotencyKey));
  }

  @Patch(':taskId')
  @May(INCIDENTS.respond)
  @ApiOperation({ summary: 'Mark a task done or skipped (or open again) and/or reassign it; each change lands on the timeline' })
  @ApiOkResponse({ type: TaskView })
  @ApiProblems({
    400: 'A field is wrong (VALIDATION_FAILED, INCIDENT_ASSIGNEE_UNKNOWN)',
    404: 'No such incident, or no such task of it (INCIDENT_NOT_FOUND, TASK_NOT_FOUND)',
    409: 'Nothing would change (TASK_TRANSITION_NOT_ALLOWED), or the incident is closed or rejected (INCIDENT_CLOSED)',
  })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('taskId', uuidParam('taskId')) taskId: string,
    @Body() dto: UpdateTaskDto,
  ): Promise<TaskView> {
    return taskView(await this.tasks.update(actor, id, taskId, dto));
  }
}
