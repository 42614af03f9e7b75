import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, queryList } from '../../common/validators.js';
import { CORRECTIVE_ACTION_STATUSES, type CorrectiveAction, type CorrectiveActionStatus } from '../corrective-action.entity.js';
import { ACTION_TRANSITIONS } from '../finding-transitions.js';
import {
  FINDING_SEVERITIES,
  FINDING_SOURCES,
  FINDING_STATUSES,
  type Finding,
  type FindingSeverity,
  type FindingSource,
  type FindingStatus,
} from '../finding.entity.js';

/** Filters of the findings list. */
export class FindingQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FINDING_SOURCES })
  @IsOptional()
  @IsIn(FINDING_SOURCES)
  source?: FindingSource;

  @ApiPropertyOptional({ format: 'uuid', description: 'the incident, audit, drill or review it came from' })
  @IsOptional()
  @IsUUID('all')
  sourceId?: string;

  @ApiPropertyOptional({ enum: FINDING_STATUSES, isArray: true, description: 'one or more statuses (comma-separated)' })
  @IsOptional()
  @Transform(queryList)
  @IsIn(FINDING_STATUSES, { each: true })
  status?: FindingStatus[];

  @ApiPropertyOptional({ format: 'uuid', description: 'the owner department' })
  @IsOptional()
  @IsUUID('all')
  departmentId?: string;
}

/** A corrective action to plan: what, by whom, by when. */
export class PlanActionDto {
  @ApiProperty({ maxLength: 2000, example: '全職員へ誤送信防止の手順を周知する' })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiProperty({ format: 'uuid', description: 'an active member of staff' })
  @IsUUID('all')
  assigneeId!: string;

  @ApiProperty({ format: 'date', example: '2026-06-30' })
  @IsCalendarDate()
  dueDate!: string;
}

/** A finding to raise (by hand, or in an incident's review). */
export class RaiseFindingDto {
  @ApiProperty({ maxLength: 300 })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiProperty({ enum: FINDING_SEVERITIES })
  @IsIn(FINDING_SEVERITIES)
  severity!: FindingSeverity;

  @ApiProperty({ format: 'uuid', description: 'the department that fixes it' })
  @IsUUID('all')
  ownerDepartmentId!: string;

  @ApiPropertyOptional({ format: 'date', description: 'default by severity (FINDING_DUE_DAYS): high 30 days, medium 60, low 90 from today' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'the controls it concerns (of this organisation)' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  controlIds!: string[];

  @ApiPropertyOptional({ type: [PlanActionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanActionDto)
  actions?: PlanActionDto[];
}

/** The assignee (or the owner department's manager) reports the action done. */
export class ActionProgressDto {
  @ApiProperty({ enum: ['done'] })
  @IsIn(['done'])
  status!: 'done';

  @ApiPropertyOptional({ maxLength: 5000, description: 'what was done' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

/** The security office or an auditor verifies an action done, or reopens it (`verified: false`). */
export class VerifyActionDto {
  @ApiProperty()
  @IsBoolean()
  verified!: boolean;

  @ApiProperty({ maxLength: 5000, description: 'what was checked, or why it is reopened' })
  @IsString()
  @Length(1, 5000)
  note!: string;

  @ApiPropertyOptional({ format: 'date', description: 'when reopening: the new due date (the reminders chase it afresh); kept when not given' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;
}

export class CorrectiveActionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  findingId!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ApiProperty({ format: 'date' })
  dueDate!: string;

  @ApiProperty({ enum: CORRECTIVE_ACTION_STATUSES })
  status!: CorrectiveActionStatus;

  @ApiProperty({ enum: CORRECTIVE_ACTION_STATUSES, isArray: true, description: 'where it may go from here' })
  allowedTransitions!: CorrectiveActionStatus[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  doneAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  doneNote!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  verifiedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'who verified or reopened it last' })
  verifiedById!: string | null;

  @ApiProperty({ type: String, nullable: true })
  verifyNote!: string | null;
}

export class FindingView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'FND-2022-0003' })
  reference!: string;

  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ enum: FINDING_SOURCES })
  source!: FindingSource;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the audit, incident, drill or review it came from' })
  sourceId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the audit checklist item whose non-conformity raised it' })
  checklistItemId!: string | null;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: FINDING_SEVERITIES })
  severity!: FindingSeverity;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  ownerDepartmentId!: string | null;

  @ApiProperty({ format: 'date' })
  dueDate!: string;

  @ApiProperty({ enum: FINDING_STATUSES })
  status!: FindingStatus;

  @ApiProperty({ type: [String], format: 'uuid' })
  controlIds!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  raisedById!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  verifiedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class FindingDetailView extends FindingView {
  @ApiProperty({ type: [CorrectiveActionView] })
  actions!: CorrectiveActionView[];
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function correctiveActionView(action: CorrectiveAction): CorrectiveActionView {
  return {
    id: action.id,
    findingId: action.findingId,
    description: action.description,
    assigneeId: action.assigneeId,
    dueDate: action.dueDate,
    status: action.status,
    allowedTransitions: [...ACTION_TRANSITIONS[action.status]],
    doneAt: iso(action.doneAt),
    doneNote: action.doneNote,
    verifiedAt: iso(action.verifiedAt),
    verifiedById: action.verifiedById,
    verifyNote: action.verifyNote,
  };
}

export function findingView(finding: Finding): FindingView {
  return {
    id: finding.id,
    reference: finding.reference,
    fiscalYear: finding.fiscalYear,
    source: finding.source,
    sourceId: finding.sourceId,
    checklistItemId: finding.checklistItemId,
    title: finding.title,
    description: finding.description,
    severity: finding.severity,
    ownerDepartmentId: finding.ownerDepartmentId,
    dueDate: finding.dueDate,
    status: finding.status,
    controlIds: finding.controlIds,
    raisedById: finding.raisedById,
    verifiedAt: iso(finding.verifiedAt),
    createdAt: finding.createdAt.toISOString(),
  };
}

export function findingDetailView(finding: Finding, actions: readonly CorrectiveAction[]): FindingDetailView {
  return { ...findingView(finding), actions: actions.map(correctiveActionView) };
}
