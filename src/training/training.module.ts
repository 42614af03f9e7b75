import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { AttendanceController } from './attendance.controller.js';
import { AttendanceService } from './attendance.service.js';
import { AcknowledgementsController, PolicyAcknowledgementsController } from './acknowledgements.controller.js';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { CourseAttachment } from './course-attachment.entity.js';
import { CourseAttachmentsController } from './course-attachments.controller.js';
import { CourseAttachmentsService } from './course-attachments.service.js';
import { CourseStatement } from './course-statement.entity.js';
import { Course } from './course.entity.js';
import { CoursesController } from './courses.controller.js';
import { CoursesService } from './courses.service.js';
import { EnrolmentCompletion } from './enrolment-completion.js';
import { ExemptionsController } from './exemptions.controller.js';
import { ExemptionsService } from './exemptions.service.js';
import { Enrolment } from './enrolment.entity.js';
import { MailDrillResult } from './mail-drill-result.entity.js';
import { MyTrainingController } from './my-training.controller.js';
import { MyTrainingService } from './my-training.service.js';
import { MailDrillUpload } from './mail-drill-upload.entity.js';
import { DRILL_UPLOAD_PURGE_SCHEDULE, MailDrillUploadsService } from './mail-drill-uploads.service.js';
import { MailDrillsController } from './mail-drills.controller.js';
import { MailDrillResultsService } from './mail-drill-results.service.js';
import { MailDrillsService } from './mail-drills.service.js';
import { OutstandingAcknowledgements } from './outstanding-acknowledgements.js';
import { AcknowledgementRequestedMail } from './policy-acknowledgement.notifications.js';
import { PolicyAcknowledgementCourses } from './policy-acknowledgements.js';
import { QuizAttempt } from './quiz-attempt.entity.js';
import { StaffEnrolments } from './staff-enrolments.js';
import { TRAINING_AUDIT } from './training.audit.js';
import { CompletedMail, CoursePublishedMail, EnrolledMail } from './training.notifications.js';
import { TRAINING_PROBLEMS } from './training.problems.js';
import { TrainingReminder } from './training-reminder.entity.js';
import { TrainingFiguresExport } from './training-figures-export.js';
import { TrainingFiguresController } from './training-figures.controller.js';
import { TrainingFiguresService } from './training-figures.service.js';
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
  entities: [Course, CourseStatement, CourseAttachment, Enrolment, QuizAttempt, TrainingReminder, MailDrillResult, MailDrillUpload],
  problems: TRAINING_PROBLEMS,
  auditTrail: TRAINING_AUDIT,
  schedules: [TRAINING_REMINDERS_SCHEDULE, DRILL_UPLOAD_PURGE_SCHEDULE],
})
@Module({
  controllers: [
    CoursesController,
    MyTrainingController,
    CourseAttachmentsController,
    ExemptionsController,
    AttendanceController,
    MailDrillsController,
    TrainingFiguresController,
    AcknowledgementsController,
    PolicyAcknowledgementsController,
  ],
  providers: [
    CoursesService,
    EnrolmentCompletion,
    StaffEnrolments,
    CoursePublishedMail,
    EnrolledMail,
    CompletedMail,
    MyTrainingService,
    CourseAttachmentsService,
    ExemptionsService,
    AttendanceService,
    MailDrillsService,
    MailDrillResultsService,
    MailDrillUploadsService,
    TrainingFiguresService,
    TrainingFiguresExport,
    TrainingRemindersService,
    TrainingReminderMail,
    TrainingEscalationMail,
    OutstandingTraining,
    // policy acknowledgements: a course per approved version that asks for it (issue 9 adopted the policies' duties)
    PolicyAcknowledgementCourses,
    AcknowledgementsService,
    OutstandingAcknowledgements,
    AcknowledgementRequestedMail,
  ],
  exports: [
    CoursesService,
    EnrolmentCompletion,
    MyTrainingService,
    CourseAttachmentsService,
    ExemptionsService,
    AttendanceService,
    MailDrillsService,
    MailDrillResultsService,
    MailDrillUploadsService,
    TrainingFiguresService,
    TrainingFiguresExport,
    TrainingRemindersService,
    AcknowledgementsService,
  ],
})
export class TrainingModule {}
