import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { LOCALES, type Locale } from '../../common/locale.js';
import { PageQuery } from '../../common/pagination.js';
import { ROLES, type Role } from '../../common/roles.js';
import { IsCalendarDate } from '../../common/validators.js';
import { EMPLOYMENT_TYPES, type EmploymentType } from '../../staff/employment.js';
import { COURSE_KINDS, type CourseKind } from '../course.entity.js';
import { EXEMPTION_KINDS, type ExemptionKind } from '../enrolment.entity.js';

/** What the completion figures are grouped by. */
export const COMPLETION_GROUPS = ['department', 'course', 'role', 'employment_type', 'fiscal_year'] as const;
export type CompletionGroup = (typeof COMPLETION_GROUPS)[number];

/** open: owed and not exempt; exempt: out of the denominator, listed apart. */
export const NOT_COMPLETED_STATES = ['open', 'exempt'] as const;
export type NotCompletedState = (typeof NOT_COMPLETED_STATES)[number];

/** The figures' filters, shared by the completion figures, the not-completed list and their exports. */
export class FiguresFilter {
  @ApiProperty({ example: 2022, minimum: 2000, maximum: 2100, description: 'the fiscal year (April–March, named by the year it starts: 2022 = 令和4年度)' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiPropertyOptional({
    format: 'date',
    example: '2023-03-31',
    description: 'the figures as at the end of this day in Asia/Tokyo (default: today, or 31 March when the fiscal year is over)',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'one course only' })
  @IsOptional()
  @IsUUID('all')
  courseId?: string;

  @ApiPropertyOptional({
    enum: COURSE_KINDS,
    description: 'one kind of course only (default: every kind but targeted_mail_drill, whose results are figures of their own)',
  })
  @IsOptional()
  @IsIn(COURSE_KINDS)
  kind?: CourseKind;
}

export class CompletionQuery extends FiguresFilter {
  @ApiPropertyOptional({
    enum: COMPLETION_GROUPS,
    default: 'department',
    description: 'a row per department (credited), course, role (a person under each role they hold), employment type, or one for the year',
  })
  @IsOptional()
  @IsIn(COMPLETION_GROUPS)
  groupBy: CompletionGroup = 'department';
}

/** The language of an export's headers and words. */
export class CompletionExportQuery extends CompletionQuery {
  @ApiPropertyOptional({ enum: LOCALES, description: "language of the headers and words (default: the reader's language setting, else ja)" })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

export class NotCompletedQuery extends PageQuery {
  @ApiProperty({ example: 2022, minimum: 2000, maximum: 2100, description: 'the fiscal year (April–March, named by the year it starts)' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiPropertyOptional({ format: 'date', description: 'as at the end of this day in Asia/Tokyo (default: today, or 31 March when the fiscal year is over)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'one department (credited) only' })
  @IsOptional()
  @IsUUID('all')
  departmentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'one course only' })
  @IsOptional()
  @IsUUID('all')
  courseId?: string;

  @ApiPropertyOptional({ enum: COURSE_KINDS, description: 'one kind of course only (default: every kind but targeted_mail_drill)' })
  @IsOptional()
  @IsIn(COURSE_KINDS)
  kind?: CourseKind;

  @ApiPropertyOptional({ enum: NOT_COMPLETED_STATES, default: 'open', description: 'open: still owed; exempt: the exempt, listed apart' })
  @IsOptional()
  @IsIn(NOT_COMPLETED_STATES)
  state: NotCompletedState = 'open';
}

export class NotCompletedExportQuery extends NotCompletedQuery {
  @ApiPropertyOptional({ enum: LOCALES, description: "language of the headers and words (default: the reader's language setting, else ja)" })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

/** The counts of a row of figures: completion = completed ÷ (enrolled − exempt). */
@ApiSchema({ description: 'Completion counts: rate = completed ÷ (enrolled − exempt)' })
export class CompletionCountsView {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'enrolled as of the date (withdrawn people who had not completed are out)' })
  enrolled!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'exempt as of the date (out of the denominator)' })
  exempt!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'completed by the date' })
  completed!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'of those completed, after their due day' })
  late!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    example: 0.9512,
    description: 'completed ÷ (enrolled − exempt), 4 decimals; null when nobody is owed',
  })
  rate!: number | null;
}

