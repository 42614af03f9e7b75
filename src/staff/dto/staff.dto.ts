import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate } from '../../common/validators.js';
import { ROLES, type Role } from '../../common/roles.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../employment.js';
import { EMPLOYMENT_STATUSES, type EmploymentStatus } from '../staff.entity.js';

/** kana (either script), with spaces, ー and ・ */
export const KANA = /^[\u30A0-\u30FF\u3040-\u309F\u3000 ー・]+$/;
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** The fields of a staff member, shared by the API and the CSV import. */
export class StaffFieldsDto {
  @ApiProperty({ example: '10001' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,32}$/, { message: 'employeeNumber must be 1–32 letters, digits or -' })
  employeeNumber!: string;

  @ApiProperty({ example: '山田' })
  @IsString()
  @Length(1, 100)
  familyName!: string;

  @ApiProperty({ example: '花子' })
  @IsString()
  @Length(1, 100)
  givenName!: string;

  @ApiPropertyOptional({ example: 'ヤマダ' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(KANA, { message: 'familyNameKana must be written in kana' })
  familyNameKana?: string | null;

  @ApiPropertyOptional({ example: 'ハナコ' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(KANA, { message: 'givenNameKana must be written in kana' })
  givenNameKana?: string | null;

  @ApiProperty({ example: 'hanako.yamada@town.example.jp' })
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string | null;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['staff'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of ${ROLES.join(', ')}` })
  roles!: Role[];

  @ApiPropertyOptional({ enum: EMPLOYMENT_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(EMPLOYMENT_STATUSES)
  status?: EmploymentStatus;

  @ApiPropertyOptional({
    enum: EMPLOYMENT_TYPES,
    default: 'regular',
    description: '雇用形態: regular 正規職員, fiscal_year_appointed 会計年度任用職員, temporary 臨時職員, contractor 委託先職員',
  })
  @IsOptional()
  @IsIn(EMPLOYMENT_TYPES)
  employmentType?: EmploymentType;

  @ApiPropertyOptional({ example: '2020-04-01' })
  @IsOptional()
  @IsCalendarDate()
  joinedOn?: string | null;

  @ApiPropertyOptional({ example: '2025-03-31' })
  @IsOptional()
  @IsCalendarDate()
  leftOn?: string | null;

  @ApiPropertyOptional({ enum: ['ja', 'en'], default: 'ja' })
  @IsOptional()
  @IsIn(['ja', 'en'])
  locale?: 'ja' | 'en';
}

export class CreateStaffDto extends StaffFieldsDto {}

export class UpdateStaffDto extends PartialType(StaffFieldsDto) {}

export class StaffQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'name, kana, e-mail address or employee number contains it; kana match in either script (たなか finds タナカ), ' +
      'spaces (half or full width) are ignored in the search and in the names, full-width letters match half-width ones',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ enum: EMPLOYMENT_STATUSES })
  @IsOptional()
  @IsIn(EMPLOYMENT_STATUSES)
  status?: EmploymentStatus;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: EMPLOYMENT_TYPES, description: '雇用形態' })
  @IsOptional()
  @IsIn(EMPLOYMENT_TYPES)
  employmentType?: EmploymentType;
}

export class StaffImportQuery {
  @ApiPropertyOptional({ description: 'check the file and report, write nothing', default: false })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}
