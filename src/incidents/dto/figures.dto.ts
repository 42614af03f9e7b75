import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LOCALES, type Locale } from '../../common/locale.js';
import { INCIDENT_CATEGORIES, SEVERITIES, type IncidentCategory, type Severity } from '../incident.entity.js';

/** What the incident figures are grouped by. */
export const INCIDENT_FIGURE_GROUPS = ['severity', 'category', 'department'] as const;
export type IncidentFigureGroup = (typeof INCIDENT_FIGURE_GROUPS)[number];

/** The fiscal year of the figures (the fiscal year of each report, Asia/Tokyo). */
export class IncidentFiguresFilter {
  @ApiProperty({
    example: 2022,
    minimum: 2000,
    maximum: 2100,
    description: 'the fiscal year of the reports (April–March, named by the year it starts: 2022 = 令和4年度)',
  })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;
}

export class IncidentFiguresQuery extends IncidentFiguresFilter {
  @ApiPropertyOptional({
    enum: INCIDENT_FIGURE_GROUPS,
    default: 'severity',
    description:
      'a row per severity (null: not triaged yet), per category (null: not triaged yet) or per department where it happened (null: none, e.g. a resident’s report)',
  })
  @IsOptional()
  @IsIn(INCIDENT_FIGURE_GROUPS)
  groupBy: IncidentFigureGroup = 'severity';
}

/** The export: every grouping, a sheet each, in the reader's language. */
export class IncidentFiguresExportQuery extends IncidentFiguresFilter {
  @ApiPropertyOptional({ enum: LOCALES, description: "language of the headers and words (default: the reader's language setting, else ja)" })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

/** How long something took from the report, over the incidents that got there. */
@ApiSchema({ description: 'A duration from the report (minutes): how many incidents got there, the median and the 90th percentile (percentile_cont)' })
export class DurationFiguresView {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'incidents that got there (the durations measured)' })
  measured!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, example: 42.5, description: 'median in minutes, to 0.1 (null: none measured)' })
  medianMinutes!: number | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, example: 180, description: '90th percentile in minutes (continuous), to 0.1 (null: none measured)' })
  p90Minutes!: number | null;
}

/** The counts and durations of a row of figures. */
@ApiSchema({
  description:
    'Incident counts: incidents (not near misses, not rejected), near misses apart (never in the incident counts), rejected reports (left out of everything else), ' +
    'counted = what the indicator counts (severity in the configured list, default L1–L3; not rejected, not a near miss)',
})
export class IncidentCountsView {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'incidents: not near misses, not rejected (triaged or not)' })
  incidents!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'the indicator’s count: incidents of a counted severity (countedSeverities)' })
  counted!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'of the incidents, still open (not closed)' })
  open!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'near misses (ヒヤリハット), not rejected: severity L0, or ticked as a near miss by the reporter and not yet triaged',
  })
  nearMisses!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'rejected reports (not an incident, duplicates): left out of every other figure' })
  rejected!: number;

  @ApiProperty({ type: DurationFiguresView, description: 'acknowledgedAt − reportedAt, over the incidents acknowledged' })
  timeToAcknowledge!: DurationFiguresView;

  @ApiProperty({ type: DurationFiguresView, description: 'containedAt − reportedAt, over the incidents contained' })
  timeToContain!: DurationFiguresView;

  @ApiProperty({ type: DurationFiguresView, description: 'closedAt − reportedAt, over the incidents closed' })
  timeToClose!: DurationFiguresView;
}

/** One row of incident figures; the fields of its grouping say what it is about. */
@ApiSchema({ description: 'A row of incident figures: the fields of its grouping, then the counts and durations' })
export class IncidentFiguresRowView extends IncidentCountsView {
  @ApiPropertyOptional({ type: String, enum: SEVERITIES, nullable: true, description: 'groupBy=severity (null: not triaged yet)' })
  severity?: Severity | null;

  @ApiPropertyOptional({ type: String, enum: INCIDENT_CATEGORIES, nullable: true, description: 'groupBy=category (null: not triaged yet)' })
  category?: IncidentCategory | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'groupBy=department: where it happened (null: none)' })
  departmentId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  departmentCode?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  departmentName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  departmentNameEn?: string | null;
}

@ApiSchema({ description: 'Incident figures of a fiscal year, grouped, with the total' })
export class IncidentFiguresView {
  @ApiProperty({ type: 'integer', example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ enum: INCIDENT_FIGURE_GROUPS })
  groupBy!: IncidentFigureGroup;

  @ApiProperty({ enum: ['all', 'department'], description: "all: every department; department: the reader's own (a manager)" })
  scope!: 'all' | 'department';

  @ApiProperty({
    enum: SEVERITIES,
    isArray: true,
    example: ['L1', 'L2', 'L3'],
    description: 'the severities the indicator counts (INCIDENT_COUNTED_SEVERITIES)',
  })
  countedSeverities!: Severity[];

  @ApiProperty({ type: [IncidentFiguresRowView], description: 'the rows with at least one report' })
  items!: IncidentFiguresRowView[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many rows' })
  total!: number;

  @ApiProperty({ type: IncidentCountsView, description: 'the whole fiscal year (of the scope)' })
  totals!: IncidentCountsView;
}
