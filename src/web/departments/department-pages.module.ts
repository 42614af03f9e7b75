import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { StaffModule } from '../../staff/staff.module.js';
import { DEPARTMENTS } from '../../staff/staff.permissions.js';
import { DepartmentFormErrorFilter } from './department-form.filter.js';
import { DepartmentPagesController } from './department-pages.controller.js';
import { DepartmentPagesService } from './department-pages.service.js';

/** 部署: the administrator's department tree (create, rename, move, head, close). */
@Feature({ name: 'departments.pages', navigation: [{ href: '/departments', label: 'nav.departments', permission: DEPARTMENTS.manage, order: 55 }] })
@Module({ imports: [StaffModule], controllers: [DepartmentPagesController], providers: [DepartmentPagesService, DepartmentFormErrorFilter] })
export class DepartmentPagesModule {}
