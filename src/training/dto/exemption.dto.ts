import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { DepartmentRef, StaffRef } from '../../staff/dto/staff-view.dto.js';
import { EXEMPTION_KINDS, type ExemptionKind } from '../enrolment.entity.js';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** 免除: why someone does not take a course (long leave, secondment, other), in words the list shows. */
export class ExemptDto {
  @ApiProperty({ enum: EXEMPTION_KINDS, example: 'long_leave' })
  @IsIn(EXEMPTION_KINDS, { message: `kind must be one of ${EXEMPTION_KINDS.join(', ')}` })
  kind!: ExemptionKind;

  @ApiProperty({ example: '育児休業（2022年6月〜2023年5月）', minLength: 1, maxLength: 2000 })
  @Transform(trimmed)
  @IsString()
  @Length(1, 2000, { message: 'reason must be given (at most 2000 characters)' })
  reason!: string;
}

/** 免除 of every open enrolment of a person in a fiscal year (a year's secondment). */
export class YearExemptionDto extends ExemptDto {
  @ApiProperty({ example: 2022, minimum: 2000, maximum: 2100 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;
}

/** One exempt enrolment, as the list of a course shows it. */
export class ExemptionView {
  @ApiProperty({ format: 'uuid' })
  enrolmentId!: string;

  @ApiProperty({ format: 'uuid' })
  courseId!: string;

  @ApiProperty({ type: StaffRef })
  staff!: StaffRef;

  @ApiProperty({ type: DepartmentRef, nullable: true, description: 'the department the enrolment is credited to' })
  department!: DepartmentRef | null;

  @ApiProperty({ enum: EXEMPTION_KINDS })
  kind!: ExemptionKind;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  exemptAt!: Date;

  @ApiProperty({ type: StaffRef, nullable: true, description: 'who exempted the person' })
  exemptedBy!: StaffRef | null;
}

/** What exempting a person for a fiscal year did. */
export class YearExemptionResultView {
  @ApiProperty({ description: 'how many open enrolments were exempted now' })
  exempted!: number;

  @ApiProperty({ type: [String], format: 'uuid' })
  enrolmentIds!: string[];
}
