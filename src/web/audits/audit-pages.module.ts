import { Module } from '@nestjs/common';
import { AuditsModule } from '../../audits/audits.module.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { Feature } from '../../common/features/feature.js';
import { AuditPageFormFilter } from './audit-form.filter.js';
import { AuditPagesController } from './audit-pages.controller.js';
import { AuditPagesService } from './audit-pages.service.js';
import { AuditWorkItems } from './audit-work-items.js';

/**
 * 監査・自己点検: the audit plan pages: the list of a fiscal year, the plan form, an audit's page with
 * its progress per department (start, report), and the work queue's audits (views and messages in
 * this folder).
 */
@Feature({
  name: 'audits.pages',
  navigation: [{ href: '/audits', label: 'nav.audits', permission: AUDITS.read, order: 25 }],
})
@Module({
  imports: [AuditsModule],
  controllers: [AuditPagesController],
  providers: [AuditPagesService, AuditPageFormFilter, AuditWorkItems],
})
export class AuditPagesModule {}
