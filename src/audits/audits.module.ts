import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { FindingsModule } from '../findings/findings.module.js';
import { AuditSignOff } from './audit-sign-off.entity.js';
import { Audit } from './audit.entity.js';
import { AUDITS_AUDIT } from './audits.audit.js';
import { AuditsController } from './audits.controller.js';
import { AUDIT_PROBLEMS } from './audits.problems.js';
import { AuditsService } from './audits.service.js';
import { ChecklistEvidence } from './checklist-evidence.entity.js';
import { ChecklistEvidenceController } from './checklist-evidence.controller.js';
import { ChecklistEvidenceService } from './checklist-evidence.service.js';
import { ChecklistItem } from './checklist-item.entity.js';

/**
 * Audits and self-inspections (plan item III-3): yearly plans, checklists made control × department,
 * answers with evidence, findings raised from non-conformities, the report the CISO accepts.
 */
@Feature({ name: 'audits', entities: [Audit, ChecklistItem, ChecklistEvidence, AuditSignOff], problems: AUDIT_PROBLEMS, auditTrail: AUDITS_AUDIT })
@Module({
  imports: [FindingsModule],
  controllers: [AuditsController, ChecklistEvidenceController],
  providers: [AuditsService, ChecklistEvidenceService],
  exports: [AuditsService, ChecklistEvidenceService],
})
export class AuditsModule {}
