import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, queryList } from '../../common/validators.js';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, SEVERITIES, type IncidentCategory, type IncidentStatus, type Severity } from '../incident.entity.js';

const bool = ({ value }: { value: unknown }): unknown => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);

/** Filters of the incident list (the board). */
export class IncidentQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES, isArray: true, description: 'one or more states (comma-separated)' })
  @IsOptional()
  @Transform(queryList)
  @IsIn(INCIDENT_STATUSES, { each: true })
  status?: IncidentStatus[];

  @ApiPropertyOptional({ description: 'only open incidents (not closed or rejected)' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'only open incidents nobody has acknowledged (near misses aside)' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  unacknowledged?: boolean;

  @ApiPropertyOptional({ enum: SEVERITIES, isArray: true })
  @IsOptional()
  @Transform(queryList)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @ApiPropertyOptional({ enum: INCIDENT_CATEGORIES, isArray: true })
  @IsOptional()
  @Transform(queryList)
  @IsIn(INCIDENT_CATEGORIES, { each: true })
  category?: IncidentCategory[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  departmentId?: string;

  @ApiPropertyOptional({ example: 2022 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({ description: 'near misses only (true) or incidents only (false)' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  nearMiss?: boolean;

  @ApiPropertyOptional({ description: 'only the ones I reported' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ format: 'date', description: 'reported on or after (Asia/Tokyo)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'reported on or before (Asia/Tokyo)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'reference or title contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['urgency', 'newest'], default: 'urgency' })
  @IsOptional()
  @IsIn(['urgency', 'newest'])
  sort?: 'urgency' | 'newest';
}
