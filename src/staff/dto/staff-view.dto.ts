import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/roles.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../employment.js';
import { EMPLOYMENT_STATUSES, type EmploymentStatus } from '../staff.entity.js';

/** A department as named beside a record that belongs to it. */
export class DepartmentRef {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'SOMU' })
  code!: string;

  @ApiProperty({ example: '総務課' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'General Affairs Division' })
  nameEn!: string | null;
}

/** A person as named beside a record about them. */
export class StaffRef {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '10001' })
  employeeNumber!: string;

  @ApiProperty({ example: '山田' })
  familyName!: string;

  @ApiProperty({ example: '花子' })
  givenName!: string;
}

/** A staff member as the API shows them: no sign-in internals (password, second factor, lockout). */
export class StaffView extends StaffRef {
  @ApiProperty({ type: String, nullable: true, example: 'ヤマダ' })
  familyNameKana!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ハナコ' })
  givenNameKana!: string | null;

  @ApiProperty({ example: 'hanako.yamada@town.example.jp' })
  email!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  departmentId!: string | null;

  @ApiProperty({ type: DepartmentRef, nullable: true })
  department!: DepartmentRef | null;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['staff'] })
  roles!: Role[];

  @ApiProperty({ enum: EMPLOYMENT_STATUSES })
  status!: EmploymentStatus;

  @ApiProperty({
    enum: EMPLOYMENT_TYPES,
    description: '雇用形態: regular 正規職員, fiscal_year_appointed 会計年度任用職員, temporary 臨時職員, contractor 委託先職員',
  })
  employmentType!: EmploymentType;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2020-04-01' })
  joinedOn!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2025-03-31' })
  leftOn!: string | null;

  @ApiProperty({ enum: ['ja', 'en'] })
  locale!: 'ja' | 'en';

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the second factor (authenticator app) was confirmed' })
  totpConfirmedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

/** What a CSV import did (or, on a dry run, would do). */
export class StaffImportResultView {
  @ApiProperty({ description: 'true: checked only, nothing written' })
  dryRun!: boolean;

  @ApiProperty({ type: 'integer', description: 'data rows in the file' })
  rows!: number;

  @ApiProperty({ type: 'integer' })
  created!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  unchanged!: number;
}
