import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { DRILL_FORMATS, type DrillFormat } from '../mail-drill-csv.js';

export class DrillImportQuery {
  @ApiPropertyOptional({ enum: DRILL_FORMATS, description: "the file's kind; without it, told from the header (a `status` column: Gophish)" })
  @IsOptional()
  @IsIn(DRILL_FORMATS)
  format?: DrillFormat;

  @ApiPropertyOptional({ description: 'check the file and report what it would do, write nothing', default: false })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

export class DrillResultsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only people who clicked the link (true) or did not (false)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  clicked?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only people who reported the mail (true) or did not (false)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  reported?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'uuid', description: 'only people credited to this department (their department at the import)' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class DrillFiguresQuery {
  @ApiPropertyOptional({ example: 2022, description: 'the fiscal year of the drills (default: the current one)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({ enum: ['department'], default: 'department' })
  @IsOptional()
  @IsIn(['department'])
  groupBy?: 'department';

  @ApiPropertyOptional({ format: 'uuid', description: 'one drill only' })
  @IsOptional()
  @IsUUID()
  courseId?: string;
}

export class DrillImportResultView {
  @ApiProperty({ description: 'true: nothing was written (the counts say what the import would do)' })
  dryRun!: boolean;

  @ApiProperty({ enum: DRILL_FORMATS })
  format!: DrillFormat;

  @ApiProperty({ description: 'people in the file' })
  rows!: number;

  @ApiProperty({ description: 'the mail reached them' })
  sent!: number;

  @ApiProperty()
  opened!: number;

  @ApiProperty({ description: 'clicked the link (those who submitted data included)' })
  clicked!: number;

  @ApiProperty()
  submittedData!: number;

  @ApiProperty()
  reported!: number;

  @ApiProperty({ description: 'clicked (or submitted data) and did not report' })
  clickedNotReported!: number;

  @ApiProperty({ description: 'results new to the course' })
  created!: number;

  @ApiProperty({ description: 'results that changed' })
  updated!: number;

  @ApiProperty({ description: 'results the same as before' })
  unchanged!: number;

  @ApiProperty({ description: 'results of people the file no longer lists, removed: a re-import replaces the results' })
  removed!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the course people who clicked without reporting are enrolled in' })
  followUpCourseId!: string | null;

  @ApiProperty({ description: 'the follow-up course is published (only then does the import enrol anyone)' })
  followUpOpen!: boolean;

  @ApiProperty({ description: 'people enrolled in the follow-up course by this import (a dry run: would be); never twice' })
  followUpEnrolled!: number;
}

export class DrillResultView {
  @ApiProperty({ format: 'uuid' })
  staffId!: string;

  @ApiProperty()
  employeeNumber!: string;

  @ApiProperty()
  familyName!: string;

  @ApiProperty()
  givenName!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the department they were in at the import' })
  departmentId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentNameEn!: string | null;

  @ApiProperty()
  sent!: boolean;

  @ApiProperty()
  opened!: boolean;

  @ApiProperty()
  clicked!: boolean;

  @ApiProperty()
  submittedData!: boolean;

  @ApiProperty()
  reported!: boolean;

  @ApiProperty({ description: 'enrolled in the follow-up course' })
  followUpEnrolled!: boolean;

  @ApiProperty({ description: 'completed the follow-up course' })
  followUpCompleted!: boolean;

  @ApiProperty({ format: 'date-time', description: 'when the result was last imported or changed' })
  updatedAt!: Date;
}

export class DrillFigureRowView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null in the total (and for people without a department)' })
  departmentId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  departmentNameEn!: string | null;

  @ApiProperty({ description: 'mails that reached someone (a person counts once per drill)' })
  recipients!: number;

  @ApiProperty()
  opened!: number;

  @ApiProperty({ description: 'clicked the link (those who submitted data included)' })
  clicked!: number;

  @ApiProperty({ description: 'submitted data on the landing page' })
  submitted!: number;

  @ApiProperty()
  reported!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.4167, description: 'reported ÷ recipients, 4 decimals (null without recipients)' })
  reportRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 0.125, description: 'clicked ÷ recipients, 4 decimals (null without recipients)' })
  clickRate!: number | null;
}

export class DrillFiguresView {
  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the one drill counted, when asked' })
  courseId!: string | null;

  @ApiProperty({ description: 'targeted-mail drills with results counted' })
  drills!: number;

  @ApiProperty({ type: [DrillFigureRowView], description: 'by department code (a manager: their own department)' })
  departments!: DrillFigureRowView[];

  @ApiProperty({ type: DrillFigureRowView, description: 'every department the reader sees, together' })
  total!: DrillFigureRowView;
}
