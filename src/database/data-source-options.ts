import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { ENTITIES } from './entities.js';
import { projectRoot } from './project-root.js';

/**
 * The one set of options the web process, the worker, the CLI, TypeORM's migration commands and
 * the tests share. Migrations run from their compiled form (dist/migrations); the tests run them
 * through the compiled CLI once, into a template database, so under ts-jest the list is empty.
 */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const compiled = import.meta.url.includes('/dist/');
  const migrations = compiled ? [join(projectRoot(), 'dist/migrations/*.js')] : [];
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    extra: { max: 10, application_name: 'mamori' },
    ...overrides,
  } as DataSourceOptions;
}
