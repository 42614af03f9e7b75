import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { INDICATOR_DIRECTIONS, INDICATOR_UNITS, type IndicatorDirection, type IndicatorUnit } from '../indicator.entity.js';
import { INDICATOR_STATUSES, type IndicatorStatus } from '../indicator-status.js';

const FISCAL_YEAR = 'the fiscal year (April–March, named by the year it starts)';

export class IndicatorsQuery {
  @ApiPropertyOptional({ example: 2022, minimum: 2000, maximum: 2100, description: `${FISCAL_YEAR}; default the current one` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({
    format: 'date',
    description: 'the records as they stood at the end of this day (Asia/Tokyo); default today. A closed year ignores it',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class IndicatorRecordsQuery extends IndicatorsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** A value of a manual indicator: the figure and where it comes from. */
export class ManualValueDto {
  @ApiProperty({ example: 4620, description: 'the figure (a percentage as 0–100; yes/no as 1 or 0)' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e12)
  value!: number;

  @ApiProperty({ example: 'LINE公式アカウント管理画面「友だち数」2023年3月31日時点', maxLength: 1000, description: 'where the figure comes from (required)' })
  @IsString()
  @Length(1, 1000, { message: 'sourceNote must say where the figure comes from (1–1000 characters)' })
  sourceNote!: string;

  @ApiPropertyOptional({ format: 'date', description: 'the day the figure refers to; default the year’s last day, or today while the year runs' })
  @IsOptional()
  @IsCalendarDate()
  measuredOn?: string;
}

export class CloseYearDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'a note kept with the close (e.g. the committee meeting that reviewed the year)' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class ReopenYearDto {
  @ApiProperty({ maxLength: 2000, description: 'why the closed year is opened again (required)' })
  @IsString()
  @Length(1, 2000, { message: 'reason must say why the year is opened again (1–2000 characters)' })
  reason!: string;
}

// ---------------------------------------------------------------- views

export class IndicatorRowView {
  @ApiProperty({ example: 'training_completion' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) titleEn!: string | null;
  @ApiProperty() definition!: string;
  @ApiProperty({ type: String, nullable: true }) definitionEn!: string | null;
  @ApiProperty({ enum: INDICATOR_UNITS }) unit!: IndicatorUnit;
  @ApiProperty({ enum: INDICATOR_DIRECTIONS }) direction!: IndicatorDirection;
  @ApiProperty({ example: 'III-2' }) planItem!: string;
  @ApiProperty({ enum: ['computed', 'manual'] }) source!: 'computed' | 'manual';
  @ApiProperty({ type: Number, nullable: true, description: 'the target of the year (null: none set)' }) target!: number | null;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ enum: INDICATOR_STATUSES }) status!: IndicatorStatus;
  @ApiProperty({ description: 'taken from the year’s close (the records may have changed since)' }) frozen!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'e.g. completed enrolments' }) numerator!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'e.g. enrolments owed (enrolled − exempt)' }) denominator!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'where the year ends if what is pending happens on time (computed, year in progress)' })
  projected!: number | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, description: 'the parts of the figure' })
  details?: Record<string, number>;
  @ApiProperty({ description: 'frozen rows: the records have changed since the close (value, numerator or denominator differ)' })
  changedSinceClose!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'frozen rows whose records changed: what the records give now' })
  currentValue!: number | null;
  @ApiProperty({ type: Object, nullable: true, description: '{fiscalYear, value} the plan started from' }) baseline!: {
    fiscalYear: number;
    value: number;
  } | null;
  @ApiProperty({ type: String, nullable: true, description: 'manual: where the value comes from' }) sourceNote!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'manual: the day the value refers to' }) measuredOn!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'manual: when it was entered' }) enteredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'manual: when the next value is due' }) nextValueDue!: string | null;
  @ApiProperty({ description: 'manual: the next value is overdue' }) stale!: boolean;
}

export class YearCloseSummaryView {
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ format: 'date-time' }) closedAt!: string;
  @ApiProperty({ type: String, nullable: true }) closedBy!: string | null;
  @ApiProperty({ format: 'date', description: 'the day the frozen figures were taken as of' }) asOf!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the audit trail’s head (seq) when the year was closed' }) auditTrailSeq!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the audit trail’s head hash when the year was closed' }) auditTrailHash!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) reopenedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) reopenedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) reopenReason!: string | null;
}

export class IndicatorsView {
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ format: 'date', description: 'the day the figures are as of (a closed year: its close’s)' }) asOf!: string;
  @ApiProperty({ description: 'the year is over at that day' }) yearOver!: boolean;
  @ApiProperty({ type: YearCloseSummaryView, nullable: true, description: 'the close in force, when the year is closed' }) closed!: YearCloseSummaryView | null;
  @ApiProperty({ type: [IndicatorRowView] }) items!: IndicatorRowView[];
  @ApiProperty() total!: number;
}

export class IndicatorHistoryYearView {
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ type: Number, nullable: true }) target!: number | null;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ enum: INDICATOR_STATUSES }) status!: IndicatorStatus;
  @ApiProperty() frozen!: boolean;
}

export class CountedRecordView {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) on!: string | null;
  @ApiProperty({ description: 'why it is listed: counted, held, planned, not_completed, overdue, late, on_time, approved, draft, a control status' })
  state!: string;
  @ApiProperty({ description: 'incident, enrolment, mail_drill, audit, finding, policy, control, plan_version, drill' }) kind!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the id to link to (an enrolment links to its person)' }) linkId!: string | null;
}

export class ManualValueEntryView {
  @ApiProperty() id!: string;
  @ApiProperty() fiscalYear!: number;
  @ApiProperty() value!: number;
  @ApiProperty() sourceNote!: string;
  @ApiProperty({ format: 'date' }) measuredOn!: string;
  @ApiProperty({ type: String, nullable: true }) enteredBy!: string | null;
  @ApiProperty({ format: 'date-time' }) enteredAt!: string;
}

export class IndicatorDetailView {
  @ApiProperty({ type: IndicatorRowView }) indicator!: IndicatorRowView;
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ type: [IndicatorHistoryYearView], description: 'every fiscal year from the first target (or the baseline) to this one' })
  history!: IndicatorHistoryYearView[];
  @ApiProperty({ type: [CountedRecordView], description: 'computed: the records behind the figure (or those keeping it from its target)' })
  records!: CountedRecordView[];
  @ApiProperty({ description: 'the records are not shown to this reader (the module they belong to does not let them see them); the figure is' })
  recordsHidden!: boolean;
  @ApiProperty({ type: [ManualValueEntryView], description: 'manual: every value entered for the year, newest first' })
  entries!: ManualValueEntryView[];
}

export class FiscalYearView {
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ description: 'the year is over (today is after 31 March)' }) over!: boolean;
  @ApiProperty({ type: YearCloseSummaryView, nullable: true }) closed!: YearCloseSummaryView | null;
  @ApiProperty({ type: [YearCloseSummaryView], description: 'earlier closes that were reopened, newest first' }) reopened!: YearCloseSummaryView[];
}
