import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsCalendarDateTime } from '../../common/validators.js';
import { PageQuery } from '../../common/pagination.js';

export class AuditTrailQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'staff.*', description: 'exact action, or a prefix ending in *' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_.]+\*?$/, { message: 'action must look like "staff.update" or "auth.*"' })
  action?: string;

  @ApiPropertyOptional({ example: 'staff' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00+09:00', description: 'from this moment (inclusive): an ISO 8601 date or date-time, years 0001–9999' })
  @IsOptional()
  @IsString()
  @IsCalendarDateTime()
  from?: string;

  @ApiPropertyOptional({ example: '2027-04-01T00:00:00+09:00', description: 'until this moment (exclusive): an ISO 8601 date or date-time, years 0001–9999' })
  @IsOptional()
  @IsString()
  @IsCalendarDateTime()
  to?: string;
}
