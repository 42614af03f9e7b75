import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { EscalationClimb } from './escalation-climb.entity.js';
import { EscalationFiring } from './escalation-firing.entity.js';
import { EscalationMail, EscalationWebhook } from './escalation.notifications.js';
import { EscalationPoliciesController } from './escalation-policies.controller.js';
import { EscalationPoliciesService } from './escalation-policies.service.js';
import { ESCALATION_SYNC_COMMAND, EscalationPoliciesSync } from './escalation-policies.sync.js';
import { EscalationPolicy } from './escalation-policy.entity.js';
import { EscalationService } from './escalation.service.js';
import { ExternalReport } from './external-report.entity.js';
import { IncidentAttachment } from './incident-attachment.entity.js';
import { IncidentSubmission } from './incident-submission.entity.js';
import { IncidentTask } from './incident-task.entity.js';
import { IncidentTimelineEntry } from './incident-timeline-entry.entity.js';
import { Incident } from './incident.entity.js';
import { INCIDENTS_AUDIT } from './incidents.audit.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentReportedMail } from './incidents.notifications.js';
import { INCIDENT_PROBLEMS } from './incidents.problems.js';
import { IncidentsService } from './incidents.service.js';
import { PostIncidentReview } from './post-incident-review.entity.js';
import { IncidentFiguresExport } from './incident-figures-export.js';
import { IncidentFiguresController } from './incident-figures.controller.js';
import { IncidentFiguresService } from './incident-figures.service.js';
import { ResidentAcknowledgement } from './resident-acknowledgement.entity.js';
import { ResidentReportLimiter } from './resident-report-limiter.js';
import { ResidentReportsController } from './resident-reports.controller.js';
import { ResidentReportsService } from './resident-reports.service.js';
import { IncidentAttachmentUploadInterceptor } from './incident-attachment-upload.interceptor.js';
import { IncidentAttachmentsController } from './incident-attachments.controller.js';
import { IncidentAttachmentsService } from './incident-attachments.service.js';
import { IncidentTasksController } from './incident-tasks.controller.js';
import { IncidentTasksService } from './incident-tasks.service.js';
import { FindingsModule } from '../findings/findings.module.js';
import { ExternalReportDrafts } from './external-report-draft.js';
import { ExternalReportReminder } from './external-report-reminder.entity.js';
import { ExternalReportReminderMail } from './external-report.notifications.js';
import { EXTERNAL_REPORT_REMINDERS_SCHEDULE, ExternalReportRemindersService } from './external-report-reminders.service.js';
import { ExternalReportsController } from './external-reports.controller.js';
import { ExternalReportsService } from './external-reports.service.js';
import { PostIncidentReviewController } from './post-incident-review.controller.js';
import { PostIncidentReviewService } from './post-incident-review.service.js';

/**
 * Incident reporting and response (indicator: 0 incidents): the one-minute report, triage on the
 * transition table, the append-only timeline, escalation that climbs by itself and stops on
 * acknowledgement, the Commission's report deadlines, post-incident review.
 */
@Feature({
  name: 'incidents',
  entities: [
    Incident,
    IncidentTimelineEntry,
    IncidentTask,
    IncidentSubmission,
    IncidentAttachment,
    EscalationPolicy,
    EscalationClimb,
    EscalationFiring,
    ExternalReport,
    PostIncidentReview,
    ResidentAcknowledgement,
    ExternalReportReminder,
  ],
  problems: INCIDENT_PROBLEMS,
  auditTrail: INCIDENTS_AUDIT,
  outbox: { 'incident.escalation_due': 'jobs', 'incident.escalation_webhook': 'jobs' },
  schedules: [EXTERNAL_REPORT_REMINDERS_SCHEDULE],
  commands: [ESCALATION_SYNC_COMMAND],
})
@Module({
  // the figures before the incidents' own routes: /api/v1/incidents/figures is not /api/v1/incidents/:id
  imports: [FindingsModule],
  controllers: [
    IncidentFiguresController,
    IncidentsController,
    ResidentReportsController,
    IncidentTasksController,
    IncidentAttachmentsController,
    ExternalReportsController,
    PostIncidentReviewController,
    EscalationPoliciesController,
  ],
  providers: [
    IncidentsService,
    EscalationService,
    EscalationMail,
    EscalationWebhook,
    IncidentReportedMail,
    IncidentFiguresService,
    IncidentFiguresExport,
    ResidentReportLimiter,
    ResidentReportsService,
    IncidentTasksService,
    IncidentAttachmentsService,
    IncidentAttachmentUploadInterceptor,
    ExternalReportsService,
    ExternalReportDrafts,
    ExternalReportRemindersService,
    ExternalReportReminderMail,
    PostIncidentReviewService,
    EscalationPoliciesService,
    EscalationPoliciesSync,
  ],
  exports: [
    IncidentsService,
    EscalationService,
    IncidentFiguresService,
    IncidentFiguresExport,
    ResidentReportsService,
    IncidentTasksService,
    IncidentAttachmentsService,
    ExternalReportsService,
    ExternalReportDrafts,
    PostIncidentReviewService,
    EscalationPoliciesService,
    EscalationPoliciesSync,
  ],
})
export class IncidentsModule {}
