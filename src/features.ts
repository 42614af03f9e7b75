import type { Type } from '@nestjs/common';
import { AuditTrailModule } from './audit-trail/audit-trail.module.js';
import { AuthModule } from './auth/auth.module.js';
import { entitiesOf } from './common/features/feature.js';
import { ControlsModule } from './controls/controls.module.js';
import { FindingsModule } from './findings/findings.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { AuditsModule } from './audits/audits.module.js';
import { ResponsePlanModule } from './response-plan/response-plan.module.js';
import { AuditChecklistPagesModule } from './web/audit-checklists/audit-checklist-pages.module.js';
import { DepartmentDutiesModule } from './department-duties/department-duties.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PoliciesModule } from './policies/policies.module.js';
import { TrainingModule } from './training/training.module.js';
import { SecurityDigestModule } from './security-digest/security-digest.module.js';
import { DepartmentsModule } from './staff/departments.module.js';
import { RoleRequestsModule } from './staff/role-requests.module.js';
import { StaffImportModule } from './staff/staff-import.module.js';
import { StaffModule } from './staff/staff.module.js';
import { AuditTrailPagesModule } from './web/audit-trail/audit-trail-pages.module.js';
import { ControlPagesModule } from './web/controls/control-pages.module.js';
import { CoursePagesModule } from './web/courses/course-pages.module.js';
import { DepartmentDutyPagesModule } from './web/department-duties/department-duty-pages.module.js';
import { DepartmentPagesModule } from './web/departments/department-pages.module.js';
import { IncidentPagesModule } from './web/incidents/incident-pages.module.js';
import { EscalationPolicyPagesModule } from './web/escalation-policies/escalation-policy-pages.module.js';
import { MyTrainingPagesModule } from './web/my-training/my-training-pages.module.js';
import { MailDrillPagesModule } from './web/mail-drills/mail-drill-pages.module.js';
import { PolicyPagesModule } from './web/policies/policy-pages.module.js';
import { RoleRequestPagesModule } from './web/role-requests/role-request-pages.module.js';
import { StaffImportPagesModule } from './web/staff-import/staff-import-pages.module.js';
import { StaffPagesModule } from './web/staff/staff-pages.module.js';
import { TrainingCompletionPagesModule } from './web/training-completion/training-completion-pages.module.js';
import { IncidentDeskPagesModule } from './web/incident-desk/incident-desk-pages.module.js';
import { IncidentReportPagesModule } from './web/incident-reports/incident-report-pages.module.js';
import { AuditReportPagesModule } from './web/audit-reports/audit-report-pages.module.js';
import { AuditPagesModule } from './web/audits/audit-pages.module.js';
import { FindingPagesModule } from './web/findings/finding-pages.module.js';
import { ResponsePlanPagesModule } from './web/response-plan/response-plan-pages.module.js';
import { DrillPagesModule } from './web/drills/drill-pages.module.js';
import { CalendarFeedsModule } from './calendar-feeds/calendar-feeds.module.js';
import { CalendarFeedPagesModule } from './web/calendar-feeds/calendar-feed-pages.module.js';
import { DrillRecordPagesModule } from './web/drill-records/drill-record-pages.module.js';
import { IndicatorsModule } from './indicators/indicators.module.js';
import { IndicatorPagesModule } from './web/indicators/indicator-pages.module.js';
import { AnnualReportPagesModule } from './web/annual-report/annual-report-pages.module.js';

/** A feature: its module (API, services, jobs) and, when it has pages, the module of its pages under src/web/. */
export interface FeatureEntry {
  module: Type;
  /** the module of its pages, or several (a feature with many pages keeps each set in its own folder) */
  pages?: Type | readonly Type[];
}

/**
 * The module list: one line per feature, in the order they build on each other. Everything else a
 * feature brings (entities, problem codes, schedules, outbox topics, notification templates, event
 * handlers, navigation) it declares where it lives.
 */
export const FEATURES: readonly FeatureEntry[] = [
  { module: NotificationsModule },
  { module: AuthModule },
  // before the staff pages: its routes are registered first, so /staff/import is never taken for /staff/:id
  { module: StaffImportModule, pages: StaffImportPagesModule },
  { module: StaffModule, pages: StaffPagesModule },
  { module: DepartmentsModule, pages: DepartmentPagesModule },
  { module: RoleRequestsModule, pages: RoleRequestPagesModule },
  { module: AuditTrailModule, pages: AuditTrailPagesModule },
  { module: PoliciesModule, pages: PolicyPagesModule },
  { module: ControlsModule, pages: ControlPagesModule },
  // the pages of training: my training, course administration, the completion board, targeted-mail drills
  { module: TrainingModule, pages: [MyTrainingPagesModule, CoursePagesModule, TrainingCompletionPagesModule, MailDrillPagesModule] },
  { module: FindingsModule, pages: FindingPagesModule },
  // the pages of incidents: the desk's first (its /incidents/figures is not an incident's page /incidents/:id), external reports and reviews, escalation policies, then the report form, my reports, the board, an incident's page
  { module: IncidentsModule, pages: [IncidentDeskPagesModule, IncidentReportPagesModule, EscalationPolicyPagesModule, IncidentPagesModule] },
  // the pages of audits: the report and trend pages first (/audits/trend is not an audit's page /audits/:id), then the plans and an audit's page, the checklists
  { module: AuditsModule, pages: [AuditReportPagesModule, AuditPagesModule, AuditChecklistPagesModule] },
  // the pages of the response plan: the plan and its playbooks; the drills (calendar, a drill, the live page); a drill's record, checklist and paper sheet
  { module: ResponsePlanModule, pages: [ResponsePlanPagesModule, DrillPagesModule, DrillRecordPagesModule] },
  { module: DepartmentDutiesModule, pages: DepartmentDutyPagesModule },
  { module: SecurityDigestModule },
  { module: CalendarFeedsModule, pages: CalendarFeedPagesModule },
  // the plan's indicators read every module above
  { module: IndicatorsModule, pages: [IndicatorPagesModule, AnnualReportPagesModule] },
];

/** The entities of every feature, for the DataSource (the plumbing adds its own). */
export const FEATURE_ENTITIES = entitiesOf(FEATURES.map((feature) => feature.module));
