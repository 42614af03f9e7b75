import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { IncidentsModule } from '../../incidents/incidents.module.js';
import { IndicatorsModule } from '../../indicators/indicators.module.js';
import { INDICATORS } from '../../indicators/indicators.permissions.js';
import { PoliciesModule } from '../../policies/policies.module.js';
import { IndicatorPageFormFilter } from './indicator-form.filter.js';
import { IndicatorPagesController } from './indicator-pages.controller.js';
import { IndicatorPagesService } from './indicator-pages.service.js';

/** 指標: the dashboard (the home of the security office and the CISO), an indicator's page, the fiscal years and their close (views and messages in this folder). */
@Feature({
  name: 'indicators.pages',
  navigation: [{ href: '/dashboard', label: 'nav.dashboard', permission: INDICATORS.read, order: -20 }],
})
@Module({
  imports: [IndicatorsModule, IncidentsModule, PoliciesModule],
  controllers: [IndicatorPagesController],
  providers: [IndicatorPagesService, IndicatorPageFormFilter],
})
export class IndicatorPagesModule {}
