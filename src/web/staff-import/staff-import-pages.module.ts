import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { StaffImportModule } from '../../staff/staff-import.module.js';
import { StaffImportFormErrorFilter } from './staff-import-form.filter.js';
import { StaffImportFormInterceptor } from './staff-import-form.interceptor.js';
import { StaffImportPagesController } from './staff-import-pages.controller.js';
import { StaffImportPagesService } from './staff-import-pages.service.js';

/** 職員の一括取り込み (/staff/import): the HR file's upload, preview and confirmation; linked from the staff list. */
@Feature({ name: 'staff-import.pages' })
@Module({
  imports: [StaffImportModule],
  controllers: [StaffImportPagesController],
  providers: [StaffImportPagesService, StaffImportFormErrorFilter, StaffImportFormInterceptor],
})
export class StaffImportPagesModule {}
