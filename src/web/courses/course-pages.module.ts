import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { DepartmentsModule } from '../../staff/departments.module.js';
import { TrainingModule } from '../../training/training.module.js';
import { TRAINING } from '../../training/training.permissions.js';
import { CourseFormErrorFilter } from './course-form.filter.js';
import { CoursePagesController } from './course-pages.controller.js';
import { CourseRecordsPagesService } from './course-records-pages.service.js';
import { CoursePagesService } from './course-pages.service.js';

/**
 * 研修の管理: the security office's pages of courses: the list, the form (with the quiz as text),
 * a course's page (material, publishing with its count, closing, repeating), exemptions and
 * classroom attendance. Its providers need nothing of the web layer's, so the worker, which loads
 * the feature modules, can load it too.
 */
@Feature({
  name: 'training.course-pages',
  navigation: [{ href: '/training/courses', label: 'nav.courseAdmin', permission: TRAINING.manage_courses, order: 32 }],
})
@Module({
  imports: [TrainingModule, DepartmentsModule],
  controllers: [CoursePagesController],
  providers: [CoursePagesService, CourseRecordsPagesService, CourseFormErrorFilter],
})
export class CoursePagesModule {}
