import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { REVIEW_OUTCOMES, type ReviewOutcome } from '../../policies/policy-review.entity.js';
import { blankToUndefined } from '../web-query.dto.js';

/** The review form of the review queue. */
export class PolicyReviewForm {
  @IsIn(REVIEW_OUTCOMES)
  outcome!: ReviewOutcome;

  @IsString()
  @Length(1, 4000)
  notes!: string;
}

/** The approval form: a checkbox (sent as "on" only when ticked) and the acknowledgements' due date. */
export class PolicyApprovalForm {
  @IsOptional()
  @IsIn(['on'])
  requireAcknowledgement?: 'on';

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsCalendarDate()
  acknowledgementDueOn?: string;
}
