import { Module } from '@nestjs/common';
import { ReviewDueService } from '../schedules/review-due.service.js';
import { AcknowledgementsController } from './acknowledgements.controller.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { PolicyReviewsController } from './policy-reviews.controller.js';
import { PolicyReviewsService } from './policy-reviews.service.js';
import { PolicyVersionsService } from './policy-versions.service.js';

/** Policy versions, reviews, the CISO's approval and acknowledgement duties (issue #3). */
@Module({
  controllers: [PolicyReviewsController, AcknowledgementsController],
  providers: [PolicyReviewsService, PolicyVersionsService, AcknowledgementsService, ReviewDueService],
  exports: [PolicyReviewsService, PolicyVersionsService, AcknowledgementsService, ReviewDueService],
})
export class PolicyReviewsModule {}
