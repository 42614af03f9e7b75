import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { IncidentsModule } from '../incidents/incidents.module.js';
import { IncidentPlaybooks } from './incident-playbooks.js';
import { Drill } from './drill.entity.js';
import { DrillsController } from './drills.controller.js';
import { DrillsService } from './drills.service.js';
import { ResponseContact } from './response-contact.entity.js';
import { RESPONSE_PLAN_AUDIT } from './response-plan.audit.js';
import { RESPONSE_PLAN_PROBLEMS } from './response-plan.problems.js';
import { RESPONSE_PLAN_SYNC_COMMAND, ResponsePlanSync } from './response-plan.sync.js';
import { PlaybookStep, Scenario } from './scenario.entity.js';
import { ResponsePlanController, ScenariosController } from './scenarios.controller.js';
import { ScenariosService } from './scenarios.service.js';
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
  entities: [Scenario, PlaybookStep, ResponseContact, Drill, DrillReminder],
  problems: RESPONSE_PLAN_PROBLEMS,
  auditTrail: RESPONSE_PLAN_AUDIT,
  commands: [RESPONSE_PLAN_SYNC_COMMAND],
  schedules: [DRILL_REMINDERS_SCHEDULE],
})
@Module({
  imports: [IncidentsModule],
  controllers: [ScenariosController, ResponsePlanController, DrillsController],
  providers: [
    ScenariosService,
    ResponsePlanSync,
    IncidentPlaybooks,
    DrillsService,
    DrillInvitations,
    DrillInvitationMail,
    DrillUninvitedMail,
    DrillRemindersService,
    DrillReminderMail,
  ],
  exports: [ScenariosService, ResponsePlanSync, DrillRemindersService],
})
export class ResponsePlanModule {}
