import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { IncidentsModule } from '../../incidents/incidents.module.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { IncidentDeskPagesController } from './incident-desk-pages.controller.js';
import { IncidentDeskPagesService } from './incident-desk-pages.service.js';
import { IncidentDeskWorkItems } from './incident-desk-work-items.js';
import { ResidentReceiptCookie } from './resident-receipt.cookie.js';
import { ResidentReportFormFilter } from './resident-report-form.filter.js';
import { ResidentReportPagesController } from './resident-report-pages.controller.js';

/**
 * The security office's incident desk: the residents' public report page (/report), the incident
 * figures of a fiscal year with their workbook, the external reports coming due, and the incidents'
 * lines of the work queue.
 */
@Feature({
  name: 'incident-desk.pages',
  navigation: [{ href: '/incidents/figures', label: 'nav.incidentFigures', permission: INCIDENTS.read_figures, order: 47 }],
})
@Module({
  imports: [IncidentsModule],
  controllers: [ResidentReportPagesController, IncidentDeskPagesController],
  providers: [IncidentDeskPagesService, IncidentDeskWorkItems, ResidentReceiptCookie, ResidentReportFormFilter],
})
export class IncidentDeskPagesModule {}
