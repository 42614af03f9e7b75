import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { IndicatorsModule } from '../../indicators/indicators.module.js';
import { INDICATORS } from '../../indicators/indicators.permissions.js';
import { AnnualReportPagesController } from './annual-report-pages.controller.js';
import { AnnualReportPagesService } from './annual-report-pages.service.js';

/** 年次報告: the CIO's annual report for the promotion committee, one A4-portrait printable page with its XLSX and CSV. */
@Feature({
  name: 'annual_report.pages',
  navigation: [{ href: '/reports/annual', label: 'nav.annualReport', permission: INDICATORS.read_report, order: 29 }],
})
@Module({
  imports: [IndicatorsModule],
  controllers: [AnnualReportPagesController],
  providers: [AnnualReportPagesService],
})
export class AnnualReportPagesModule {}
