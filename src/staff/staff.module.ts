import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PolicyReviewsModule } from '../policies/policy-reviews.module.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsService } from './departments.service.js';
import { StaffImportService } from './staff-import.service.js';
import { StaffController } from './staff.controller.js';
import { StaffService } from './staff.service.js';

@Module({
  imports: [AuthModule, PolicyReviewsModule],
  controllers: [StaffController, DepartmentsController],
  providers: [StaffService, DepartmentsService, StaffImportService],
  exports: [StaffService, DepartmentsService],
})
export class StaffModule {}
