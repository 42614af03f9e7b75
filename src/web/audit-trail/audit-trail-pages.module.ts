import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../../audit-trail/audit-trail.module.js';
import { AUDIT_TRAIL } from '../../audit-trail/audit-trail.permissions.js';
import { Feature } from '../../common/features/feature.js';
import { AuditTrailPagesController } from './audit-trail-pages.controller.js';

/** 操作ログ: the newest entries, and checking the hash chain. */
@Feature({ name: 'audit-trail.pages', navigation: [{ href: '/audit-trail', label: 'nav.auditTrail', permission: AUDIT_TRAIL.read, order: 60 }] })
@Module({ imports: [AuditTrailModule], controllers: [AuditTrailPagesController] })
export class AuditTrailPagesModule {}
