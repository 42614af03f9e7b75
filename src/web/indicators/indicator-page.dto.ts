import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';

/** The year and the day of the dashboard and an indicator's page (absent: the current year, today). */
export class IndicatorYearQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^20\d\d$/)
  fiscalYear?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  asOf?: string;
}

/** 値を入力する: a manual indicator's value (a number as typed), where it comes from, the day it was measured. */
export class IndicatorValueForm {
  @Transform(blankToUndefined)
  @Matches(/^\d{1,13}(\.\d{1,2})?$/)
  value!: string;

  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 1000)
  sourceNote!: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsCalendarDate()
  measuredOn?: string;
}

/** 年度を締める: an optional note. */
export class YearCloseForm {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** 締めを解除する: the reason, required. */
export class YearReopenForm {
  @Transform(blankToUndefined)
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
