import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ROLES } from '../../auth/roles.js';
import { PageQuery } from '../../common/pagination.js';
import { CONTROL_STATUSES, FRAMEWORKS } from '../control.entity.js';

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
