import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { AcknowledgementsController, PolicyAcknowledgementsController } from './acknowledgements.controller.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { CourseAttachment } from './course-attachment.entity.js';
import { CourseStatement } from './course-statement.entity.js';
import { Course } from './course.entity.js';
import { CoursesController } from './courses.controller.js';
import { CoursesService } from './courses.service.js';
import { EnrolmentCompletion } from './enrolment-completion.js';
import { Enrolment } from './enrolment.entity.js';
import { MailDrillResult } from './mail-drill-result.entity.js';
import { OutstandingAcknowledgements } from './outstanding-acknowledgements.js';
import { AcknowledgementRequestedMail } from './policy-acknowledgement.notifications.js';
import { PolicyAcknowledgementCourses } from './policy-acknowledgements.js';
import { QuizAttempt } from './quiz-attempt.entity.js';
import { StaffEnrolments } from './staff-enrolments.js';
import { TRAINING_AUDIT } from './training.audit.js';
import { CompletedMail, CoursePublishedMail, EnrolledMail } from './training.notifications.js';
import { TRAINING_PROBLEMS } from './training.problems.js';
import { TrainingReminder } from './training-reminder.entity.js';

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
})
@Module({
  controllers: [CoursesController, AcknowledgementsController, PolicyAcknowledgementsController],
  providers: [
    CoursesService,
    EnrolmentCompletion,
    StaffEnrolments,
    CoursePublishedMail,
    EnrolledMail,
    CompletedMail,
    // policy acknowledgements: a course per approved version that asks for it (issue 9 adopted the policies' duties)
    PolicyAcknowledgementCourses,
    AcknowledgementsService,
    OutstandingAcknowledgements,
    AcknowledgementRequestedMail,
  ],
  exports: [CoursesService, EnrolmentCompletion, AcknowledgementsService],
})
export class TrainingModule {}
