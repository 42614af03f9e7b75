import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';

export const DEPARTMENT_STATES = ['open', 'closed', 'all'] as const;
export type DepartmentState = (typeof DEPARTMENT_STATES)[number];

export class CreateDepartmentDto {
  @ApiProperty({ example: 'SOMU' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1–32 letters, digits, _ or -' })
  code!: string;

  @ApiProperty({ example: '総務課' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'General Affairs Division' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameEn?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'the staff member who heads it (not retired)' })
  @IsOptional()
  @IsUUID()
  headId?: string | null;
}

export class UpdateDepartmentDto extends PartialType(CreateDepartmentDto) {}

export class DepartmentQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'code or name contains' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_STATES, default: 'all', description: 'open (not closed), closed, or all' })
  @IsOptional()
  @IsIn(DEPARTMENT_STATES)
  state?: DepartmentState = 'all';
}
