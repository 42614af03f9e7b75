import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { ROLES } from '../../common/roles.js';
import { PageQuery } from '../../common/pagination.js';
import { CONTROL_STATUSES, FRAMEWORKS, type ControlStatus } from '../control.entity.js';

export class ControlQuery extends PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 9, description: "the guideline's standards chapter" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(9)
  chapter?: number;

  @ApiPropertyOptional({ enum: CONTROL_STATUSES })
  @IsOptional()
  @IsIn(CONTROL_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  ownerRole?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only controls owned by this department' })
  @IsOptional()
  @IsUUID()
  ownerDepartmentId?: string;

  @ApiPropertyOptional({ enum: FRAMEWORKS, description: 'only controls with a mapping to this framework' })
  @IsOptional()
  @IsIn(FRAMEWORKS)
  framework?: string;

  @ApiPropertyOptional({ description: 'with `framework`: only controls mapped to this id, e.g. A.5.2' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  mappedTo?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  essential?: boolean;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'include retired controls' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeRetired?: boolean;

  @ApiPropertyOptional({ description: 'code or title contains' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `PATCH /api/v1/controls/:id`: at least one field. */
export class UpdateControlDto {
  @ApiPropertyOptional({ enum: CONTROL_STATUSES })
  @ValidateIf((body: UpdateControlDto) => body.status !== undefined) // null is not a status
  @IsIn(CONTROL_STATUSES)
  status?: ControlStatus;

  @ApiPropertyOptional({ description: 'why the status is what it is; required for not_applicable' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ format: 'date', example: '2023-03-31', description: 'next check; default today (Asia/Tokyo) + the frequency when the status changes' })
  @IsOptional()
  @Matches(DATE, { message: 'nextCheckDue must be a date YYYY-MM-DD' })
  @IsCalendarDate({ message: 'nextCheckDue must be a valid date (years 0001–9999)' })
  nextCheckDue?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'the department answerable for the control; null clears it' })
  @IsOptional()
  @IsUUID()
  ownerDepartmentId?: string | null;
}

/** `POST /api/v1/controls/:id/checks`: a check that leaves the status as it is. */
export class ControlCheckDto {
  @ApiPropertyOptional({ format: 'date', description: 'next check; default today (Asia/Tokyo) + the frequency' })
  @IsOptional()
  @Matches(DATE, { message: 'nextCheckDue must be a date YYYY-MM-DD' })
  @IsCalendarDate({ message: 'nextCheckDue must be a valid date (years 0001–9999)' })
  nextCheckDue?: string;

  @ApiPropertyOptional({ description: 'what was checked' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
