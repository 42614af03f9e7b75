import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRegistry } from '../../jobs/job-registry.js';
import { DomainEventBus } from '../events/domain-events.js';
import { FeatureCatalog } from './discovery.js';

/** What the plumbing learns from the loaded features: their declarations, event handlers and job handlers. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [FeatureCatalog, DomainEventBus, JobRegistry],
  exports: [FeatureCatalog, DomainEventBus, JobRegistry],
})
export class FeaturesModule {}
