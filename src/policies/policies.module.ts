import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ControlsController, PoliciesController } from './controls.controller.js';
import { ControlsService } from './controls.service.js';
import { PoliciesSyncService } from './policies-sync.service.js';

@Module({
  imports: [AuthModule],
  controllers: [ControlsController, PoliciesController],
  providers: [ControlsService, PoliciesSyncService],
  exports: [ControlsService, PoliciesSyncService],
})
export class PoliciesModule {}
