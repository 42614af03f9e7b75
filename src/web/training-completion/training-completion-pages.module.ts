import { TrainingWorkItems } from './training-work-items.js';
import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { TrainingModule } from '../../training/training.module.js';
import { TRAINING } from '../../training/training.permissions.js';
import { CompletionFilterErrorFilter, NotCompletedFilterErrorFilter } from './completion-filter.filter.js';
import { TrainingCompletionPagesController } from './training-completion-pages.controller.js';
import { TrainingCompletionPagesService } from './training-completion-pages.service.js';

/** 受講状況: the completion board by department (a bar each against the 100% line), the not-completed list, their exports. */
@Feature({
  name: 'training_completion.pages',
  navigation: [{ href: '/training/completion', label: 'nav.trainingCompletion', permission: TRAINING.read_figures, order: 36 }],
})
@Module({
  imports: [TrainingModule],
  controllers: [TrainingCompletionPagesController],
  providers: [TrainingCompletionPagesService, TrainingWorkItems, CompletionFilterErrorFilter, NotCompletedFilterErrorFilter],
})
export class TrainingCompletionPagesModule {}
