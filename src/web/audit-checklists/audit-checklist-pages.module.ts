import { Module } from '@nestjs/common';
import { AuditsModule } from '../../audits/audits.module.js';
import { Feature } from '../../common/features/feature.js';
import { EvidenceFormInterceptor } from '../controls/evidence-form.interceptor.js';
import { ChecklistFormErrorFilter } from './audit-checklist-form.filter.js';
import { AuditChecklistPagesController } from './audit-checklist-pages.controller.js';
import { AuditChecklistPagesService } from './audit-checklist-pages.service.js';
import { SelfInspectionDuties } from './self-inspection-duties.js';

/**
 * 監査項目・点検項目: the checklist an auditor works through, an item's page with its evidence files, a department's
 * self-inspection with the manager's sign-off (課長確認), and the self-inspections a manager still
 * owes on "my page" (views, messages and the script's words in this folder; the script in
 * /static/audit-checklist.js). Reached from an audit's page and from my page: no menu entry.
 */
@Feature({ name: 'audits.checklist-pages' })
@Module({
  imports: [AuditsModule],
  controllers: [AuditChecklistPagesController],
  providers: [AuditChecklistPagesService, ChecklistFormErrorFilter, EvidenceFormInterceptor, SelfInspectionDuties],
})
export class AuditChecklistPagesModule {}
