import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { Feature } from '../common/features/feature.js';
import { Department } from './department.entity.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsService } from './departments.service.js';
import { StaffImportService } from './staff-import.service.js';
import { StaffController } from './staff.controller.js';
import { Staff } from './staff.entity.js';
import { StaffWelcomeMail } from './staff.notifications.js';
import { STAFF_PROBLEMS } from './staff.problems.js';
import { StaffService } from './staff.service.js';

/** Staff and departments; tells the other features who joined, moved or left (staff.events.ts). */
@Feature({ name: 'staff', entities: [Department, Staff], problems: STAFF_PROBLEMS })
@Module({
  imports: [AuthModule],
  controllers: [StaffController, DepartmentsController],
  providers: [StaffService, DepartmentsService, StaffImportService, StaffWelcomeMail],
  exports: [StaffService, DepartmentsService],
})
export class StaffModule {}
