import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { AcknowledgementDuty } from './acknowledgement-duty.entity.js';
import { AcknowledgementsController } from './acknowledgements.controller.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { OutstandingAcknowledgements } from './outstanding-acknowledgements.js';
import { POLICIES_EXPORT_COMMAND } from './policies-export.command.js';
import { PoliciesExportService } from './policies-export.service.js';
import { POLICIES_SYNC_COMMAND } from './policies-sync.command.js';
import { PoliciesSyncService } from './policies-sync.service.js';
import { PoliciesController } from './policies.controller.js';
import { AcknowledgementRequestedMail, ReviewDueMail } from './policies.notifications.js';
import { POLICY_PROBLEMS } from './policies.problems.js';
import { PoliciesService } from './policies.service.js';
import { PolicyReview } from './policy-review.entity.js';
import { PolicyReviewsController } from './policy-reviews.controller.js';
import { PolicyReviewsService } from './policy-reviews.service.js';
import { PolicyRevisionsService } from './policy-revisions.service.js';
import { PolicyVersion } from './policy-version.entity.js';
import { PolicyVersionsService } from './policy-versions.service.js';
import { Policy } from './policy.entity.js';
import { REVIEW_DUE_SCHEDULE, ReviewDueService } from './review-due.service.js';
import { POLICIES_AUDIT } from './policies.audit.js';

/**
 * The security policy as documents: versions synced from `policies/`, reviews on their interval, the
 * CISO's approval, and the acknowledgement duties of staff (enrolled when they join: staff.joined).
 */
@Feature({
  name: 'policies',
  entities: [Policy, PolicyVersion, PolicyReview, AcknowledgementDuty],
  problems: POLICY_PROBLEMS,
  schedules: [REVIEW_DUE_SCHEDULE],
  commands: [POLICIES_SYNC_COMMAND, POLICIES_EXPORT_COMMAND],
  auditTrail: POLICIES_AUDIT,
})
@Module({
  controllers: [PoliciesController, PolicyReviewsController, AcknowledgementsController],
  providers: [
    PoliciesService,
    PoliciesSyncService,
    PoliciesExportService,
    PolicyReviewsService,
    PolicyVersionsService,
    PolicyRevisionsService,
    AcknowledgementsService,
    ReviewDueService,
    AcknowledgementRequestedMail,
    ReviewDueMail,
    OutstandingAcknowledgements,
  ],
  exports: [
    PoliciesService,
    PoliciesSyncService,
    PoliciesExportService,
    PolicyReviewsService,
    PolicyVersionsService,
    PolicyRevisionsService,
    AcknowledgementsService,
    ReviewDueService,
  ],
})
export class PoliciesModule {}
