import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { FindingsModule } from '../../findings/findings.module.js';
import { FINDINGS } from '../../findings/findings.permissions.js';
import { FindingPageFormFilter, FindingRaiseFormFilter } from './finding-form.filter.js';
import { FindingPagesController } from './finding-pages.controller.js';
import { FindingPagesService } from './finding-pages.service.js';
import { CorrectiveActionDuties, FindingWorkItems } from './finding-work-items.js';

/** 指摘事項: the findings board, the carried-over findings, a finding's page with its corrective actions, raising one by hand. */
@Feature({ name: 'findings.pages', navigation: [{ href: '/findings', label: 'nav.findings', permission: FINDINGS.read, order: 26 }] })
@Module({
  imports: [FindingsModule],
  controllers: [FindingPagesController],
  providers: [FindingPagesService, FindingPageFormFilter, FindingRaiseFormFilter, FindingWorkItems, CorrectiveActionDuties],
})
export class FindingPagesModule {}
