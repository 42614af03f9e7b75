import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { Organization } from '../organizations/organization.entity.js';
import { AuditTrailEntry } from '../audit-trail/audit-trail-entry.entity.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { projectRoot } from './project-root.js';
import { ReferenceCounter } from './reference-counter.entity.js';

export type EntityClass = abstract new (...args: never[]) => object;

/** The plumbing's own tables; the features add theirs (`@Feature({ entities })`). */
export const PLUMBING_ENTITIES: readonly EntityClass[] = [Organization, AuditTrailEntry, OutboxMessage, ReferenceCounter];

/**
 * The one set of options the web process, the worker, the CLI, TypeORM's migration commands and
 * the tests share, over the given entities (the composition root passes the features'). Migrations
 * run from their compiled form (dist/migrations); the tests run them through the compiled CLI once,
 * into a template database, so under ts-jest the list is empty.
 */

export function dataSourceOptions(url: string, entities: readonly EntityClass[], overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const compiled = import.meta.url.includes('/dist/');
  const migrations = compiled ? [join(projectRoot(), 'dist/migrations/*.js')] : [];
  return {
    type: 'postgres',
    url,
    entities: [...new Set([...PLUMBING_ENTITIES, ...entities])] as DataSourceOptions['entities'],
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
