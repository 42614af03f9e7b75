import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { TrainingModule } from '../../training/training.module.js';
import { TRAINING } from '../../training/training.permissions.js';
import { MyEnrolmentFormErrorFilter } from './my-enrolment-form.filter.js';
import { MyTrainingDuties } from './my-training-duties.js';
import { MyTrainingPagesController } from './my-training-pages.controller.js';
import { MyTrainingPagesService } from './my-training-pages.service.js';

/** わたしの研修: a member of staff taking their training (read, quiz, acknowledge; on a phone too), the certificates, and the courses owed on "my page". */
@Feature({
  name: 'my-training.pages',
  navigation: [{ href: '/training', label: 'nav.myTraining', permission: TRAINING.take, order: 5 }],
})
@Module({
  imports: [TrainingModule],
  controllers: [MyTrainingPagesController],
  providers: [MyTrainingPagesService, MyEnrolmentFormErrorFilter, MyTrainingDuties],
})
export class MyTrainingPagesModule {}
