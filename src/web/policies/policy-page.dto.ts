import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { MAX_CHANGE_NOTE, MAX_POLICY_TEXT } from '../../policies/dto/policy-review.dto.js';
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

/**
 * The revise page's form: the Japanese and English texts, the change note, and which button was
 * pressed (プレビュー shows the page again with the preview; 下書きとして保存 makes the draft). The
 * service names an empty text or change note; here only what no page sends.
 */
export class PolicyRevisionForm {
  @IsIn(['preview', 'save'])
  intent!: 'preview' | 'save';

  @IsString()
  @MaxLength(MAX_POLICY_TEXT)
  body!: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_POLICY_TEXT)
  bodyEn?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_CHANGE_NOTE)
  changeNote?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^[1-9]\d{0,8}$/)
  replacesDraft?: string;
}
