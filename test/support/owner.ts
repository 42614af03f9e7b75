import pg from 'pg';
import type { TestApp } from './test-app.js';

/**
 * Runs `work` on this test file's database as its owner (a superuser), in one transaction: for a
 * test that plays an attacker with more rights than the app, or sets up what the app may not
 * (triggers, sequences). The app's own connection (`t.dataSource`) cannot do any of it.
 */
export async function asOwner<T>(t: Pick<TestApp, 'databaseUrl'>, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
