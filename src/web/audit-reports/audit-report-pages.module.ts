import { Module } from '@nestjs/common';
import { AuditsModule } from '../../audits/audits.module.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { Feature } from '../../common/features/feature.js';
import { AuditAcceptanceFormFilter } from './audit-acceptance.filter.js';
import { AuditReportPagesController } from './audit-report-pages.controller.js';
import { AuditReportPagesService } from './audit-report-pages.service.js';

/** 監査報告: an audit's report (printable, with its workbook and the CISO's acceptance) and the conformance trend across fiscal years. */
@Feature({
  name: 'audit_reports.pages',
  navigation: [{ href: '/audits/trend', label: 'nav.auditTrend', permission: AUDITS.read_trend, order: 27 }],
})
@Module({
  imports: [AuditsModule],
  controllers: [AuditReportPagesController],
  providers: [AuditReportPagesService, AuditAcceptanceFormFilter],
})
export class AuditReportPagesModule {}
