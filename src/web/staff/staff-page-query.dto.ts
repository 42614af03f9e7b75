import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, type Role } from '../../common/roles.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../../staff/employment.js';
import { EMPLOYMENT_STATUSES, type EmploymentStatus } from '../../staff/staff.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The staff list's GET filter form; empty fields mean "any". */
export class StaffPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 100)
  q?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  departmentId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(EMPLOYMENT_STATUSES)
  status?: EmploymentStatus;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(EMPLOYMENT_TYPES)
  employmentType?: EmploymentType;
}
