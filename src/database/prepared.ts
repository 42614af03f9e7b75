import { createHash } from 'node:crypto';
import type pg from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

const names = new Map<string, string>();

/** A statement's name, from its text: the same text is prepared once per connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `mamori_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A read on the hot path (the session check of every request, the lists) as a named prepared
 * statement straight on the pool: PostgreSQL parses and plans it once per connection, and no query
 * builder runs per request. Rows come back as `pg` parses them (timestamps as Date, bigint as text).
 */
export async function preparedQuery<T>(dataSource: DataSource, text: string, values: readonly unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as pg.Pool;
  try {
    const result = await pool.query<T & pg.QueryResultRow>({ name: nameOf(text), text, values: values as unknown[] });
    return result.rows;
  } catch (error) {
    // as TypeORM reports it, so that the problem filter answers a database error as everywhere else
    throw new QueryFailedError(text, values as unknown[], error as Error);
  }
}
