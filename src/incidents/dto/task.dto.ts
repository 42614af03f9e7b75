import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/roles.js';
import { IsCalendarDateTime } from '../../common/validators.js';
import { RESPONSE_PHASES, TASK_STATUSES, type IncidentTask, type ResponsePhase, type TaskStatus } from '../incident-task.entity.js';

/** A task added by hand to an incident's response. */
export class CreateTaskDto {
  @ApiProperty({ maxLength: 300, example: '該当端末をネットワークから切り離す' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional({ enum: RESPONSE_PHASES, description: 'the phase of the response it belongs to' })
  @IsOptional()
  @IsIn(RESPONSE_PHASES)
  phase?: ResponsePhase;

  @ApiPropertyOptional({ enum: ROLES, description: 'the role responsible' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'who does it (an active member of staff)' })
  @IsOptional()
  @IsUUID('all')
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'by when' })
  @IsOptional()
  @IsCalendarDateTime()
  dueAt?: string;
}

/** A task's state changed (done, skipped, or open again), and/or its assignee; a note says why. */
export class UpdateTaskDto {
  @ApiProperty({ enum: TASK_STATUSES })
  @IsIn(TASK_STATUSES)
  status!: TaskStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'a new assignee (null: nobody)' })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsUUID('all')
  assigneeId?: string | null;

  @ApiPropertyOptional({ maxLength: 2000, description: 'what was done, or why it was skipped (lands on the timeline)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** A task of an incident's response. */
export class TaskView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({ type: 'integer', description: 'its place in the list (1 first)' })
  position!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: RESPONSE_PHASES, nullable: true })
  phase!: ResponsePhase | null;

  @ApiProperty({ type: String, nullable: true, description: 'the role responsible' })
  role!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  dueAt!: string | null;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: TaskStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when it was done or skipped' })
  doneAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'who did or skipped it' })
  doneById!: string | null;

  @ApiProperty({ enum: ['manual', 'playbook'], description: 'by hand, or from the playbook of the response plan' })
  source!: 'manual' | 'playbook';

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export function taskView(task: IncidentTask): TaskView {
  return {
    id: task.id,
    incidentId: task.incidentId,
    position: task.position,
    title: task.title,
    phase: task.phase,
    role: task.role,
    assigneeId: task.assigneeId,
    dueAt: task.dueAt ? task.dueAt.toISOString() : null,
    status: task.status,
    doneAt: task.doneAt ? task.doneAt.toISOString() : null,
    doneById: task.doneById,
    source: task.source,
    createdAt: task.createdAt.toISOString(),
  };
}
