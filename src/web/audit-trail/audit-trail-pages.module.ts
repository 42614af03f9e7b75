import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../../audit-trail/audit-trail.module.js';
import { AUDIT_TRAIL } from '../../audit-trail/audit-trail.permissions.js';
import { Feature } from '../../common/features/feature.js';
import { AuditTrailFilterErrorFilter } from './audit-trail-filter.filter.js';
import { AuditTrailCsvPageController, AuditTrailPagesController } from './audit-trail-pages.controller.js';
import { AuditTrailPagesService } from './audit-trail-pages.service.js';

/** 操作ログ: the trail in words with filters, its CSV, and checking the hash chain. */
@Feature({ name: 'audit-trail.pages', navigation: [{ href: '/audit-trail', label: 'nav.auditTrail', permission: AUDIT_TRAIL.read, order: 60 }] })
@Module({
  imports: [AuditTrailModule],
  controllers: [AuditTrailPagesController, AuditTrailCsvPageController],
  providers: [AuditTrailPagesService, AuditTrailFilterErrorFilter],
})
export class AuditTrailPagesModule {}
