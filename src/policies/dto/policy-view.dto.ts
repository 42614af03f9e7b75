import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../../common/roles.js';
import { REVIEW_OUTCOMES, type ReviewOutcome } from '../policy-review.entity.js';
import { POLICY_VERSION_STATUSES, type PolicyVersionStatus } from '../policy-version.entity.js';
import { CLASSIFICATIONS, POLICY_KINDS } from '../policy.entity.js';

/** The latest version of a policy, as listed beside it. */
export class LatestPolicyVersionRef {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;

  @ApiProperty({ enum: POLICY_VERSION_STATUSES })
  status!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

/** A policy document with its latest version and the version in force. */
export class PolicySummaryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'standards' })
  key!: string;

  @ApiProperty({ enum: POLICY_KINDS })
  kind!: string;

  @ApiProperty({ example: '情報セキュリティ対策基準' })
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  titleEn!: string | null;

  @ApiProperty({ enum: ROLES })
  ownerRole!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  reviewIntervalMonths!: number;

  @ApiProperty({ enum: CLASSIFICATIONS })
  classification!: string;

  @ApiProperty({
    type: LatestPolicyVersionRef,
    nullable: true,
    description:
      'the latest version the caller may see: drafts only for those who may read them (security office, CISO, admin, auditor); others see the latest version once in force, or null',
  })
  latestVersion!: LatestPolicyVersionRef | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'the version in force (null until one is approved)' })
  approvedVersion!: number | null;

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'when the next review is due (null until a version is approved or a review recorded)',
  })
  nextReviewDue!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastReviewedAt!: Date | null;

  @ApiProperty({ description: 'a review asked for a revision that has not been approved yet' })
  revisionRequested!: boolean;
}

/** A version of a policy, without its text. */
export class PolicyVersionSummaryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  policyId!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;

  @ApiProperty({ enum: POLICY_VERSION_STATUSES })
  status!: PolicyVersionStatus;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the text: a public fingerprint of the version' })
  contentHash!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the text changed, as the security office wrote it (null for a version loaded from policies/)',
  })
  changeNote!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the staff member who wrote the draft in the app (null for a version loaded from policies/)',
  })
  draftedBy!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the staff member who approved it' })
  approvedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt!: Date | null;

  @ApiProperty({ description: 'all active staff were asked to acknowledge it' })
  acknowledgementRequired!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  supersededAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

/** A version with its text, front matter and the diff against the version in force. */
export class PolicyVersionDetailView extends PolicyVersionSummaryView {
  @ApiProperty({ description: 'the policy text (Markdown)' })
  body!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the front matter of the policy file, as written' })
  frontMatter!: Record<string, unknown>;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'unified line diff (front matter, then the text) against the version that was in force when this one was made (a draft: the version in force now); null for the first',
  })
  diff!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'the version `diff` compares against (null when there is no diff)' })
  diffAgainst!: number | null;
}

/** The acknowledgements an approval asked for. */
export class AcknowledgementRequestView {
  @ApiProperty({ type: String, format: 'date' })
  dueOn!: string;

  @ApiProperty({ type: 'integer', description: "duties made, one per active member of staff (enrolments in the version's acknowledgement course)" })
  duties!: number;

  @ApiProperty({ type: 'integer', description: 'e-mails asked for, one per duty' })
  emails!: number;
}

export class ApprovalResultView {
  @ApiProperty({ type: PolicyVersionSummaryView })
  version!: PolicyVersionSummaryView;

  @ApiProperty({ type: 'integer', isArray: true, description: 'version numbers this approval superseded (the previous approved one and older drafts)' })
  superseded!: number[];

  @ApiProperty({ type: String, format: 'date' })
  nextReviewDue!: string;

  @ApiProperty({ type: AcknowledgementRequestView, nullable: true, description: 'null unless acknowledgement was required' })
  acknowledgement!: AcknowledgementRequestView | null;
}

/** ポリシーの見直し: a dated review of a policy (the entity's columns; it carries nothing internal). */
export class PolicyReviewView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ format: 'uuid' })
  policyId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the approved version that was reviewed (null when none was approved yet)' })
  policyVersionId!: string | null;

  @ApiProperty({ enum: REVIEW_OUTCOMES })
  outcome!: ReviewOutcome;

  @ApiProperty()
  notes!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reviewedById!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  reviewedAt!: Date;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'the review that was due (null for an unscheduled one)' })
  dueOn!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

/** What a review changed on its policy. */
export class PolicyReviewStateView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  nextReviewDue!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastReviewedAt!: Date | null;

  @ApiProperty()
  revisionRequested!: boolean;
}

export class PolicyReviewResultView {
  @ApiProperty({ type: PolicyReviewView })
  review!: PolicyReviewView;

  @ApiProperty({ type: PolicyReviewStateView })
  policy!: PolicyReviewStateView;

  @ApiProperty({ type: PolicyVersionSummaryView, nullable: true, description: 'the draft made from the text the review carried (null without one)' })
  draft!: PolicyVersionSummaryView | null;
}
