import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { ResponsePlanModule } from '../../response-plan/response-plan.module.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { ResponsePlanPagesController } from './response-plan-pages.controller.js';
import { ResponsePlanPagesService } from './response-plan-pages.service.js';
import { PlanApprovalErrorFilter, PlanTextErrorFilter } from './plan-forms.js';

/** 緊急時対応計画: the plan and its scenarios' playbooks for all staff (printable), and the contact sheet (緊急連絡網). */
@Feature({
  name: 'response-plan.pages',
  navigation: [{ href: '/response-plan', label: 'nav.responsePlan', permission: RESPONSE_PLAN.read, order: 12 }],
})
@Module({
  imports: [ResponsePlanModule],
  controllers: [ResponsePlanPagesController],
  providers: [ResponsePlanPagesService, PlanApprovalErrorFilter, PlanTextErrorFilter],
})
export class ResponsePlanPagesModule {}
