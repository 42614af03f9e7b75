import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { IncidentsModule } from '../../incidents/incidents.module.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { StaffModule } from '../../staff/staff.module.js';
import { IncidentPageFormFilter, IncidentReportFormFilter } from './incident-form.filter.js';
import { IncidentPagesController } from './incident-pages.controller.js';
import { IncidentPagesService } from './incident-pages.service.js';
import { IncidentAttachmentFormInterceptor, IncidentReportFormInterceptor } from './incident-upload-forms.interceptor.js';

/**
 * インシデント: the one-minute report form (in everyone's menu, so it is one click from every page),
 * my reports, the board of the CSIRT and the security office, and an incident's page (views and
 * messages in this folder).
 */
@Feature({
  name: 'incidents.pages',
  navigation: [
    { href: '/incidents/new', label: 'nav.reportIncident', permission: INCIDENTS.report, order: 1 },
    { href: '/incidents/mine', label: 'nav.myIncidents', permission: INCIDENTS.read, order: 6 },
    { href: '/incidents', label: 'nav.incidentBoard', permission: INCIDENTS.read_all, order: 15 },
  ],
})
@Module({
  imports: [IncidentsModule, StaffModule],
  controllers: [IncidentPagesController],
  providers: [IncidentPagesService, IncidentReportFormFilter, IncidentPageFormFilter, IncidentReportFormInterceptor, IncidentAttachmentFormInterceptor],
})
export class IncidentPagesModule {}
