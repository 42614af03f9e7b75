import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { IncidentsModule } from '../../incidents/incidents.module.js';
import { RecordSentFormErrorFilter, ReviewFormErrorFilter } from './incident-report-form.filter.js';
import { IncidentReportPagesController } from './incident-report-pages.controller.js';
import { IncidentReportPagesService } from './incident-report-pages.service.js';

/** 外部報告 and 事後レビュー of an incident: the checklist with countdowns, the drafts, the review form (linked from the incident page). */
@Feature({ name: 'incident_reports.pages' })
@Module({
  imports: [IncidentsModule],
  controllers: [IncidentReportPagesController],
  providers: [IncidentReportPagesService, RecordSentFormErrorFilter, ReviewFormErrorFilter],
})
export class IncidentReportPagesModule {}
