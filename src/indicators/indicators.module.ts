import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { FiscalYearClose } from './fiscal-year-close.entity.js';
import { FiscalYearsService } from './fiscal-years.service.js';
import { FISCAL_YEAR_CLOSE_COMMAND } from './fiscal-years.command.js';
import { Indicator } from './indicator.entity.js';
import { IndicatorValue } from './indicator-value.entity.js';
import { INDICATORS_AUDIT } from './indicators.audit.js';
import { FiscalYearsController, IndicatorsController } from './indicators.controller.js';
import './indicators.events.js';
import { INDICATOR_PROBLEMS } from './indicators.problems.js';
import { AnnualReportController } from './annual-report.controller.js';
import { AnnualReportExport } from './annual-report-export.js';
import { AnnualReportService } from './annual-report.service.js';
import { ANNUAL_REPORT_COMMAND } from './annual-report.command.js';
import { IndicatorsService } from './indicators.service.js';
import { IndicatorsSync } from './indicators.sync.js';

/**
 * The plan's indicators (issue 13, plan chapter 5): defined in `policies/indicators.yaml` (a part of
 * `policies:sync`), computed per fiscal year from the other modules' records in aggregate SQL or
 * entered by hand with a source note, frozen by the CISO's year close. Reads the other modules'
 * tables; owns only the indicators, the manual values and the closes.
 */
@Feature({
  name: 'indicators',
  entities: [Indicator, IndicatorValue, FiscalYearClose],
  problems: INDICATOR_PROBLEMS,
  auditTrail: INDICATORS_AUDIT,
  commands: [FISCAL_YEAR_CLOSE_COMMAND, ANNUAL_REPORT_COMMAND],
})
@Module({
  controllers: [IndicatorsController, FiscalYearsController, AnnualReportController],
  providers: [IndicatorsService, FiscalYearsService, IndicatorsSync, AnnualReportService, AnnualReportExport],
  exports: [IndicatorsService, FiscalYearsService, AnnualReportService, AnnualReportExport],
})
export class IndicatorsModule {}
