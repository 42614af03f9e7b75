import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { Feature } from '../../common/features/feature.js';
import { StaffModule } from '../../staff/staff.module.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { StaffFormErrorFilter } from './staff-form.filter.js';
import { StaffPagesController } from './staff-pages.controller.js';
import { StaffPagesService } from './staff-pages.service.js';

/** 職員: the staff list, each person's page, and the administrator's forms (add, change, invite again, retire). */
@Feature({ name: 'staff.pages', navigation: [{ href: '/staff', label: 'nav.staff', permission: STAFF.list, order: 50 }] })
@Module({ imports: [StaffModule, AuthModule], controllers: [StaffPagesController], providers: [StaffPagesService, StaffFormErrorFilter] })
export class StaffPagesModule {}
