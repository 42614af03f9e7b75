import pg from 'pg';

/** The group role holding the application's privileges; the app's login role is a member of it. */
export const APP_ROLE = 'mamori_app';

export interface EnsuredDatabase {
  createdDatabase: boolean;
  createdRoles: string[];
}

function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || 'postgres';
}

function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/**
 * Development, demo, CI and test set-up (`db:create`): as the owner (a role that may create roles and
 * databases, e.g. the local `postgres`), makes sure that the group role `mamori_app`, the app's
 * login role (DATABASE_URL's user, a member of `mamori_app` and nothing more) and the database
 * exist. In production the database administrator does this once (SECURITY.md).
 */
export async function ensureDatabase(ownerUrl: string, appUrl: string): Promise<EnsuredDatabase> {
  const name = databaseOf(ownerUrl);
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`Configuration error: DATABASE_OWNER_URL names an unusable database "${name}"`);
  if (databaseOf(appUrl) !== name) throw new Error('Configuration error: DATABASE_URL and DATABASE_OWNER_URL must name the same database');
  const login = userOf(appUrl);
  if (!/^[a-z0-9_]+$/i.test(login)) throw new Error(`Configuration error: DATABASE_URL names an unusable role "${login}"`);
  if (login === userOf(ownerUrl)) {
    throw new Error('Configuration error: DATABASE_URL must log in as the application role, not as the owner of DATABASE_OWNER_URL (SECURITY.md)');
  }
  const admin = new URL(ownerUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const createdRoles: string[] = [];
  try {
    // roles are shared by the whole server: two set-ups at once (parallel test files) must not collide
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['mamori:ensure-database']);
    const exists = async (role: string) => ((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount ?? 0) > 0;
    if (!(await exists(APP_ROLE))) {
      await client.query(`CREATE ROLE ${APP_ROLE} NOLOGIN`);
      createdRoles.push(APP_ROLE);
    }
    if (!(await exists(login))) {
      const password = decodeURIComponent(new URL(appUrl).password);
      await client.query(
        `CREATE ROLE "${login}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS IN ROLE ${APP_ROLE}${password ? ` PASSWORD ${client.escapeLiteral(password)}` : ''}`,
      );
      createdRoles.push(login);
    } else {
      await client.query(`GRANT ${APP_ROLE} TO "${login}"`);
    }
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return { createdDatabase: false, createdRoles };
    await client.query(`CREATE DATABASE "${name}"`);
    return { createdDatabase: true, createdRoles };
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['mamori:ensure-database']).catch(() => undefined);
    await client.end();
  }
}
