import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { FINDING_SEVERITIES, type FindingSeverity } from '../../findings/finding.entity.js';
import { blankToUndefined } from '../web-query.dto.js';

/** `2026-05-01T14:30` as the browser's datetime-local input sends it (Asia/Tokyo), seconds optional. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** The form that records an external report sent (one per unsent report on the checklist). */
export class RecordSentForm {
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(LOCAL_DATE_TIME)
  sentAt?: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 300)
  sentTo!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 100)
  sentVia!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(5000)
  note?: string;
}

const list = ({ value }: { value: unknown }): unknown => (value === undefined || value === '' ? undefined : Array.isArray(value) ? value : [value]);

/**
 * The review form: the four texts, and optionally one finding (raised when it has a title) with one
 * corrective action (planned when it has a description); the assignee by employee number.
 */
export class ReviewForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 10000)
  cause!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 10000)
  whatWorked!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 10000)
  whatDidNot!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 10000)
  lessons!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(300)
  findingTitle?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(10000)
  findingDescription?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(FINDING_SEVERITIES)
  severity?: FindingSeverity;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  ownerDepartmentId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  dueDate?: string;

  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  controlIds?: string[];

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(2000)
  actionDescription?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(32)
  assignee?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  actionDueDate?: string;
}
