import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { ROLES, type Role } from '../../common/roles.js';
import { IsCalendarDate } from '../../common/validators.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../../staff/employment.js';
import { COURSE_KINDS, COURSE_STATUSES, type CourseKind, type CourseStatus } from '../course.entity.js';

export class CourseAudienceDto {
  @ApiPropertyOptional({ description: 'every active member of staff (the other criteria are then ignored)' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: 'people holding any of these roles' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true, message: `each of roles must be one of ${ROLES.join(', ')}` })
  roles?: Role[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'people of any of these departments' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'each of departmentIds must be a UUID' })
  departmentIds?: string[];

  @ApiPropertyOptional({ enum: EMPLOYMENT_TYPES, isArray: true, description: 'people of any of these employment types' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EMPLOYMENT_TYPES.length)
  @IsIn(EMPLOYMENT_TYPES, { each: true, message: `each of employmentTypes must be one of ${EMPLOYMENT_TYPES.join(', ')}` })
  employmentTypes?: EmploymentType[];

  @ApiPropertyOptional({ format: 'date', description: 'new hires: people who joined on or after this day' })
  @IsOptional()
  @IsCalendarDate()
  newHiresSince?: string;
}

export class QuizChoiceDto {
  @ApiProperty({ example: 'a' })
  @IsString()
  @Length(1, 40)
  id!: string;

  @ApiProperty({ example: '開かずに情報政策係へ報告する' })
  @IsString()
  @Length(1, 500)
  text!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  textEn?: string | null;
}

export class QuizQuestionDto {
  @ApiProperty({ example: 'q1' })
  @IsString()
  @Length(1, 40)
  id!: string;

  @ApiProperty({ example: '心当たりのない添付ファイル付きメールが届いたら？' })
  @IsString()
  @Length(1, 2000)
  text!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  textEn?: string | null;

  @ApiProperty({ type: [QuizChoiceDto], minItems: 2, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(2, { message: 'a question needs at least two choices' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => QuizChoiceDto)
  choices!: QuizChoiceDto[];

  @ApiProperty({ type: [String], description: 'the ids of the right choices' })
  @IsArray()
  @ArrayMinSize(1, { message: 'name at least one right choice' })
  @IsString({ each: true })
  correct!: string[];
}

export class QuizDto {
  @ApiProperty({ type: [QuizQuestionDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1, { message: 'a quiz needs at least one question' })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuizQuestionDto)
  questions!: QuizQuestionDto[];

  @ApiProperty({ minimum: 1, maximum: 100, example: 80, description: 'the pass mark in percent' })
  @IsInt()
  @Min(1)
  @Max(100)
  passMark!: number;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 100, description: 'attempts allowed (null or absent: no limit)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number | null;
}

export class ReminderSettingsDto {
  @ApiPropertyOptional({ type: [Number], example: [7, 1], description: 'days before the due date on which the person is reminded' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(365, { each: true })
  daysBefore?: number[];

  @ApiPropertyOptional({ description: 'remind the person on the due date' })
  @IsOptional()
  @IsBoolean()
  onDueDate?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 60, description: 'daily overdue reminders to the person, at most' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  overdueDailyLimit?: number;

  @ApiPropertyOptional({ description: 'tell the manager weekly of their people who are overdue' })
  @IsOptional()
  @IsBoolean()
  managerWeekly?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 365,
    description: 'tell the security office once this many days after the due date (null: never)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  securityOfficeAfterDays?: number | null;
}

export class CreateCourseDto {
  @ApiProperty({ example: 2022, minimum: 2000, maximum: 2100 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiProperty({ enum: COURSE_KINDS, example: 'e_learning' })
  @IsIn(COURSE_KINDS, { message: `kind must be one of ${COURSE_KINDS.join(', ')}` })
  kind!: CourseKind;

  @ApiProperty({ example: '情報セキュリティ研修（全職員）' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Information security training (all staff)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  titleEn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'the material, Markdown' })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  body?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  bodyEn?: string | null;

  @ApiProperty({ type: CourseAudienceDto, example: { all: true } })
  @ValidateNested()
  @Type(() => CourseAudienceDto)
  audience!: CourseAudienceDto;

  @ApiPropertyOptional({ format: 'date', description: 'the first day it can be taken (default: the day it is published, or the fiscal year’s first day)' })
  @IsOptional()
  @IsCalendarDate()
  opensOn?: string;

  @ApiProperty({ format: 'date', example: '2022-12-28' })
  @IsCalendarDate()
  dueDate!: string;

  @ApiPropertyOptional({ type: QuizDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuizDto)
  quiz?: QuizDto | null;

  @ApiPropertyOptional({ description: 'the statement people tick to complete (default: a plain one in Japanese)' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  statement?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  statementEn?: string | null;

  @ApiPropertyOptional({ type: ReminderSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReminderSettingsDto)
  reminders?: ReminderSettingsDto;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'targeted-mail drill: the course people who click without reporting are enrolled in',
  })
  @IsOptional()
  @IsUUID()
  followUpCourseId?: string | null;
}

export class UpdateCourseDto extends PartialType(CreateCourseDto) {}

export class RepeatCourseDto {
  @ApiProperty({ example: 2023, description: 'the fiscal year of the copy; its dates move by the same number of years' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;
}

export class CourseQuery extends PageQuery {
  @ApiPropertyOptional({ example: 2022 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({ enum: COURSE_KINDS })
  @IsOptional()
  @IsIn(COURSE_KINDS)
  kind?: CourseKind;

  @ApiPropertyOptional({ enum: COURSE_STATUSES })
  @IsOptional()
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;
}
