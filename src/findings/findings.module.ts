import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { CorrectiveAction } from './corrective-action.entity.js';
import { Finding } from './finding.entity.js';
import { CorrectiveActionReminder } from './corrective-action-reminder.entity.js';
import { FINDINGS_AUDIT } from './findings.audit.js';
import { CorrectiveActionsController, FindingsController } from './findings.controller.js';
import { FINDING_PROBLEMS } from './findings.problems.js';
import { FindingsService } from './findings.service.js';
import { CarriedOverController } from './carried-over.controller.js';
import { CarriedOverFindingsService } from './carried-over-findings.service.js';
import { CORRECTIVE_ACTION_REMINDERS_SCHEDULE, CorrectiveActionRemindersService } from './corrective-action-reminders.service.js';
import { CorrectiveActionReminderMail } from './corrective-action-reminders.notifications.js';

/**
 * Findings (指摘事項) and their corrective actions (是正措置), shared by incident reviews, audits and
 * drills: raised with an owner department and a due date, followed to verification.
 */
@Feature({
  name: 'findings',
  entities: [Finding, CorrectiveAction, CorrectiveActionReminder],
  problems: FINDING_PROBLEMS,
  auditTrail: FINDINGS_AUDIT,
  schedules: [CORRECTIVE_ACTION_REMINDERS_SCHEDULE],
})
@Module({
  controllers: [CarriedOverController, FindingsController, CorrectiveActionsController],
  providers: [FindingsService, CarriedOverFindingsService, CorrectiveActionRemindersService, CorrectiveActionReminderMail],
  exports: [FindingsService, CarriedOverFindingsService, CorrectiveActionRemindersService],
})
export class FindingsModule {}
