import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, queryList } from '../../common/validators.js';
import { AUDIT_KINDS, AUDIT_STATUSES, type AuditKind, type AuditStatus } from '../audit.entity.js';
import { CHECKLIST_RESULTS, type ChecklistResult } from '../checklist-item.entity.js';

/** What an audit checks: controls by chapter, essential only, or named; in departments. */
export class AuditScopeDto {
  @ApiPropertyOptional({ type: [Number], minimum: 1, maximum: 9, description: 'the guideline’s chapters; none = every chapter' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(9, { each: true })
  chapters?: number[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'named controls (added to the chapters’ controls)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  controlIds?: string[];

  @ApiPropertyOptional({ description: 'only the controls marked essential' })
  @IsOptional()
  @IsBoolean()
  essentialOnly?: boolean;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, description: 'the departments checked' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  departmentIds!: string[];
}

/** An audit or self-inspection to plan (the security office). */
export class PlanAuditDto {
  @ApiProperty({ example: 2022, minimum: 2000, maximum: 2100 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiProperty({ enum: AUDIT_KINDS })
  @IsIn(AUDIT_KINDS)
  kind!: AuditKind;

  @ApiProperty({ maxLength: 200, example: '令和4年度 情報セキュリティ内部監査' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ type: AuditScopeDto })
  @ValidateNested()
  @Type(() => AuditScopeDto)
  scope!: AuditScopeDto;

  @ApiProperty({ format: 'uuid', description: 'an active member of staff with the auditor or security officer role, not of a department in scope' })
  @IsUUID('all')
  leadAuditorId!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'the rest of the team (same rules as the lead)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  auditorIds?: string[];

  @ApiProperty({ format: 'date', example: '2022-10-03' })
  @IsCalendarDate()
  plannedStart!: string;

  @ApiProperty({ format: 'date', example: '2022-10-31' })
  @IsCalendarDate()
  plannedEnd!: string;
}

/** A change to a planned audit (only while it is planned): any field of the plan. */
export class UpdateAuditDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ type: AuditScopeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditScopeDto)
  scope?: AuditScopeDto;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  leadAuditorId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  auditorIds?: string[];

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  plannedStart?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  plannedEnd?: string;
}

/** Filters of the audit list. */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 2022 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({ enum: AUDIT_KINDS })
  @IsOptional()
  @IsIn(AUDIT_KINDS)
  kind?: AuditKind;

  @ApiPropertyOptional({ enum: AUDIT_STATUSES, isArray: true, description: 'one or more statuses (comma-separated)' })
  @IsOptional()
  @Transform(queryList)
  @IsIn(AUDIT_STATUSES, { each: true })
  status?: AuditStatus[];
}

/** `unanswered` or a result. */
export const CHECKLIST_FILTERS = ['unanswered', ...CHECKLIST_RESULTS] as const;
export type ChecklistFilter = (typeof CHECKLIST_FILTERS)[number];

/** Filters of a checklist: department, result (or unanswered), chapter, control code. */
export class ChecklistQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  departmentId?: string;

  @ApiPropertyOptional({ enum: CHECKLIST_FILTERS, isArray: true, description: 'results, or unanswered (comma-separated)' })
  @IsOptional()
  @Transform(queryList)
  @IsIn(CHECKLIST_FILTERS, { each: true })
  result?: ChecklistFilter[];

  @ApiPropertyOptional({ minimum: 1, maximum: 9 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(9)
  chapter?: number;

  @ApiPropertyOptional({ example: '5-02', description: 'a control code, or its start (5-)' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  controlCode?: string;
}

/** An answer to a checklist item; answering again with the same answer changes nothing. */
export class AnswerItemDto {
  @ApiProperty({ enum: CHECKLIST_RESULTS })
  @IsIn(CHECKLIST_RESULTS)
  result!: ChecklistResult;

  @ApiPropertyOptional({ maxLength: 5000, description: 'what was seen; needed for every result but conformant (for not applicable: the reason)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

/** Moving an audit to reporting, with the auditors' notes on the whole audit. */
export class ReportAuditDto {
  @ApiPropertyOptional({ maxLength: 20000, description: 'the auditors’ notes on the whole audit' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  summary?: string;
}

/** The CISO's answer to a report: accept (closes the audit) or return it for more work. */
export class AcceptReportDto {
  @ApiProperty({ description: 'true accepts the report and closes the audit; false returns it to in progress' })
  @IsBoolean()
  accepted!: boolean;

  @ApiPropertyOptional({ maxLength: 5000, description: 'needed when returning it: what to do' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

/** A manager's sign-off of their department's self-inspection. */
export class SignOffDto {
  @ApiProperty({ format: 'uuid', description: 'the department signed off (the manager’s own)' })
  @IsUUID('all')
  departmentId!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}
