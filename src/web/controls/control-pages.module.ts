import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { ControlsModule } from '../../controls/controls.module.js';
import { CONTROLS } from '../../controls/controls.permissions.js';
import { StaffModule } from '../../staff/staff.module.js';
import { ControlFormErrorFilter } from './control-form.filter.js';
import { ControlPagesController } from './control-pages.controller.js';
import { ControlPagesService } from './control-pages.service.js';
import { ControlWorkItems } from './control-work-items.js';
import { EvidenceFormInterceptor } from './evidence-form.interceptor.js';

/** 管理策: the catalogue with its coverage, a control's status and evidence, the checks due (views and messages in this folder). */
@Feature({ name: 'controls.pages', navigation: [{ href: '/controls', label: 'nav.controls', permission: CONTROLS.read, order: 20 }] })
@Module({
  imports: [ControlsModule, StaffModule],
  controllers: [ControlPagesController],
  providers: [ControlPagesService, ControlFormErrorFilter, EvidenceFormInterceptor, ControlWorkItems],
})
export class ControlPagesModule {}
