import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { AuditTrailCheckpoint } from './audit-trail-checkpoint.entity.js';
import { AuditTrailCheckpoints, CHECKPOINT_SCHEDULE } from './audit-trail-checkpoints.service.js';
import { AuditTrailController } from './audit-trail.controller.js';
import { AuditTrailService } from './audit-trail.service.js';

/**
 * Reading and verifying the audit trail, and anchoring it with signed checkpoints of each chain's
 * head (its writer is part of the database plumbing).
 */
@Feature({ name: 'audit-trail', entities: [AuditTrailCheckpoint], schedules: [CHECKPOINT_SCHEDULE] })
@Module({ controllers: [AuditTrailController], providers: [AuditTrailService, AuditTrailCheckpoints], exports: [AuditTrailService, AuditTrailCheckpoints] })
export class AuditTrailModule {}
