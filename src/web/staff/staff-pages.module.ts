import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { StaffModule } from '../../staff/staff.module.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { StaffPagesController } from './staff-pages.controller.js';

/** 職員一覧: the staff the signed-in person may see. */
@Feature({ name: 'staff.pages', navigation: [{ href: '/staff', label: 'nav.staff', permission: STAFF.list, order: 50 }] })
@Module({ imports: [StaffModule], controllers: [StaffPagesController] })
export class StaffPagesModule {}
