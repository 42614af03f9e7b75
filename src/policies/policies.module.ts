import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ControlCoverageService } from './control-coverage.service.js';
import { ControlEvidenceService } from './control-evidence.service.js';
import { ControlsController, PoliciesController } from './controls.controller.js';
import { ControlsService } from './controls.service.js';
import { PoliciesSyncService } from './policies-sync.service.js';
import { StatementOfApplicabilityService } from './statement-of-applicability.service.js';

@Module({
  imports: [AuthModule],
  controllers: [ControlsController, PoliciesController],
  providers: [ControlsService, PoliciesSyncService, ControlEvidenceService, ControlCoverageService, StatementOfApplicabilityService],
  exports: [ControlsService, PoliciesSyncService, ControlEvidenceService, ControlCoverageService, StatementOfApplicabilityService],
})
export class PoliciesModule {}
