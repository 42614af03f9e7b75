import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { NOT_COMPLETED_STATES, type NotCompletedState } from '../../training/dto/figures.dto.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The completion board's GET form (and its export links); empty fields mean the defaults. */
export class CompletionPageQuery extends WebPageQuery {
  /** default: the current fiscal year */
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  /** default: today, or 31 March of a fiscal year that is over */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  asOf?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  courseId?: string;
}

/** The not-completed list's GET form: the board's, a department and open or exempt. */
export class NotCompletedPageQuery extends CompletionPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all')
  departmentId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(NOT_COMPLETED_STATES)
  state?: NotCompletedState;
}

/** The filters the pages keep in their links (pagination, exports, between the two pages). */
export const COMPLETION_FILTERS = ['fiscalYear', 'asOf', 'courseId'] as const;
export const NOT_COMPLETED_FILTERS = ['fiscalYear', 'asOf', 'courseId', 'departmentId', 'state'] as const;
