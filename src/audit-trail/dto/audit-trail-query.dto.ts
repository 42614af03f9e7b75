import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
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

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00+09:00' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ example: '2027-04-01T00:00:00+09:00' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}
