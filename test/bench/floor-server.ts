/**
 * The floor of the request path (`npm run bench`): a bare Node `http` server that answers
 * `GET /api/v1/me` and `GET /api/v1/staff?pageSize=50` with the same SQL work Mamori must do
 * (verify the HS256 token, look the session up, read the page and its count) through `pg`, and
 * nothing else: no framework, no ORM, no validation. Mamori's figures are read against it.
 *
 * Started by the bench as a process of its own: DATABASE_URL, SECRET_KEY, PORT.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { deriveKey } from '../../src/common/secrets.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const key = Buffer.from(deriveKey(process.env.SECRET_KEY!, 'access-token').toString('base64'));

interface Claims {
  sub: string;
  org: string;
  sid: string;
  exp: number;
}

function verify(token: string): Claims | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return null;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  return claims.exp * 1000 > Date.now() ? claims : null;
}

const STAFF_COLUMNS = `s.id, s.employee_number AS "employeeNumber", s.family_name AS "familyName", s.given_name AS "givenName",
  s.family_name_kana AS "familyNameKana", s.given_name_kana AS "givenNameKana", s.email, s.department_id AS "departmentId",
  s.roles, s.status, s.joined_on::text AS "joinedOn", s.left_on::text AS "leftOn", s.locale, s.totp_confirmed_at AS "totpConfirmedAt",
  s.last_login_at AS "lastLoginAt", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
  CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'code', d.code, 'name', d.name, 'nameEn', d.name_en) END AS department`;

async function session(claims: Claims): Promise<{ organization_id: string } | null> {
  const { rows } = await pool.query({
    name: 'session',
    text: `SELECT s.id, s.organization_id, s.roles, s.department_id, s.email
             FROM auth_sessions a JOIN staff s ON s.id = a.staff_id
            WHERE a.id = $1 AND a.staff_id = $2 AND a.revoked_at IS NULL AND a.expires_at > now() AND s.status <> 'retired'`,
    values: [claims.sid, claims.sub],
  });
  return (rows[0] as { organization_id: string } | undefined) ?? null;
}

async function answer(req: http.IncomingMessage): Promise<[number, unknown]> {
  const auth = req.headers.authorization ?? '';
  const claims = auth.startsWith('Bearer ') ? verify(auth.slice(7)) : null;
  if (!claims) return [401, { status: 401 }];
  const actor = await session(claims);
  if (!actor) return [401, { status: 401 }];
  const url = new URL(req.url ?? '/', 'http://floor.invalid');
  if (url.pathname === '/api/v1/me') {
    const { rows } = await pool.query({
      name: 'me',
      text: `SELECT ${STAFF_COLUMNS} FROM staff s LEFT JOIN departments d ON d.id = s.department_id WHERE s.id = $1 AND s.organization_id = $2`,
      values: [claims.sub, actor.organization_id],
    });
    return [200, rows[0]];
  }
  if (url.pathname === '/api/v1/staff') {
    const pageSize = Number(url.searchParams.get('pageSize') ?? 50);
    const page = Number(url.searchParams.get('page') ?? 1);
    const [items, count] = await Promise.all([
      pool.query({
        name: 'staff-page',
        text: `SELECT ${STAFF_COLUMNS} FROM staff s LEFT JOIN departments d ON d.id = s.department_id
                WHERE s.organization_id = $1 ORDER BY s.employee_number LIMIT $2 OFFSET $3`,
        values: [actor.organization_id, pageSize, (page - 1) * pageSize],
      }),
      pool.query({ name: 'staff-count', text: 'SELECT count(*)::int AS total FROM staff s WHERE s.organization_id = $1', values: [actor.organization_id] }),
    ]);
    return [200, { items: items.rows, total: (count.rows[0] as { total: number }).total, page, pageSize }];
  }
  return [404, { status: 404 }];
}

const server = http.createServer((req, res) => {
  answer(req).then(
    ([status, body]) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    },
    (error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
