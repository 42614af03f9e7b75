import { Module } from '@nestjs/common';
import { AuditTrailController } from './audit-trail.controller.js';
import { AuditTrailService } from './audit-trail.service.js';

/** Reading and verifying the audit trail (its writer is part of the database plumbing). */
@Module({ controllers: [AuditTrailController], providers: [AuditTrailService], exports: [AuditTrailService] })
export class AuditTrailModule {}
