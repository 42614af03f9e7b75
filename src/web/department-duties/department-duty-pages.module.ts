import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { DepartmentDutiesModule } from '../../department-duties/department-duties.module.js';
import { DEPARTMENT_DUTIES } from '../../department-duties/department-duties.permissions.js';
import { DepartmentDutyPagesController } from './department-duty-pages.controller.js';
import { DepartmentDutyPagesService } from './department-duty-pages.service.js';
import { ReminderFormErrorFilter } from './reminder-form.filter.js';

/** 部署の未完了: who in a department still owes what, and the reminders (its manager; the security office any department). */
@Feature({
  name: 'department_duties.pages',
  navigation: [{ href: '/department-duties', label: 'nav.departmentDuties', permission: DEPARTMENT_DUTIES.read, order: 37 }],
})
@Module({
  imports: [DepartmentDutiesModule],
  controllers: [DepartmentDutyPagesController],
  providers: [DepartmentDutyPagesService, ReminderFormErrorFilter],
})
export class DepartmentDutyPagesModule {}
