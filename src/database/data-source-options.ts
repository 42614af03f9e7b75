import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { ENTITIES } from './entities.js';
import { projectRoot } from './project-root.js';

/**
 * The one set of options the web process, the worker, the CLI, TypeORM's migration commands and
 * the tests share. Migrations are compiled to dist/migrations; under ts-jest they are loaded from
 * their TypeScript sources.
 */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const compiled = import.meta.url.includes('/dist/');
  const migrationsGlob = compiled ? join(projectRoot(), 'dist/migrations/*.js') : join(projectRoot(), 'migrations/*.ts');
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [migrationsGlob],
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