/** One row of completion figures; the fields of its grouping say what it is about. */
@ApiSchema({ description: 'A row of completion figures (DESIGN.md §6): the fields of its grouping, then the counts' })
export class CompletionRowView extends CompletionCountsView {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'groupBy=department: the department credited (null: none)' })
  departmentId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  departmentCode?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  departmentName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  departmentNameEn?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'groupBy=course' })
  courseId?: string;

  @ApiPropertyOptional()
  courseTitle?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  courseTitleEn?: string | null;

  @ApiPropertyOptional({ enum: COURSE_KINDS })
  courseKind?: CourseKind;

  @ApiPropertyOptional({ format: 'date' })
  dueDate?: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'groupBy=role' })
  role?: Role;

  @ApiPropertyOptional({ enum: EMPLOYMENT_TYPES, description: 'groupBy=employment_type' })
  employmentType?: EmploymentType;

  @ApiPropertyOptional({ type: 'integer', description: 'groupBy=fiscal_year' })
  fiscalYear?: number;
}

@ApiSchema({ description: 'Completion figures of a fiscal year as of a date, grouped, with the total' })
export class CompletionView {
  @ApiProperty({ type: 'integer', example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ format: 'date', description: 'the figures are as at the end of this day (Asia/Tokyo)' })
  asOf!: string;

  @ApiProperty({ enum: COMPLETION_GROUPS })
  groupBy!: CompletionGroup;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  courseId!: string | null;

  @ApiProperty({ enum: COURSE_KINDS, isArray: true, description: 'the kinds of course counted' })
  kinds!: CourseKind[];

  @ApiProperty({ enum: ['all', 'department'], description: "all: every department; department: the reader's own (a manager)" })
  scope!: 'all' | 'department';

  @ApiProperty({ type: [CompletionRowView] })
  items!: CompletionRowView[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many rows' })
  total!: number;

  @ApiProperty({ type: CompletionCountsView, description: 'the whole (a person with several roles counts once here)' })
  totals!: CompletionCountsView;
}

@ApiSchema({ description: 'An enrolment not completed as of the date: who, which course, due when' })
export class NotCompletedRowView {
  @ApiProperty({ format: 'uuid' })
  enrolmentId!: string;

  @ApiProperty({ format: 'uuid' })
  staffId!: string;

  @ApiProperty()
  employeeNumber!: string;

  @ApiProperty({ example: '山田 花子' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameKana!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the department credited' })
  departmentId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentNameEn!: string | null;

  @ApiProperty({ format: 'uuid' })
  courseId!: string;

  @ApiProperty()
  courseTitle!: string;

  @ApiProperty({ type: String, nullable: true })
  courseTitleEn!: string | null;

  @ApiProperty({ enum: COURSE_KINDS })
  courseKind!: CourseKind;

  @ApiProperty({ format: 'date', description: "this person's due day" })
  dueDate!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'days past the due day as of the date (0: not overdue)' })
  overdueDays!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'state=exempt: since when' })
  exemptAt!: string | null;

  @ApiProperty({ type: String, enum: EXEMPTION_KINDS, nullable: true })
  exemptionKind!: ExemptionKind | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'state=exempt: the reason given (the security office and the CISO only)' })
  exemptionReason?: string | null;
}

@ApiSchema({ description: 'A page of the not-completed list (`?page=&pageSize=`)' })
export class NotCompletedPageView {
  @ApiProperty({ type: [NotCompletedRowView] })
  items!: NotCompletedRowView[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many match, over all pages' })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 200 })
  pageSize!: number;

  @ApiProperty({ type: 'integer' })
  fiscalYear!: number;

  @ApiProperty({ format: 'date' })
  asOf!: string;

  @ApiProperty({ enum: NOT_COMPLETED_STATES })
  state!: NotCompletedState;
}
