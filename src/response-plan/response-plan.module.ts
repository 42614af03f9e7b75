import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { IncidentsModule } from '../incidents/incidents.module.js';
import { IncidentPlaybooks } from './incident-playbooks.js';
import { Drill } from './drill.entity.js';
import { DrillFiguresController, DrillRunsController } from './drill-runs.controller.js';
import { DrillRunsService } from './drill-runs.service.js';
import { FindingsModule } from '../findings/findings.module.js';
import { DrillAttendance, DrillEvent, DrillStepRecord } from './drill-record.entity.js';
import { DrillsController } from './drills.controller.js';
import { DrillsService } from './drills.service.js';
import { ResponseContact } from './response-contact.entity.js';
import { RESPONSE_PLAN_AUDIT } from './response-plan.audit.js';
import { RESPONSE_PLAN_PROBLEMS } from './response-plan.problems.js';
import { RESPONSE_PLAN_SYNC_COMMAND, ResponsePlanSync } from './response-plan.sync.js';
import { PlaybookStep, Scenario } from './scenario.entity.js';
import { ResponsePlanController, ScenariosController } from './scenarios.controller.js';
import { ScenariosService } from './scenarios.service.js';
import { DrillProposal } from './drill-proposal.entity.js';
import { ResponsePlanVersion } from './response-plan-version.entity.js';
import { DrillProposalsController, ResponsePlanVersionsController, ScenarioDraftsController } from './response-plan-versions.controller.js';
import { ResponsePlanVersionsService } from './response-plan-versions.service.js';
import { DrillInvitationMail, DrillInvitations, DrillUninvitedMail } from './drill-invitations.js';
import { DrillReminder } from './drill-reminder.entity.js';
import { DRILL_REMINDERS_SCHEDULE, DrillReminderMail, DrillRemindersService } from './drill-reminders.service.js';

/**
 * The emergency response plan (plan item III-5): its scenarios with their playbooks and its outside
 * contacts, loaded from `policies/response-plan/`; triage offers a scenario's steps as an incident's
 * tasks. (Plan approval, the contact roster page and drills follow.)
 */
@Feature({
  name: 'response-plan',
  entities: [Scenario, PlaybookStep, ResponseContact, Drill, DrillAttendance, DrillStepRecord, DrillEvent, ResponsePlanVersion, DrillProposal, DrillReminder],
  problems: RESPONSE_PLAN_PROBLEMS,
  auditTrail: RESPONSE_PLAN_AUDIT,
  commands: [RESPONSE_PLAN_SYNC_COMMAND],
  schedules: [DRILL_REMINDERS_SCHEDULE],
})
@Module({
  imports: [IncidentsModule, FindingsModule],
  controllers: [
    ScenariosController,
    ResponsePlanController,
    DrillsController,
    DrillRunsController,
    DrillFiguresController,
    ResponsePlanVersionsController,
    ScenarioDraftsController,
    DrillProposalsController,
  ],
  providers: [
    ScenariosService,
    ResponsePlanSync,
    IncidentPlaybooks,
    DrillsService,
    DrillRunsService,
    ResponsePlanVersionsService,
    DrillInvitations,
    DrillInvitationMail,
    DrillUninvitedMail,
    DrillRemindersService,
    DrillReminderMail,
  ],
  exports: [ScenariosService, ResponsePlanSync, DrillsService, DrillRunsService, ResponsePlanVersionsService, DrillRemindersService],
})
export class ResponsePlanModule {}
