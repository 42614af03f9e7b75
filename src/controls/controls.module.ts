import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { ControlCatalogueSync } from './control-catalogue.sync.js';
import { ControlCoverageService } from './control-coverage.service.js';
import { ControlEvidence } from './control-evidence.entity.js';
import { ControlEvidenceService } from './control-evidence.service.js';
import { ControlHistoryService } from './control-history.service.js';
import { Control } from './control.entity.js';
import { ControlsController } from './controls.controller.js';
import { CONTROL_PROBLEMS } from './controls.problems.js';
import { ControlsService } from './controls.service.js';
import { FrameworkItem } from './framework-item.entity.js';
import { StatementOfApplicabilityService } from './statement-of-applicability.service.js';
import { CONTROLS_AUDIT } from './controls.audit.js';

/** The control catalogue: status and checks, evidence, a control's history, coverage, the statement of applicability. */
@Feature({ name: 'controls', entities: [Control, ControlEvidence, FrameworkItem], problems: CONTROL_PROBLEMS, auditTrail: CONTROLS_AUDIT })
@Module({
  imports: [StaffModule, PoliciesModule],
  controllers: [ControlsController],
  providers: [ControlsService, ControlEvidenceService, ControlHistoryService, ControlCoverageService, StatementOfApplicabilityService, ControlCatalogueSync],
  exports: [ControlsService, ControlEvidenceService, ControlHistoryService, ControlCoverageService, StatementOfApplicabilityService],
})
export class ControlsModule {}
