import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { Feature } from '../common/features/feature.js';
import { Department } from './department.entity.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsService } from './departments.service.js';
import { StaffImportService } from './staff-import.service.js';
import { StaffController } from './staff.controller.js';
import { Staff } from './staff.entity.js';
import { RoleRequest } from './role-request.entity.js';
import { RoleRequestsController } from './role-requests.controller.js';
import { ROLE_REQUEST_EXPIRY_SCHEDULE, RoleRequestsService } from './role-requests.service.js';
import { RoleRequestMail, StaffWelcomeMail } from './staff.notifications.js';
import { STAFF_PROBLEMS } from './staff.problems.js';
import { StaffService } from './staff.service.js';
import { STAFF_AUDIT } from './staff.audit.js';

/**
 * Staff and departments, and the role requests that alone grant or remove a privileged role; tells
 * the other features who joined, moved or left (staff.events.ts).
 */
@Feature({
  name: 'staff',
  entities: [Department, Staff, RoleRequest],
  problems: STAFF_PROBLEMS,
  schedules: [ROLE_REQUEST_EXPIRY_SCHEDULE],
  auditTrail: STAFF_AUDIT,
})
@Module({
  imports: [AuthModule],
  controllers: [StaffController, DepartmentsController, RoleRequestsController],
  providers: [StaffService, DepartmentsService, StaffImportService, RoleRequestsService, StaffWelcomeMail, RoleRequestMail],
  exports: [StaffService, DepartmentsService, RoleRequestsService, StaffImportService],
})
export class StaffModule {}
