import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import {
  FINDING_SEVERITIES,
  FINDING_SOURCES,
  FINDING_STATUSES,
  type FindingSeverity,
  type FindingSource,
  type FindingStatus,
} from '../../findings/finding.entity.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** A text kept as typed (line ends included), trimmed only to decide whether it is empty. */
const textOrUndefined = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : value);
/** Ticked checkboxes: none → [], one → ['id'], several → ['id', …]. */
const ticked = ({ value }: { value: unknown }) => (value === undefined || value === '' ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== ''));
/** A year typed or chosen: blank is none. */
const yearOrUndefined = ({ value }: { value: unknown }) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : Number(value.trim()));

/** The findings board's GET filter form; empty fields mean "any". */
export class FindingBoardQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(FINDING_STATUSES)
  status?: FindingStatus;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(FINDING_SEVERITIES)
  severity?: FindingSeverity;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(FINDING_SOURCES)
  source?: FindingSource;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  department?: string;

  @IsOptional()
  @Transform(yearOrUndefined)
  @IsInt()
  @Min(2000)
  @Max(2200)
  fiscalYear?: number;

  /** only those past their due date and not verified */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['true'])
  overdue?: 'true';

  /** only those with a corrective action reported done and waiting for verification */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['true'])
  awaiting?: 'true';

  /** only those raised by this record (an audit's findings, from its page and the audit list) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  sourceId?: string;

  /** show the verified ones too (by default the board leaves them out unless the status asks for them) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['true'])
  verified?: 'true';
}

/** The carried-over tab: the fiscal year carried into (default: the current one). */
export class CarriedOverPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(yearOrUndefined)
  @IsInt()
  @Min(2000)
  @Max(2200)
  fiscalYear?: number;
}

/** Raising a finding by hand (/findings/new). */
export class FindingRaiseForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 300)
  title!: string;

  @IsOptional()
  @Transform(textOrUndefined)
  @IsString()
  @MaxLength(10000)
  description?: string;

  @IsIn(FINDING_SEVERITIES)
  severity!: FindingSeverity;

  @Transform(blankToUndefined)
  @IsUUID('all')
  ownerDepartmentId!: string;

  /** empty: by severity */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate?: string;

  @Transform(ticked)
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  controlIds: string[] = [];
}

/** Planning a corrective action on a finding's page. */
export class FindingPlanForm {
  @Transform(textOrUndefined)
  @IsString()
  @Length(1, 2000)
  description!: string;

  @Transform(blankToUndefined)
  @IsUUID('all')
  assigneeId!: string;

  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate!: string;
}

/** 完了を報告: what was done (the verifier reads it). */
export class FindingDoneForm {
  @Transform(textOrUndefined)
  @IsString()
  @Length(1, 5000)
  note!: string;

  /** when reopening: a new due date for the action (blank: the one it had) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate?: string;
}

/** 確認する / 差し戻す: the button pressed, and what was checked or why it goes back. */
export class FindingVerifyForm {
  @IsIn(['verify', 'reopen'])
  verdict!: 'verify' | 'reopen';

  @Transform(textOrUndefined)
  @IsString()
  @Length(1, 5000)
  note!: string;

  /** when reopening: a new due date for the action (blank: the one it had) */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate?: string;
}
