import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** `GET /api/v1/policies/:id/versions/:v/acknowledgements` */
export class AcknowledgementSummaryQuery {
  @ApiPropertyOptional({ default: false, description: 'list each person (default: only the counts)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  items?: 'true' | 'false';
}

/** One person's acknowledgement duty of a version (`?items=true`). */
export class AcknowledgementSummaryItemView {
  @ApiProperty({ format: 'uuid' })
  dutyId!: string;

  @ApiProperty({ format: 'uuid' })
  staffId!: string;

  @ApiProperty()
  employeeNumber!: string;

  @ApiProperty()
  familyName!: string;

  @ApiProperty()
  givenName!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  departmentId!: string | null;

  @ApiProperty({ type: String, format: 'date' })
  dueOn!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt!: Date | null;
}

/** How many have acknowledged a version. */
export class AcknowledgementSummaryView {
  @ApiProperty({ format: 'uuid' })
  policyVersionId!: string;

  @ApiProperty({ type: 'integer' })
  version!: number;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "the department the figures are limited to (a manager's own), or null for the whole organisation",
  })
  departmentId!: string | null;

  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  acknowledged!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    description: 'acknowledged ÷ total (4 decimals); null when nobody owes an acknowledgement',
  })
  rate!: number | null;

  @ApiPropertyOptional({ type: [AcknowledgementSummaryItemView], description: 'each person, with `?items=true`' })
  items?: AcknowledgementSummaryItemView[];
}

/** One of the caller's acknowledgement duties. */
export class MyAcknowledgementView {
  @ApiProperty({ format: 'uuid', description: "the duty: the person's enrolment in the version's acknowledgement course" })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  policyId!: string;

  @ApiProperty()
  policyTitle!: string;

  @ApiProperty({ type: String, nullable: true })
  policyTitleEn!: string | null;

  @ApiProperty({ format: 'uuid' })
  policyVersionId!: string;

  @ApiProperty({ type: 'integer' })
  version!: number;

  @ApiProperty({ type: String, format: 'date' })
  dueOn!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt!: Date | null;
}
