import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { OutstandingDuties } from '../common/outstanding-duties.js';
import { DEPARTMENT_DUTIES_AUDIT } from './department-duties.audit.js';
import { DepartmentDutiesController } from './department-duties.controller.js';
import { DepartmentDutiesService } from './department-duties.service.js';
import { DutyReminderMail } from './department-duties.notifications.js';
import { DEPARTMENT_DUTY_PROBLEMS } from './department-duties.problems.js';
import { DutyReminder } from './duty-reminder.entity.js';

/**
 * 所属の未完了: what a department's people still owe, gathered from every feature that marks a
 * provider `@OutstandingDutySource()` (the policies' acknowledgements; training next), and the
 * reminders its manager or the security office sends, one per person per day.
 */
@Feature({ name: 'department_duties', entities: [DutyReminder], problems: DEPARTMENT_DUTY_PROBLEMS, auditTrail: DEPARTMENT_DUTIES_AUDIT })
@Module({
  controllers: [DepartmentDutiesController],
  providers: [DepartmentDutiesService, OutstandingDuties, DutyReminderMail],
  exports: [DepartmentDutiesService],
})
export class DepartmentDutiesModule {}
