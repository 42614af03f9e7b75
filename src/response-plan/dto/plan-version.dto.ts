import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ROLES } from '../../common/roles.js';
import { RESPONSE_PHASES } from '../../incidents/incident-task.entity.js';
import { RESPONSE_PLAN_VERSION_STATUSES, type ResponsePlanVersionStatus } from '../response-plan-version.entity.js';

/** The longest plan text and change note taken in the app. */
export const MAX_PLAN_TEXT = 200_000;
export const MAX_PLAN_CHANGE_NOTE = 2000;
/** Steps' target minutes: at most 90 days, as in the files. */
const MAX_TARGET_MINUTES = 60 * 24 * 90;

// ---------------------------------------------------------------- input

/** The plan's text edited in the app (the security office): it goes into the draft version. */
export class PlanDraftDto {
  @ApiProperty({ description: 'the plan’s text (Markdown), without front matter', maxLength: MAX_PLAN_TEXT })
  @IsString()
  @Length(1, MAX_PLAN_TEXT)
  body!: string;

  @ApiProperty({ description: 'why it changes', maxLength: MAX_PLAN_CHANGE_NOTE })
  @IsString()
  @Length(1, MAX_PLAN_CHANGE_NOTE)
  changeNote!: string;
}

export class StepReportDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  to!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  toEn?: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  what!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  whatEn?: string;
}

/** A step of a playbook edited in the app: the same shape as in the scenario files. */
export class PlaybookStepDto {
  @ApiProperty({ enum: RESPONSE_PHASES })
  @IsIn(RESPONSE_PHASES)
  phase!: string;

  @ApiProperty({ maxLength: 300 })
  @IsString()
  @Length(1, 300)
  action!: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  actionEn?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_TARGET_MINUTES, description: 'minutes from the start; never less than the step before' })
  @IsInt()
  @Min(0)
  @Max(MAX_TARGET_MINUTES)
  targetMinutes!: number;

  @ApiPropertyOptional({ type: StepReportDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepReportDto)
  report?: StepReportDto;
}

/** A scenario's playbook edited in the app: phases never go back, targets never decrease, every phase has a step. */
export class ScenarioDraftDto {
  @ApiProperty({ type: [PlaybookStepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlaybookStepDto)
  steps!: PlaybookStepDto[];

  @ApiProperty({ maxLength: MAX_PLAN_CHANGE_NOTE })
  @IsString()
  @Length(1, MAX_PLAN_CHANGE_NOTE)
  changeNote!: string;
}

/** A proposal from a drill to change one step of its scenario: its target, its wording, or both. */
export class DrillProposalDto {
  @ApiProperty({ minimum: 1, description: 'the step’s order in the scenario’s latest playbook' })
  @IsInt()
  @Min(1)
  @Max(100)
  position!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_TARGET_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TARGET_MINUTES)
  targetMinutes?: number;

  @ApiPropertyOptional({ maxLength: 300, description: 'the step’s new wording (Japanese)' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  action?: string;

  @ApiProperty({ maxLength: MAX_PLAN_CHANGE_NOTE, description: 'what the drill showed' })
  @IsString()
  @Length(1, MAX_PLAN_CHANGE_NOTE)
  reason!: string;
}

// ---------------------------------------------------------------- output

export class PersonRefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '守 花子' })
  name!: string;
}

export class PlanVersionSummaryView {
  @ApiProperty({ minimum: 1 })
  version!: number;

  @ApiProperty({ enum: RESPONSE_PLAN_VERSION_STATUSES })
  status!: ResponsePlanVersionStatus;

  @ApiProperty({ type: String, nullable: true })
  changeNote!: string | null;

  @ApiProperty({ type: PersonRefView, nullable: true, description: 'who opened the draft in the app (null: the file sync)' })
  draftedBy!: PersonRefView | null;

