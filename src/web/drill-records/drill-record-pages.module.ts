import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { FindingsModule } from '../../findings/findings.module.js';
import { ResponsePlanModule } from '../../response-plan/response-plan.module.js';
import { DrillRecordFormFilter } from './drill-record-form.filter.js';
import { DrillRecordPagesController } from './drill-record-pages.controller.js';
import { DrillRecordPagesService } from './drill-record-pages.service.js';

/**
 * 訓練記録: a drill's record, its printable checklist (訓練チェックシート) and the paper sheet entered
 * afterwards (views and messages in this folder). No menu entry: the drill's own pages link here.
 */
@Feature({ name: 'response-plan.drill-record-pages' })
@Module({
  imports: [ResponsePlanModule, FindingsModule],
  controllers: [DrillRecordPagesController],
  providers: [DrillRecordPagesService, DrillRecordFormFilter],
})
export class DrillRecordPagesModule {}
