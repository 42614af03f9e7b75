import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LOCALES, type Locale } from '../../common/locale.js';
import { INDICATOR_STATUSES, type IndicatorStatus } from '../indicator-status.js';
import { YearCloseSummaryView } from './indicators.dto.js';

export const ANNUAL_REPORT_FORMATS = ['json', 'xlsx', 'csv'] as const;
export type AnnualReportFormat = (typeof ANNUAL_REPORT_FORMATS)[number];

export class AnnualReportQuery {
  @ApiProperty({ example: 2022, minimum: 2000, maximum: 2100, description: 'the fiscal year (April–March, named by the year it starts)' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiPropertyOptional({ enum: ANNUAL_REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(ANNUAL_REPORT_FORMATS)
  format?: AnnualReportFormat;

  @ApiPropertyOptional({ enum: LOCALES, description: "language of the headers and words (default: the reader's language setting, else ja)" })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

/** A fiscal year named both ways. */
export class YearLabelsView {
  @ApiProperty({ example: '令和4年度' }) era!: string;
  @ApiProperty({ example: '2022年度' }) western!: string;
  @ApiProperty({ example: '令和4年度（2022年度）' }) ja!: string;
  @ApiProperty({ example: 'FY2022 (April 2022 – March 2023)' }) en!: string;
}

export class AnnualIndicatorView {
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) titleEn!: string | null;
  @ApiProperty({ example: 'III-2' }) planItem!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() direction!: string;
  @ApiProperty({ enum: ['computed', 'manual'] }) source!: 'computed' | 'manual';
  @ApiProperty({ type: Number, nullable: true }) target!: number | null;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ enum: INDICATOR_STATUSES }) status!: IndicatorStatus;
  @ApiProperty({ description: 'taken from the year’s close' }) frozen!: boolean;
  @ApiProperty({ description: 'frozen and the records now give another value (currentValue): the records have changed since the close' })
  changedSinceClose!: boolean;
  @ApiProperty({ type: Number, nullable: true }) currentValue!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'last year’s target' }) previousTarget!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'last year’s value' }) previousValue!: number | null;
  @ApiProperty({ enum: INDICATOR_STATUSES, description: 'last year’s status' }) previousStatus!: IndicatorStatus;
  @ApiProperty({ type: String, nullable: true }) sourceNote!: string | null;
}

export class CountByView {
  @ApiProperty() key!: string;
  @ApiProperty() count!: number;
}

export class AnnualCourseView {
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) titleEn!: string | null;
  @ApiProperty() kind!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() enrolled!: number;
  @ApiProperty() exempt!: number;
  @ApiProperty() completed!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'completed ÷ (enrolled − exempt), a percentage to 1 decimal' }) rate!: number | null;
}

export class AnnualMailDrillView {
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) titleEn!: string | null;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() recipients!: number;
  @ApiProperty() reported!: number;
  @ApiProperty() clicked!: number;
}

export class AnnualAuditView {
  @ApiProperty() reference!: string;
  @ApiProperty() title!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date' }) plannedStart!: string;
  @ApiProperty({ format: 'date' }) plannedEnd!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) reportedOn!: string | null;
  @ApiProperty({ description: 'findings raised by severity: {high, medium, low}' }) findings!: Record<string, number>;
}

export class AnnualFindingsView {
  @ApiProperty({ description: 'findings of the fiscal year (any source)' }) raised!: number;
  @ApiProperty() verified!: number;
  @ApiProperty({ description: 'not verified yet' }) open!: number;
}

export class AnnualReviewView {
  @ApiProperty() policy!: string;
  @ApiProperty({ type: String, nullable: true }) policyEn!: string | null;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ format: 'date' }) reviewedOn!: string;
  @ApiProperty({ enum: ['no_change', 'revise'] }) outcome!: string;
}

export class AnnualPlanView {
  @ApiProperty({ type: Number, nullable: true, description: 'the version in force at the year’s end (null: none approved)' }) version!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) approvedOn!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) nextReviewDue!: string | null;
  @ApiProperty({ description: 'approved and within its review interval at the year’s end' }) inForce!: boolean;
}

export class AnnualDrillView {
  @ApiProperty() title!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() status!: string;
  @ApiProperty() invited!: number;
  @ApiProperty() present!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'present ÷ invited, a percentage to 1 decimal' }) attendanceRate!: number | null;
  @ApiProperty() stepsOnTime!: number;
  @ApiProperty() stepsLate!: number;
  @ApiProperty() stepsNotDone!: number;
}

export class AnnualPlanItemsView {
  @ApiProperty({ type: [CountByView], description: 'III-1: controls by status at the year’s end (or today)' }) controls!: CountByView[];
  @ApiProperty({ type: [AnnualCourseView], description: 'III-2: courses due in the year (targeted-mail drills apart)' }) courses!: AnnualCourseView[];
  @ApiProperty({ type: [AnnualMailDrillView], description: 'III-2: targeted-mail drills of the year' }) mailDrills!: AnnualMailDrillView[];
  @ApiProperty({ type: [AnnualAuditView], description: 'III-3: audits and self-inspections of the year' }) audits!: AnnualAuditView[];
  @ApiProperty({ type: AnnualFindingsView, description: 'III-3: findings of the year' }) findings!: AnnualFindingsView;
  @ApiProperty({ type: [AnnualReviewView], description: 'III-4: policy reviews recorded in the year' }) reviews!: AnnualReviewView[];
  @ApiProperty({ type: [CountByView], description: 'III-4: incidents of the year by severity (L1–L3, unassessed as "unassessed"), rejected left out' })
  incidents!: CountByView[];
  @ApiProperty({ description: 'III-4: near misses (L0) of the year, apart' }) nearMisses!: number;
  @ApiProperty({ type: AnnualPlanView, description: 'III-5: the response plan at the year’s end' }) plan!: AnnualPlanView;
  @ApiProperty({ type: [AnnualDrillView], description: 'III-5: drills of the year' }) drills!: AnnualDrillView[];
}

export class AnnualReportView {
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ type: YearLabelsView }) labels!: YearLabelsView;
  @ApiProperty({ type: YearLabelsView }) previousLabels!: YearLabelsView;
  @ApiProperty({ format: 'date', description: 'the day the figures are as of (a closed year: its close’s)' }) asOf!: string;
  @ApiProperty() yearOver!: boolean;
  @ApiProperty({ type: YearCloseSummaryView, nullable: true, description: 'the close in force (when, the audit trail’s head hash)' })
  closed!: YearCloseSummaryView | null;
  @ApiProperty({ type: YearCloseSummaryView, nullable: true, description: 'last year’s close in force' }) previousClosed!: YearCloseSummaryView | null;
  @ApiProperty({ description: 'some frozen value differs from what the records give now' }) changedSinceClose!: boolean;
  @ApiProperty({ type: [AnnualIndicatorView] }) indicators!: AnnualIndicatorView[];
  @ApiProperty({ type: AnnualPlanItemsView, description: 'what was done per plan item III-1 … III-5, from the records as they are now' })
  planItems!: AnnualPlanItemsView;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}
