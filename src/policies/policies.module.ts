import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { POLICIES_EXPORT_COMMAND } from './policies-export.command.js';
import { PoliciesExportService } from './policies-export.service.js';
import { POLICIES_SYNC_COMMAND } from './policies-sync.command.js';
import { PoliciesSyncService } from './policies-sync.service.js';
import { PoliciesController } from './policies.controller.js';
import { ReviewDueMail } from './policies.notifications.js';
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
 * The security policy as documents: versions synced from `policies/`, reviews on their interval, and
 * the CISO's approval (`policy.version_approved`: training makes the acknowledgement course staff
 * are asked to complete, and enrols joiners in it).
 */
@Feature({
  name: 'policies',
  entities: [Policy, PolicyVersion, PolicyReview],
  problems: POLICY_PROBLEMS,
  schedules: [REVIEW_DUE_SCHEDULE],
  commands: [POLICIES_SYNC_COMMAND, POLICIES_EXPORT_COMMAND],
  auditTrail: POLICIES_AUDIT,
})
@Module({
  controllers: [PoliciesController, PolicyReviewsController],
  providers: [
    PoliciesService,
    PoliciesSyncService,
    PoliciesExportService,
    PolicyReviewsService,
    PolicyVersionsService,
    PolicyRevisionsService,
    ReviewDueService,
    ReviewDueMail,
  ],
  exports: [PoliciesService, PoliciesSyncService, PoliciesExportService, PolicyReviewsService, PolicyVersionsService, PolicyRevisionsService, ReviewDueService],
})
export class PoliciesModule {}
