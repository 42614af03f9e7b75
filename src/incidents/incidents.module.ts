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
  ],
  problems: INCIDENT_PROBLEMS,
  auditTrail: INCIDENTS_AUDIT,
  outbox: { 'incident.escalation_due': 'jobs', 'incident.escalation_webhook': 'jobs' },
  commands: [ESCALATION_SYNC_COMMAND],
})
@Module({
  controllers: [IncidentsController, EscalationPoliciesController],
  providers: [IncidentsService, EscalationService, EscalationMail, EscalationWebhook, IncidentReportedMail, EscalationPoliciesService, EscalationPoliciesSync],
  exports: [IncidentsService, EscalationService, EscalationPoliciesService, EscalationPoliciesSync],
})
export class IncidentsModule {}
