import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { PoliciesModule } from '../../policies/policies.module.js';
import { POLICIES } from '../../policies/policies.permissions.js';
import { TrainingModule } from '../../training/training.module.js';
import { AcknowledgementPagesController } from './acknowledgement-pages.controller.js';
import { PolicyAcknowledgementDuties } from './policy-acknowledgement-duties.js';
import { PolicyPagesController, ReviewPagesController } from './policy-pages.controller.js';
import { PolicyPagesService } from './policy-pages.service.js';
import { PolicyWorkItems } from './policy-work-items.js';
import { ReviewFormErrorFilter } from './review-form.filter.js';
import { RevisionFormErrorFilter } from './revision-form.filter.js';

/** ポリシー: the texts, versions and diffs, the review queue and approval, acknowledging on "my page" and who still owes it; their work queue counts. */
@Feature({
  name: 'policies.pages',
  navigation: [
    { href: '/policies', label: 'nav.policies', permission: POLICIES.read, order: 10 },
    { href: '/reviews', label: 'nav.reviews', permission: POLICIES.read_drafts, order: 30 },
    { href: '/acknowledgements', label: 'nav.acknowledgements', permission: POLICIES.read_acknowledgements, order: 35 },
  ],
})
@Module({
  imports: [PoliciesModule, TrainingModule],
  controllers: [PolicyPagesController, ReviewPagesController, AcknowledgementPagesController],
  providers: [PolicyPagesService, ReviewFormErrorFilter, RevisionFormErrorFilter, PolicyAcknowledgementDuties, PolicyWorkItems],
})
export class PolicyPagesModule {}
