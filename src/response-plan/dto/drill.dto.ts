import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { ROLES, type Role } from '../../common/roles.js';
import { IsCalendarDateTime } from '../../common/validators.js';
import { DRILL_KINDS, DRILL_STATUSES, type Drill, type DrillKind, type DrillStatus } from '../drill.entity.js';

const DATE_TIME = 'an ISO 8601 date-time; without an offset it is Asia/Tokyo time';

/** Who is invited: people, roles, departments (any of them). */
export class DrillInviteesDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  staffIds?: string[];

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  departmentIds?: string[];
}

/** A drill to schedule (the security office). */
export class ScheduleDrillDto {
  @ApiProperty({ format: 'uuid', description: 'a scenario of the plan in force' })
  @IsUUID('all')
  scenarioId!: string;

  @ApiProperty({ enum: DRILL_KINDS })
  @IsIn(DRILL_KINDS)
  kind!: DrillKind;

  @ApiProperty({ maxLength: 200, example: 'ランサムウェア机上訓練' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-10T10:00:00+09:00', description: DATE_TIME })
  @IsCalendarDateTime()
  startsAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-10T11:30:00+09:00', description: `${DATE_TIME}; after startsAt` })
  @IsCalendarDateTime()
  endsAt!: string;

  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true, example: '本庁舎3階 第1会議室' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true, format: 'uri' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  onlineUrl?: string | null;

  @ApiProperty({ format: 'uuid', description: 'an active member of staff' })
  @IsUUID('all')
  facilitatorId!: string;

  @ApiProperty({ type: DrillInviteesDto })
  @ValidateNested()
  @Type(() => DrillInviteesDto)
  invitees!: DrillInviteesDto;
}

/** A change to a scheduled drill (raises its SEQUENCE). */
export class UpdateDrillDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ format: 'date-time', description: DATE_TIME })
  @IsOptional()
  @IsCalendarDateTime()
  startsAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: DATE_TIME })
  @IsOptional()
  @IsCalendarDateTime()
  endsAt?: string;

  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true, format: 'uri' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  onlineUrl?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  facilitatorId?: string;

  @ApiPropertyOptional({ type: DrillInviteesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DrillInviteesDto)
  invitees?: DrillInviteesDto;
}

export class CancelDrillDto {
  @ApiProperty({ maxLength: 1000, example: '台風接近のため' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class DrillQuery extends PageQuery {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
}

export class DrillInviteesView {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  staffIds?: string[];

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  roles?: Role[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  departmentIds?: string[];
}

export class DrillView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  scenarioId!: string;

  @ApiProperty({ enum: DRILL_KINDS })
  kind!: DrillKind;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  startsAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  endsAt!: Date;

  @ApiProperty({ type: String, nullable: true })
  location!: string | null;

  @ApiProperty({ type: String, nullable: true })
  onlineUrl!: string | null;

  @ApiProperty({ format: 'uuid' })
  facilitatorId!: string;

  @ApiProperty({ type: DrillInviteesView })
  invitees!: DrillInviteesView;

  @ApiProperty({ enum: DRILL_STATUSES })
  status!: DrillStatus;

  @ApiProperty({ minimum: 0, description: 'the invitation’s iCalendar SEQUENCE (+1 on every change or cancellation)' })
  sequence!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: Date | null;

  @ApiProperty({ type: String, nullable: true })
  cancelReason!: string | null;

  @ApiProperty({ example: 2026 })
  fiscalYear!: number;
}

export function drillView(drill: Drill): DrillView {
  return {
    id: drill.id,
    scenarioId: drill.scenarioId,
    kind: drill.kind,
    title: drill.title,
    startsAt: drill.startsAt,
    endsAt: drill.endsAt,
    location: drill.location,
    onlineUrl: drill.onlineUrl,
    facilitatorId: drill.facilitatorId,
    invitees: drill.invitees,
    status: drill.status,
    sequence: drill.sequence,
    cancelledAt: drill.cancelledAt,
    cancelReason: drill.cancelReason,
    fiscalYear: drill.fiscalYear,
  };
}