  @ApiProperty({ type: PersonRefView, nullable: true })
  approvedBy!: PersonRefView | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'set at approval: the day one review interval on' })
  nextReviewDue!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  supersededAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class StepFactsView {
  @ApiProperty()
  phase!: string;

  @ApiProperty()
  action!: string;

  @ApiProperty()
  role!: string;

  @ApiProperty()
  targetMinutes!: number;
}

export class ChangedStepView {
  @ApiProperty({ minimum: 1 })
  position!: number;

  @ApiProperty({ enum: ['changed', 'added', 'removed'] })
  change!: 'changed' | 'added' | 'removed';

  @ApiProperty({ type: StepFactsView, nullable: true })
  before!: StepFactsView | null;

  @ApiProperty({ type: StepFactsView, nullable: true })
  after!: StepFactsView | null;
}

export class ScenarioChangeView {
  @ApiProperty({ format: 'uuid' })
  scenarioId!: string;

  @ApiProperty()
  key!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'the revision in the version compared against (null: a new scenario)' })
  fromRevision!: number | null;

  @ApiProperty()
  toRevision!: number;

  @ApiProperty({ type: [ChangedStepView] })
  steps!: ChangedStepView[];
}

export class PlanVersionDetailView extends PlanVersionSummaryView {
  @ApiProperty({ description: 'the plan’s text (Markdown)' })
  body!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'plan.md’s front matter (reviewIntervalMonths, …)' })
  frontMatter!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'scenario id → the revision this version puts in force' })
  scenarioRevisions!: Record<string, number>;

  @ApiProperty({ type: Number, nullable: true, description: 'the approved version the diff and the changed steps compare against' })
  diffAgainst!: number | null;

  @ApiProperty({ description: 'unified line diff of the text against diffAgainst (empty: the same or nothing to compare)' })
  diff!: string;

  @ApiProperty({ type: [ScenarioChangeView] })
  scenarioChanges!: ScenarioChangeView[];
}

export class PlanInForceView {
  @ApiProperty({ minimum: 1 })
  version!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  approvedAt!: string;

  @ApiProperty({ type: PersonRefView, nullable: true })
  approvedBy!: PersonRefView | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  nextReviewDue!: string | null;

  @ApiProperty({ description: 'the next review is not overdue: nextReviewDue is today or later' })
  reviewedWithinInterval!: boolean;

  @ApiProperty({ description: 'the plan’s text (Markdown)' })
  body!: string;

  @ApiProperty({ type: String, nullable: true })
  changeNote!: string | null;
}

export class ResponsePlanView {
  @ApiProperty({ type: PlanInForceView, nullable: true, description: 'the latest approved version (null: none approved yet)' })
  inForce!: PlanInForceView | null;

  @ApiProperty({ description: 'a draft version awaits the CISO’s approval' })
  draftWaiting!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'the draft’s number, for those who read drafts' })
  draftVersion!: number | null;
}

export class PlanStatusView {
  @ApiProperty()
  approved!: boolean;

  @ApiProperty({ type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  nextReviewDue!: string | null;

  @ApiProperty()
  reviewedWithinInterval!: boolean;
}

export class PlanApprovalView {
  @ApiProperty({ type: PlanVersionSummaryView })
  version!: PlanVersionSummaryView;

  @ApiProperty({ type: [Number], description: 'the versions this approval superseded' })
  superseded!: number[];

  @ApiProperty({ type: String, format: 'date' })
  nextReviewDue!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'the scenarios whose revision in force changed' })
  scenariosPutInForce!: string[];
}

export class DrillProposalView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  drillId!: string;

  @ApiProperty({ format: 'uuid' })
  scenarioId!: string;

  @ApiProperty({ minimum: 1 })
  position!: number;

  @ApiProperty({ type: Number, nullable: true })
  targetMinutes!: number | null;

  @ApiProperty({ type: String, nullable: true })
  action!: string | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: PersonRefView, nullable: true })
  proposedBy!: PersonRefView | null;

  @ApiProperty({ description: 'the plan version (the draft) it entered' })
  planVersion!: number;

  @ApiProperty({ description: 'the scenario revision it wrote' })
  scenarioRevision!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}
