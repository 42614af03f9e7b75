import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCalendarDateTime } from '../../common/validators.js';
import { DRILL_KINDS, type DrillKind, type DrillStatus, DRILL_STATUSES } from '../drill.entity.js';
import { DRILL_EVENT_KINDS, type DrillEventKind } from '../drill-record.entity.js';
import { PlanStatusView } from './plan-version.dto.js';

const DATE_TIME = 'an ISO 8601 date-time; without an offset it is Asia/Tokyo time';

/** Who was there: the people present (the invited not named are absent; someone not invited is added). */
export class MarkAttendanceDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'everyone present; invitees not listed are marked absent' })
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  presentStaffIds!: string[];
}

/** A playbook step done: now (while the drill runs) or at a given time (afterwards, from the paper checklist). */
export class CompleteStepDto {
  @ApiPropertyOptional({ format: 'date-time', description: `${DATE_TIME}; default now; required once the drill is finished` })
  @IsOptional()
  @IsCalendarDateTime()
  doneAt?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RecordDrillEventDto {
  @ApiProperty({ enum: DRILL_EVENT_KINDS, description: 'inject: a situation the facilitator gives (状況付与); problem: a problem met (課題)' })
  @IsIn(DRILL_EVENT_KINDS)
  kind!: DrillEventKind;

  @ApiProperty({ maxLength: 2000, example: '17:40 住民から「町HPが見られない」と電話' })
  @IsString()
  @Length(1, 2000)
  text!: string;

  @ApiPropertyOptional({ format: 'date-time', description: `${DATE_TIME}; default now` })
  @IsOptional()
  @IsCalendarDateTime()
  occurredAt?: string;
}

export class FinishDrillDto {
  @ApiPropertyOptional({ maxLength: 20000, description: 'lessons learned (反省点・教訓)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  lessons?: string;
}

export class DrillLessonsDto {
  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MaxLength(20000)
  lessons!: string;
}

/** One step's time from the paper checklist. */
export class PaperStepDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  position!: number;

  @ApiProperty({ format: 'date-time', description: DATE_TIME })
  @IsCalendarDateTime()
  doneAt!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class PaperEventDto {
  @ApiProperty({ enum: DRILL_EVENT_KINDS })
  @IsIn(DRILL_EVENT_KINDS)
  kind!: DrillEventKind;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  text!: string;

  @ApiProperty({ format: 'date-time', description: DATE_TIME })
  @IsCalendarDateTime()
  occurredAt!: string;
}

/**
 * A drill held without the network, entered afterwards from its printed checklist: when it started
 * and finished, who was there, when each step was done, the injects and problems, the lessons.
 */
export class PaperRecordDto {
  @ApiProperty({ format: 'date-time', description: DATE_TIME })
  @IsCalendarDateTime()
  startedAt!: string;

  @ApiProperty({ format: 'date-time', description: `${DATE_TIME}; after startedAt, not in the future` })
  @IsCalendarDateTime()
  finishedAt!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  presentStaffIds!: string[];

  @ApiProperty({ type: [PaperStepDto], description: 'the steps done (a step not listed was not done)' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PaperStepDto)
  steps!: PaperStepDto[];

  @ApiPropertyOptional({ type: [PaperEventDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PaperEventDto)
  events?: PaperEventDto[];

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  lessons?: string;
}

export class DrillYearFiguresQuery {
  @ApiProperty({ example: 2022 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;
}

// ------------------------------------------------------------------------------------------ views

export class DrillStepTimingView {
  @ApiProperty() position!: number;
  @ApiProperty({ format: 'uuid' }) stepId!: string;
  @ApiProperty() phase!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ type: String, nullable: true }) actionEn!: string | null;
  @ApiProperty() role!: string;
  @ApiProperty({ description: 'minutes from the start by which it should be done' }) targetMinutes!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) doneAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: 'minutes from the drill’s start, rounded up' }) elapsedMinutes!: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'done after its target (null: not done)' }) late!: boolean | null;
  @ApiProperty({ type: Number, nullable: true, description: 'minutes over the target' }) minutesLate!: number | null;
  @ApiProperty() note!: string;
}

export class DrillAttendeeView {
  @ApiProperty({ format: 'uuid' }) staffId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) departmentName!: string | null;
  @ApiProperty() invited!: boolean;
  @ApiProperty() present!: boolean;
}

