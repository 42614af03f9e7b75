import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { TrainingModule } from '../../training/training.module.js';
import { TRAINING } from '../../training/training.permissions.js';
import { MailDrillFormErrorFilter } from './mail-drill-form.filter.js';
import { MailDrillPagesController } from './mail-drill-pages.controller.js';
import { MailDrillPagesService } from './mail-drill-pages.service.js';

/** 標的型メール訓練: the drills, their results and figures by department, and the import of their results (the security office). */
@Feature({
  name: 'mail_drills.pages',
  navigation: [{ href: '/training/mail-drills', label: 'nav.mailDrills', permission: TRAINING.read_figures, order: 45 }],
})
@Module({
  imports: [TrainingModule],
  controllers: [MailDrillPagesController],
  providers: [MailDrillPagesService, MailDrillFormErrorFilter],
})
export class MailDrillPagesModule {}
