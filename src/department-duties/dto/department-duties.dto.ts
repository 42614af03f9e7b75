import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { DepartmentRef, StaffRef } from '../../staff/dto/staff-view.dto.js';

/** Whom to remind: the people named, or (without staffIds) everyone of the department who owes something. */
export class RemindDepartmentDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 1000,
    description: 'active members of the department to remind; leave it out to remind everyone with outstanding duties',
  })
  @IsOptional()
  @IsArray({ message: 'staffIds must be a list of staff ids' })
  @ArrayMinSize(1, { message: 'staffIds must name at least one person (leave it out to remind everyone)' })
  @ArrayMaxSize(1000, { message: 'staffIds names at most 1000 people' })
  @IsUUID('all', { each: true, message: 'each of staffIds must be a UUID' })
  staffIds?: string[];
}

/** One thing a person still owes. */
export class OutstandingDutyView {
  @ApiProperty({
    example: 'policy_acknowledgement',
    description: 'what kind of duty: policy_acknowledgement (a policy version to acknowledge), training (a course to complete; its href is the enrolment)',
  })
  kind!: string;

  @ApiProperty({ example: '情報セキュリティ対策基準' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Information Security Standards' })
  titleEn!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'the version to acknowledge, for a policy' })
  version!: number | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'the day it is due (Asia/Tokyo)' })
  dueOn!: string | null;

  @ApiProperty({ description: 'its due day has passed (Asia/Tokyo)' })
  overdue!: boolean;
}

/** One active member of the department, with what they still owe. */
export class PersonOutstandingDutiesView {
  @ApiProperty({ type: StaffRef })
  staff!: StaffRef;

  @ApiProperty({ type: [OutstandingDutyView], description: 'soonest due first; empty when they owe nothing' })
  duties!: OutstandingDutyView[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when they were last sent a reminder (from any department page)' })
  lastRemindedAt!: Date | null;

  @ApiProperty({ description: 'they were sent a reminder today (Asia/Tokyo): another is not sent before tomorrow' })
  remindedToday!: boolean;
}

/** A department's active members and their outstanding duties. */
export class DepartmentOutstandingDutiesView {
  @ApiProperty({ type: DepartmentRef })
  department!: DepartmentRef;

  @ApiProperty({ type: String, format: 'date', description: 'today in Asia/Tokyo, against which `overdue` is reckoned' })
  today!: string;

  @ApiProperty({ type: [PersonOutstandingDutiesView], description: 'every active member of the department (not of its sub-departments), by employee number' })
  items!: PersonOutstandingDutiesView[];

  @ApiProperty({ type: 'integer', description: 'how many active members' })
  total!: number;

  @ApiProperty({ type: 'integer', description: 'how many of them owe something' })
  withDuties!: number;

  @ApiProperty({ type: 'integer', description: 'how many of them owe something overdue' })
  overdue!: number;
}

/** What a reminder request did. */
export class RemindersResultView {
  @ApiProperty({ type: 'integer', description: 'people sent a reminder now' })
  sent!: number;

  @ApiProperty({ type: 'integer', description: 'people with outstanding duties who had been reminded today already: nothing sent' })
  alreadyRemindedToday!: number;

  @ApiProperty({ type: 'integer', description: 'people named (or members) who owe nothing: nothing sent' })
  nothingOutstanding!: number;
}
