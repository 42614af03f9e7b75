import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../src/database/project-root.js';

/** The owner's server (a role that may create roles and databases). */
export const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
/** The app's login role in the tests: a member of mamori_app only, as in production. */
export const TEST_APP_ROLE = 'mamori_test_app';

function url(database: string): string {
  return `${SERVER_URL}/${database}`;
}

/** The same database as the app's least-privilege login role. */
export function appUrl(database: string): string {
  const app = new URL(url(database));
  app.username = TEST_APP_ROLE;
  app.password = '';
  return app.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const TEMPLATE_SECRET_KEY = process.env.SECRET_KEY ?? 'mamori-test-template-only-0123456789abcdef';

/**
 * A database migrated by the compiled CLI (`node dist/src/cli.js migrate`, the real path), named by
 * the migrations it holds so a new migration makes a new template. Built once, under a lock.
 */
async function template(): Promise<string> {
  const dir = join(projectRoot(), 'dist/migrations');
  if (!existsSync(join(projectRoot(), 'dist/src/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
  const digest = createHash('sha256');
  for (const file of files) digest.update(file).update(readFileSync(join(dir, file)));
  const name = `mamori_test_tpl_${digest.digest('hex').slice(0, 12)}`;
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['mamori-test-template']);
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}"`);
      // db:create makes the roles (mamori_app and the login role) and the database, as it does for the demo
      execFileSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), 'db:create'], {
        env: { ...process.env, DATABASE_URL: appUrl(building), DATABASE_OWNER_URL: url(building), NODE_ENV: 'test', SECRET_KEY: TEMPLATE_SECRET_KEY },
        stdio: 'pipe',
      });
      execFileSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), 'migrate'], {
        env: {
          ...process.env,
          DATABASE_URL: appUrl(building),
          DATABASE_OWNER_URL: url(building),
          NODE_ENV: 'test',
          SECRET_KEY: TEMPLATE_SECRET_KEY,
        },
        stdio: 'pipe',
      });
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['mamori-test-template']);
    }
  });
  return name;
}

/**
 * A fresh, migrated database of this test file's own; drop it when done. `url` logs in as the app's
 * least-privilege role (what the application uses), `ownerUrl` as the owner (for a test that must
 * tamper with what the app cannot touch).
 */
export async function createTestDatabase(): Promise<{ url: string; ownerUrl: string; drop(): Promise<void> }> {
  const source = await template();
  const name = `mamori_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`));
  return {
    url: appUrl(name),
    ownerUrl: url(name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
