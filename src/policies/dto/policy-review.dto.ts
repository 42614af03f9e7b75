import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { REVIEW_OUTCOMES, type ReviewOutcome } from '../policy-review.entity.js';

/** The longest policy text (per language) and change note the app takes. */
export const MAX_POLICY_TEXT = 100_000;
export const MAX_CHANGE_NOTE = 2000;

const BODY_DOC = 'the Japanese text (Markdown), everything before `## English`; the front matter stays that of the version revised';
const BODY_EN_DOC =
  'the English text (Markdown) that follows `## English`; left out: the English text of the version revised is kept; empty: the draft has no English text';
const REPLACES_DOC = 'the number of the open draft this one replaces (it is superseded); needed while a draft awaits approval (else 409 POLICY_DRAFT_OPEN)';

/** `POST /api/v1/policies/:id/versions`: a revised text from the security office, made a draft for the CISO. */
export class CreatePolicyVersionDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_POLICY_TEXT, description: BODY_DOC, example: '# 守町 情報セキュリティ対策基準\n\n…' })
  @IsString()
  @Matches(/\S/, { message: 'body must not be empty' })
  @MaxLength(MAX_POLICY_TEXT)
  body!: string;

  @ApiPropertyOptional({ maxLength: MAX_POLICY_TEXT, description: BODY_EN_DOC })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_POLICY_TEXT)
  bodyEn?: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_CHANGE_NOTE, example: '情報セキュリティ委員会の開催を年2回に改める。' })
  @IsString()
  @Matches(/\S/, { message: 'changeNote must not be empty' })
  @MaxLength(MAX_CHANGE_NOTE)
  changeNote!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: REPLACES_DOC })
  @IsOptional()
  @IsInt()
  @Min(1)
  replacesDraft?: number;
}

/**
 * `POST /api/v1/policies/:id/reviews`. A review with outcome `revise` may carry the revised text
 * (`body`, `bodyEn?`, `changeNote`, as `POST …/versions` takes them): the draft is made with the review.
 */
export class CreatePolicyReviewDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES })
  @IsIn(REVIEW_OUTCOMES, { message: `outcome must be one of ${REVIEW_OUTCOMES.join(', ')}` })
  outcome!: ReviewOutcome;

  @ApiProperty({ minLength: 1, maxLength: 4000, example: '組織改正に伴い第3条を改める。' })
  @IsString()
  @Length(1, 4000)
  notes!: string;

  @ApiPropertyOptional({ maxLength: MAX_POLICY_TEXT, description: `only with outcome revise (security office): ${BODY_DOC}` })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'body must not be empty' })
  @MaxLength(MAX_POLICY_TEXT)
  body?: string;

  @ApiPropertyOptional({ maxLength: MAX_POLICY_TEXT, description: `only with body: ${BODY_EN_DOC}` })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_POLICY_TEXT)
  bodyEn?: string;

  @ApiPropertyOptional({ maxLength: MAX_CHANGE_NOTE, description: 'required with body: why the text changes' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'changeNote must not be empty' })
  @MaxLength(MAX_CHANGE_NOTE)
  changeNote?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: `only with body: ${REPLACES_DOC}` })
  @IsOptional()
  @IsInt()
  @Min(1)
  replacesDraft?: number;
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
