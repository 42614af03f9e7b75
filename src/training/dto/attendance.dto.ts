import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDateTime } from '../../common/validators.js';

/** The most people one attendance list names (a prefecture's largest hall, many times over). */
export const MAX_ATTENDANCE_ROWS = 20_000;

export class AttendanceDto {
  @ApiProperty({
    type: [String],
    example: ['10001', '10002'],
    maxItems: MAX_ATTENDANCE_ROWS,
    description:
      'the employee numbers of the people present (full-width digits are read as half-width); a bad one is named by its position, `line` 1 being the first',
  })
  @IsArray()
  @ArrayMaxSize(MAX_ATTENDANCE_ROWS)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  employeeNumbers!: string[];

  @ApiPropertyOptional({
    example: '2022-10-14T14:00:00+09:00',
    description: 'when the session was held (default: now); without an offset it is read in Asia/Tokyo; not in the future',
  })
  @IsOptional()
  @IsCalendarDateTime()
  attendedAt?: string;
}

/** The text field sent beside the `file` of a CSV upload. */
export class AttendanceCsvDto {
  @ApiPropertyOptional({ example: '2022-10-14T14:00', description: 'when the session was held (default: now), read in Asia/Tokyo without an offset' })
  @IsOptional()
  @IsCalendarDateTime()
  attendedAt?: string;
}

export class AttendanceResultView {
  @ApiProperty({ description: 'people whose enrolment was completed now' })
  completed!: number;

  @ApiProperty({ description: 'people present who had completed the course before (nothing changed for them)' })
  alreadyCompleted!: number;
}
