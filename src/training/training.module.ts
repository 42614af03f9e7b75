import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { CourseAttachment } from './course-attachment.entity.js';
import { CourseStatement } from './course-statement.entity.js';
import { Course } from './course.entity.js';
import { CoursesController } from './courses.controller.js';
import { CoursesService } from './courses.service.js';
import { EnrolmentCompletion } from './enrolment-completion.js';
import { Enrolment } from './enrolment.entity.js';
import { MailDrillResult } from './mail-drill-result.entity.js';
import { QuizAttempt } from './quiz-attempt.entity.js';
import { StaffEnrolments } from './staff-enrolments.js';
import { TRAINING_AUDIT } from './training.audit.js';
import { CompletedMail, CoursePublishedMail, EnrolledMail } from './training.notifications.js';
import { TRAINING_PROBLEMS } from './training.problems.js';
import { TrainingReminder } from './training-reminder.entity.js';
import { TrainingEscalationMail, TrainingReminderMail } from './training-reminders.notifications.js';
import { TRAINING_REMINDERS_SCHEDULE, TrainingRemindersService } from './training-reminders.service.js';
import { OutstandingTraining } from './outstanding-training.js';

/**
 * Staff security training (plan item III-2): courses per fiscal year published to their audience in
 * one statement, enrolments that follow the staff events, completion with quiz and acknowledgement,
 * exemptions, figures by department, reminders that climb to the manager, targeted-mail drills.
 */
@Feature({
  name: 'training',
  entities: [Course, CourseStatement, CourseAttachment, Enrolment, QuizAttempt, TrainingReminder, MailDrillResult],
  problems: TRAINING_PROBLEMS,
  auditTrail: TRAINING_AUDIT,
  schedules: [TRAINING_REMINDERS_SCHEDULE],
})
@Module({
  controllers: [CoursesController],
  providers: [
    CoursesService,
    EnrolmentCompletion,
    StaffEnrolments,
    CoursePublishedMail,
    EnrolledMail,
    CompletedMail,
    TrainingRemindersService,
    TrainingReminderMail,
    TrainingEscalationMail,
    OutstandingTraining,
  ],
  exports: [CoursesService, EnrolmentCompletion, TrainingRemindersService],
})
export class TrainingModule {}
