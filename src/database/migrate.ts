import { DataSource } from 'typeorm';
import { dataSourceOptions, type EntityClass } from './data-source-options.js';

/** Applies pending migrations as the owner (DATABASE_OWNER_URL) and returns their names. */
export async function migrate(ownerUrl: string, entities: readonly EntityClass[]): Promise<string[]> {
  const dataSource = await new DataSource(dataSourceOptions(ownerUrl, entities, { logging: ['error'] })).initialize();
  try {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
