import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Feature } from '../common/features/feature.js';
import { AuditTrailCheckpoint } from './audit-trail-checkpoint.entity.js';
import { AuditTrailCheckpoints, CHECKPOINT_SCHEDULE } from './audit-trail-checkpoints.service.js';
import { AuditTrailWords } from './audit-trail-words.service.js';
import { AUDIT_TRAIL_AUDIT } from './audit-trail.audit.js';
import { AuditTrailController } from './audit-trail.controller.js';
import { AuditTrailService } from './audit-trail.service.js';

/**
 * Reading the audit trail (in words, from the features' declarations) and verifying it, and
 * anchoring it with signed checkpoints of each chain's head (its writer is part of the database
 * plumbing).
 */
@Feature({ name: 'audit-trail', entities: [AuditTrailCheckpoint], schedules: [CHECKPOINT_SCHEDULE], auditTrail: AUDIT_TRAIL_AUDIT })
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditTrailController],
  providers: [AuditTrailService, AuditTrailCheckpoints, AuditTrailWords],
  exports: [AuditTrailService, AuditTrailCheckpoints, AuditTrailWords],
})
export class AuditTrailModule {}
