import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { FeaturesModule } from './common/features/features.module.js';
import { configLoaders, loadConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { FEATURE_ENTITIES, FEATURES } from './features.js';
import { HealthController } from './health/health.controller.js';
import { JobsModule } from './jobs/jobs.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { QueueModule } from './outbox/queue.module.js';
import { WebModule } from './web/web.module.js';

/** Configuration, database, queues and the feature catalogue: what every face of Mamori (web, worker, CLI) stands on. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configLoaders }),
    FeaturesModule,
    DatabaseModule.forRoot(FEATURE_ENTITIES),
    QueueModule,
    OrganizationsModule,
  ],
})
export class CoreModule {}

/** The feature modules (src/features.ts). */
export const FEATURE_MODULES = FEATURES.map((feature) => feature.module);
/** Their pages. */
export const PAGE_MODULES = FEATURES.flatMap((feature) => (feature.pages ? [feature.pages].flat() : []));

/** The web process: API, pages, health; in development it runs the jobs too. */
@Module({})
export class AppModule {
  static forRoot(options: { runJobs?: boolean } = {}): DynamicModule {
    const runJobs = options.runJobs ?? loadConfig().app.runWorkerInWeb;
    return {
      module: AppModule,
      imports: [CoreModule, ...FEATURE_MODULES, WebModule, ...PAGE_MODULES, ...(runJobs ? [JobsModule] : [])],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}

/** The worker process: the same modules, no HTTP. */
@Module({ imports: [CoreModule, ...FEATURE_MODULES, JobsModule] })
export class WorkerModule {}
