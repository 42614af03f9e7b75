import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { AUDIT_KINDS, AUDIT_STATUSES, type AuditKind, type AuditStatus } from '../../audits/audit.entity.js';
import { IsCalendarDate } from '../../common/validators.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** A number typed or chosen in a form: blank is none, anything else is read (junk fails the integer check). */
const number = ({ value }: { value: unknown }) =>
  typeof value !== 'string' ? value : value.trim() === '' ? undefined : Number(value.normalize('NFKC').trim());
/** Checkboxes: absent when none is ticked, a string for one, a list for several. */
const asList = ({ value }: { value: unknown }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);
/** Chapters ticked: numbers. */
const asNumbers = (arg: { value: unknown }) => (asList(arg) as unknown[]).map((v) => (typeof v === 'string' ? Number(v) : v));

/** The filters of the audit plan list: the fiscal year (absent: the current one; `all`: every year), kind and status. */
export class AuditListQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^(all|\d{4})$/)
  fiscalYear?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(AUDIT_KINDS)
  kind?: AuditKind;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(AUDIT_STATUSES)
  status?: AuditStatus;
}

/**
 * The plan form of /audits/new and /audits/:id/edit: a planned audit keeps its fiscal year and kind
 * (the form of a change has neither).
 */
export class AuditPlanForm {
  @IsOptional()
  @Transform(number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @IsOptional()
  @IsIn(AUDIT_KINDS)
  kind?: AuditKind;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 200)
  title!: string;

  @Transform(asNumbers)
  @IsArray()
  @ArrayMaxSize(9)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(9, { each: true })
  chapters: number[] = [];

  @IsOptional()
  @IsIn(['1'])
  essentialOnly?: '1';

  /** 「すべて選択」: every open department (the page service expands it), whatever boxes were ticked */
  @IsOptional()
  @IsIn(['1'])
  allDepartments?: '1';

  @ValidateIf((form: AuditPlanForm) => form.allDepartments !== '1')
  @Transform(asList)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  departmentIds: string[] = [];

  @Transform(blankToUndefined)
  @IsUUID('all')
  leadAuditorId!: string;

  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  auditorIds: string[] = [];

  @Transform(blankToUndefined)
  @IsCalendarDate()
  plannedStart!: string;

  @Transform(blankToUndefined)
  @IsCalendarDate()
  plannedEnd!: string;
}

/** 報告へ進める (and 要旨を保存する): the auditors' notes on the whole audit. */
export class AuditSummaryForm {
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  summary?: string;
}
