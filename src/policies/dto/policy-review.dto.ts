import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { REVIEW_OUTCOMES, type ReviewOutcome } from '../policy-review.entity.js';

/** `POST /api/v1/policies/:id/reviews` */
export class CreatePolicyReviewDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES })
  @IsIn(REVIEW_OUTCOMES, { message: `outcome must be one of ${REVIEW_OUTCOMES.join(', ')}` })
  outcome!: ReviewOutcome;

  @ApiProperty({ minLength: 1, maxLength: 4000, example: '組織改正に伴い第3条を改める。' })
  @IsString()
  @Length(1, 4000)
  notes!: string;
}

/** `POST /api/v1/policies/:id/versions/:v/approve` */
export class ApprovePolicyVersionDto {
  @ApiPropertyOptional({ default: false, description: 'ask every active member of staff to acknowledge this version' })
  @IsOptional()
  @IsBoolean()
  requireAcknowledgement?: boolean;

  @ApiPropertyOptional({ example: '2025-05-31', description: 'due date of the acknowledgements (default: today + 30 days, Asia/Tokyo)' })
  @IsOptional()
  @IsCalendarDate()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'acknowledgementDueOn must be a date YYYY-MM-DD' })
  acknowledgementDueOn?: string;
}

/** `GET /api/v1/policies/:id/versions/:v/acknowledgements` */
export class AcknowledgementSummaryQuery {
  @ApiPropertyOptional({ default: false, description: 'list each person (default: only the counts)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  items?: 'true' | 'false';
}
