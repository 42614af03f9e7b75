import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MamoriConfig } from '../config/configuration.js';
import { AuditTrailWriter } from '../audit-trail/audit-trail.writer.js';
import { dataSourceOptions } from './data-source-options.js';
import { UnitOfWork } from './unit-of-work.js';

/** The DataSource and the unit of work, available everywhere. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<MamoriConfig, true>) => ({
        ...dataSourceOptions(config.get('database', { infer: true }).url),
        migrationsRun: true,
        // failed queries are answered through the problem filter; in tests their log is noise
        ...(config.get('app', { infer: true }).env === 'test' ? { logging: false } : {}),
      }),
    }),
  ],
  providers: [AuditTrailWriter, UnitOfWork],
  exports: [AuditTrailWriter, UnitOfWork],
})
export class DatabaseModule {}
