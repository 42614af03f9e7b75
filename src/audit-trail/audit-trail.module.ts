import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Feature } from '../common/features/feature.js';
import { AuditTrailCheckpoint } from './audit-trail-checkpoint.entity.js';
import { AuditTrailCheckpoints, CHECKPOINT_SCHEDULE } from './audit-trail-checkpoints.service.js';
import { AuditTrailWords } from './audit-trail-words.service.js';
import { AUDIT_TRAIL_AUDIT } from './audit-trail.audit.js';
import { AuditTrailController, AuditTrailExportController } from './audit-trail.controller.js';
import { AUDIT_TRAIL_PROBLEMS } from './audit-trail.problems.js';
import { AuditTrailService } from './audit-trail.service.js';

/**
 * Reading the audit trail (in words, from the features' declarations), exporting and verifying it,
 * and anchoring it with signed checkpoints of each chain's head (its writer is part of the
 * database plumbing).
 */
@Feature({
  name: 'audit-trail',
  entities: [AuditTrailCheckpoint],
  schedules: [CHECKPOINT_SCHEDULE],
  problems: AUDIT_TRAIL_PROBLEMS,
  auditTrail: AUDIT_TRAIL_AUDIT,
})
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditTrailController, AuditTrailExportController],
  providers: [AuditTrailService, AuditTrailCheckpoints, AuditTrailWords],
  exports: [AuditTrailService, AuditTrailCheckpoints, AuditTrailWords],
})
export class AuditTrailModule {}
