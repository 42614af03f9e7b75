import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { ResponsePlanModule } from '../../response-plan/response-plan.module.js';
import { RESPONSE_PLAN } from '../../response-plan/response-plan.permissions.js';
import { DrillPageFormFilter } from './drill-form.filter.js';
import { DrillPagesController } from './drill-pages.controller.js';
import { DrillPagesService } from './drill-pages.service.js';

/** 訓練: the drill calendar and its figures, the schedule form, a drill's page and the facilitator's live page (views and messages in this folder). */
@Feature({
  name: 'drills.pages',
  navigation: [{ href: '/drills', label: 'nav.drills', permission: RESPONSE_PLAN.read_drill, order: 13 }],
})
@Module({
  imports: [ResponsePlanModule],
  controllers: [DrillPagesController],
  providers: [DrillPagesService, DrillPageFormFilter],
})
export class DrillPagesModule {}