export class DrillAttendanceView {
  @ApiProperty() invited!: number;
  @ApiProperty({ description: 'invitees present' }) present!: number;
  @ApiProperty({ description: 'present without an invitation' }) walkIns!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'present invitees ÷ invitees (0–1); null when no one was invited' }) rate!: number | null;
  @ApiProperty({ type: [DrillAttendeeView] }) people!: DrillAttendeeView[];
}

export class DrillEventView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DRILL_EVENT_KINDS }) kind!: DrillEventKind;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ type: Number, nullable: true }) elapsedMinutes!: number | null;
  @ApiProperty() text!: string;
}

export class DrillFindingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() title!: string;
  @ApiProperty() severity!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date' }) dueDate!: string;
}

export class DrillStepSummaryView {
  @ApiProperty() total!: number;
  @ApiProperty() done!: number;
  @ApiProperty() onTime!: number;
  @ApiProperty() late!: number;
  @ApiProperty() notDone!: number;
}

/** A drill's record: its steps timed against the playbook, attendance, injects and problems, lessons, findings. */
export class DrillRecordView {
  @ApiProperty({ format: 'uuid' }) drillId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: DRILL_KINDS }) kind!: DrillKind;
  @ApiProperty({ enum: DRILL_STATUSES }) drillStatus!: DrillStatus;
  @ApiProperty({ format: 'uuid' }) scenarioId!: string;
  @ApiProperty() scenarioTitle!: string;
  @ApiProperty({ type: Number, nullable: true }) scenarioRevision!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true }) durationMinutes!: number | null;
  @ApiProperty() recordedOnPaper!: boolean;
  @ApiProperty({ format: 'uuid' }) facilitatorId!: string;
  @ApiProperty() facilitatorName!: string;
  @ApiProperty({ type: [DrillStepTimingView] }) steps!: DrillStepTimingView[];
  @ApiProperty({ type: DrillStepSummaryView }) stepSummary!: DrillStepSummaryView;
  @ApiProperty({ type: DrillAttendanceView }) attendance!: DrillAttendanceView;
  @ApiProperty({ type: [DrillEventView] }) events!: DrillEventView[];
  @ApiProperty() lessons!: string;
  @ApiProperty({ type: [DrillFindingView] }) findings!: DrillFindingView[];
}

export class DrillKindCountsView {
  @ApiProperty() tabletop!: number;
  @ApiProperty() functional!: number;
  @ApiProperty() full_scale!: number;
  @ApiProperty() total!: number;
}

/** The figures of plan item III-5 for a fiscal year: the plan approved and reviewed, the drills held. */
export class DrillYearFiguresView {
  @ApiProperty() fiscalYear!: number;
  @ApiProperty({ type: DrillKindCountsView, description: 'drills held (completed), by kind' }) held!: DrillKindCountsView;
  @ApiProperty({ description: 'drills still scheduled or running' }) planned!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty() invited!: number;
  @ApiProperty() present!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'present invitees ÷ invitees over the drills held' }) attendanceRate!: number | null;
  @ApiProperty({ type: DrillStepSummaryView, description: 'steps of the drills held' }) steps!: DrillStepSummaryView;
  @ApiProperty({ type: Number, nullable: true, description: 'steps done on time ÷ steps' }) onTimeRate!: number | null;
  @ApiProperty({ description: 'findings raised from the drills of the year' }) findings!: number;
  @ApiProperty({ type: PlanStatusView, description: 'the plan as it stood at the end of the year (or today): approved, reviewed within its interval' })
  plan!: PlanStatusView;
}
