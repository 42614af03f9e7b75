import { Transform } from 'class-transformer';
import { IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { Role } from '../../common/roles.js';
import { IsCalendarDate } from '../../common/validators.js';
import { KANA } from '../../staff/dto/staff.dto.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../../staff/employment.js';
import { EMPLOYMENT_STATUSES, type EmploymentStatus } from '../../staff/staff.entity.js';
import { blankToUndefined } from '../web-query.dto.js';

/** An empty field of a form that changes a record means "none". */
const blankToNull = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? null : value.trim());
const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
/** checkboxes: absent when none is ticked, a string for one, a list for several */
const asList = ({ value }: { value: unknown }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);

/**
 * The roles the pages set directly. Everyone holds `staff`; the privileged roles are granted or
 * removed only by a role request that a second person approves.
 */
export const PAGE_ROLES = ['staff', 'manager'] as const satisfies readonly Role[];

/** The form of /staff/new and of a person's page. */
export class StaffForm {
  @Transform(blankToUndefined)
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,32}$/)
  employeeNumber!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 100)
  familyName!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 100)
  givenName!: string;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  @Matches(KANA)
  familyNameKana!: string | null;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  @Matches(KANA)
  givenNameKana!: string | null;

  @Transform(lowerCase)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  departmentId!: string | null;

  @IsIn(EMPLOYMENT_TYPES)
  employmentType!: EmploymentType;

  @IsIn(EMPLOYMENT_STATUSES)
  status!: EmploymentStatus;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsCalendarDate()
  joinedOn!: string | null;

  @Transform(asList)
  @IsArray()
  @IsIn(PAGE_ROLES, { each: true })
  roles: (typeof PAGE_ROLES)[number][] = [];

  /** sent when the form shows the roles (not on one's own page): without it the roles stay as they are */
  @IsOptional()
  @IsIn(['1'])
  rolesShown?: '1';
}

/** The confirmation step of retiring someone: the day they leave (today when empty). */
export class StaffRetireForm {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  leftOn?: string;
}
