import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MamoriConfig } from '../config/configuration.js';
import { AuditTrailWriter } from '../audit-trail/audit-trail.writer.js';
import { dataSourceOptions, type EntityClass } from './data-source-options.js';
import { DatabaseStartupCheck } from './database-privileges.js';
import { UnitOfWork } from './unit-of-work.js';

/** The DataSource (over the entities the features declare) and the unit of work, available everywhere. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: readonly EntityClass[]): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<MamoriConfig, true>) => ({
            ...dataSourceOptions(config.get('database', { infer: true }).url, entities),
            // the app's role cannot migrate: `migrate` runs as the owner (DATABASE_OWNER_URL)
            migrationsRun: false,
            installExtensions: false,
            // failed queries are answered through the problem filter; in tests their log is noise
            ...(config.get('app', { infer: true }).env === 'test' ? { logging: false } : {}),
          }),
        }),
      ],
      providers: [AuditTrailWriter, UnitOfWork, DatabaseStartupCheck],
      exports: [AuditTrailWriter, UnitOfWork],
    };
  }
}
