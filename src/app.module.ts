import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AuditTrailModule } from './audit-trail/audit-trail.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { configLoaders, loadConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { JobsModule } from './notifications/jobs.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { QueueModule } from './outbox/queue.module.js';
import { StaffModule } from './staff/staff.module.js';
import { PoliciesModule } from './policies/policies.module.js';
import { PolicyReviewsModule } from './policies/policy-reviews.module.js';
import { WebModule } from './web/web.module.js';

/** Configuration, database, queues: what every face of Mamori (web, worker, CLI) stands on. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configLoaders }), DatabaseModule, QueueModule, OrganizationsModule],
})
export class CoreModule {}

/** The feature modules. */
export const FEATURE_MODULES: Type[] = [AuthModule, StaffModule, AuditTrailModule, PoliciesModule, PolicyReviewsModule];

/** The web process: API, pages, health; in development it runs the jobs too. */
@Module({})
export class AppModule {
  static forRoot(options: { runJobs?: boolean } = {}): DynamicModule {
    const runJobs = options.runJobs ?? loadConfig().app.runWorkerInWeb;
    return {
      module: AppModule,
      imports: [CoreModule, ...FEATURE_MODULES, WebModule, ...(runJobs ? [JobsModule] : [])],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}

/** The worker process: the same modules, no HTTP. */
@Module({ imports: [CoreModule, ...FEATURE_MODULES, JobsModule] })
export class WorkerModule {}
