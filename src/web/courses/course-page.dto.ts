import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/roles.js';
import { IsCalendarDate, IsCalendarDateTime } from '../../common/validators.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../../staff/employment.js';
import { COURSE_KINDS, COURSE_STATUSES, type CourseKind, type CourseStatus } from '../../training/course.entity.js';
import { EXEMPTION_KINDS, type ExemptionKind } from '../../training/enrolment.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** An empty field of a form that changes a record means "none". */
const blankToNull = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? null : value.trim());
/** A number typed into a text field: blank is none, anything else is read (junk fails the integer check). */
const number =
  (blank: null | undefined) =>
  ({ value }: { value: unknown }) =>
    typeof value !== 'string' ? value : value.trim() === '' ? blank : Number(value.normalize('NFKC').trim());
/** checkboxes and multiple selects: absent when none is chosen, a string for one, a list for several */
const asList = ({ value }: { value: unknown }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);
/** Markdown and statements keep their text as typed (ends of lines included); only an empty one is none. */
const textOrNull = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? null : value);

/** The course form of /training/courses/new and …/:id/edit (a published course's form has no fiscal year, kind or audience). */
export class CourseForm {
  @IsOptional()
  @Transform(number(undefined))
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @IsOptional()
  @IsIn(COURSE_KINDS)
  kind?: CourseKind;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  title!: string;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 200)
  titleEn!: string | null;

  @Transform(textOrNull)
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(200_000)
  body?: string | null;

  @Transform(textOrNull)
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(200_000)
  bodyEn?: string | null;

  /** 全職員 or 対象を絞る */
  @IsOptional()
  @IsIn(['all', 'some'])
  audienceMode?: 'all' | 'some';

  @Transform(asList)
  @IsArray()
  @IsIn(ROLES, { each: true })
  roles: Role[] = [];

  @Transform(asList)
  @IsArray()
  @IsUUID('all', { each: true })
  departmentIds: string[] = [];

  @Transform(asList)
  @IsArray()
  @IsIn(EMPLOYMENT_TYPES, { each: true })
  employmentTypes: EmploymentType[] = [];

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  newHiresSince?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  opensOn?: string;

  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate!: string;

  /** the quiz in the form's text format (quiz-text.ts); empty: no quiz */
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  quiz?: string;

  @IsOptional()
  @Transform(number(undefined))
  @IsInt()
  @Min(1)
  @Max(100)
  passMark?: number;

  @Transform(number(null))
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number | null;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 4000)
  statement?: string;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @Length(1, 4000)
  statementEn?: string | null;

  /** days before the due date, e.g. 「7, 1」 */
  @IsOptional()
  @IsString()
  @Matches(/^[\s,、，]*(\d{1,3}[\s,、，]*){0,10}$/)
  daysBefore?: string;

  @IsOptional()
  @IsIn(['1'])
  onDueDate?: '1';

  @Transform(number(undefined))
  @IsInt()
  @Min(0)
  @Max(60)
  overdueDailyLimit!: number;

  @IsOptional()
  @IsIn(['1'])
  managerWeekly?: '1';

  @Transform(number(null))
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(365)
  securityOfficeAfterDays?: number | null;

  @Transform(blankToNull)
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  followUpCourseId?: string | null;
}

/** The list's filters. */
export class CourseListQuery extends WebPageQuery {
  @IsOptional()
  @Transform(number(undefined))
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(COURSE_KINDS)
  kind?: CourseKind;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;
}

/** 免除する: a person by employee number, the kind and the reason; optionally every open course of the fiscal year. */
export class ExemptionForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 64)
  employeeNumber!: string;

  @IsIn(EXEMPTION_KINDS)
  kind!: ExemptionKind;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @IsOptional()
  @IsIn(['1'])
  wholeYear?: '1';
}

/** 出席を記録する: employee numbers pasted one per line, and when the session was held. */
export class AttendanceForm {
  @IsOptional()
  @IsString()
  @MaxLength(400_000)
  employeeNumbers?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDateTime()
  attendedAt?: string;
}

/** The CSV form: the file's field is `file`; the session's time has its own id on the page. */
export class AttendanceCsvForm {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDateTime()
  csvAttendedAt?: string;
}
