/**
 * The floor of the request path (`npm run bench`): a bare Node `http` server that answers
 * `GET /api/v1/me` and `GET /api/v1/staff?pageSize=50` with the same SQL work Mamori must do
 * (verify the HS256 token, look the session up, read the page and its count) through `pg`, and
 * nothing else: no framework, no ORM, no validation. Mamori's figures are read against it.
 *
 * `POST /api/v1/incidents` (issue 10) files a report the bare way: token and session as above, then
 * one transaction of named statements: the idempotency row (ON CONFLICT DO NOTHING; a replay reads
 * the first incident), the fiscal year's number (`reference_counters` upsert … RETURNING), the
 * incident (INSERT … RETURNING *), its timeline entry and its outbox row; no audit-trail row, no
 * escalation climb, no validation beyond what a missing field costs.
 *
 * Started by the bench as a process of its own: DATABASE_URL, SECRET_KEY, PORT.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
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

interface SessionRow {
  id: string;
  organization_id: string;
  department_id: string | null;
  email: string;
}

async function session(claims: Claims): Promise<SessionRow | null> {
  const { rows } = await pool.query({
    name: 'session',
    text: `SELECT s.id, s.organization_id, s.roles, s.department_id, s.email
             FROM auth_sessions a JOIN staff s ON s.id = a.staff_id
            WHERE a.id = $1 AND a.staff_id = $2 AND a.revoked_at IS NULL AND a.expires_at > now() AND s.status <> 'retired'`,
    values: [claims.sid, claims.sub],
  });
  return (rows[0] as SessionRow | undefined) ?? null;
}

function bodyOf(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
    req.on('error', reject);
  });
}

/** The fiscal year (April to March) of a moment, in Asia/Tokyo. */
function fiscalYear(at: Date): number {
  const tokyo = new Date(at.getTime() + 9 * 3_600_000);
  return tokyo.getUTCMonth() >= 3 ? tokyo.getUTCFullYear() : tokyo.getUTCFullYear() - 1;
}

async function report(actor: SessionRow, req: http.IncomingMessage): Promise<[number, unknown]> {
  const body = await bodyOf(req);
  if (typeof body.title !== 'string' || typeof body.description !== 'string') return [400, { status: 400 }];
  const key = req.headers['idempotency-key'];
  const submitter = `staff:${actor.id}`;
  const now = new Date();
  const fy = fiscalYear(now);
  const incidentId = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (typeof key === 'string') {
      const claimed = await client.query({
        name: 'incident-claim',
        text: `INSERT INTO incident_submissions (organization_id, submitter, idempotency_key, request_hash, incident_id) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (organization_id, submitter, idempotency_key) DO NOTHING RETURNING id`,
        values: [actor.organization_id, submitter, key, createHmac('sha256', 'floor').update(JSON.stringify(body)).digest('hex'), incidentId],
      });
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        const { rows } = await client.query({
          name: 'incident-replay',
          text: `SELECT i.* FROM incident_submissions s JOIN incidents i ON i.id = s.incident_id
                  WHERE s.organization_id = $1 AND s.submitter = $2 AND s.idempotency_key = $3`,
          values: [actor.organization_id, submitter, key],
        });
        return [200, rows[0]];
      }
    }
    const { rows: counter } = await client.query({
      name: 'incident-number',
      text: `INSERT INTO reference_counters (organization_id, series, fiscal_year, last) VALUES ($1, 'INC', $2, 1)
             ON CONFLICT (organization_id, series, fiscal_year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`,
      values: [actor.organization_id, fy],
    });
    const reference = `INC-${fy}-${String((counter[0] as { last: number }).last).padStart(4, '0')}`;
    const { rows } = await client.query({
      name: 'incident-insert',
      text: `INSERT INTO incidents (id, organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at,
                                    reporter_id, reporter_department_id, department_id, near_miss, personal_data_suspected, affected_people)
             VALUES ($1, $2, $3, $4, 'staff', $5, $6, $7, $7, $7, $8, $9, $9, $10, $11, $12) RETURNING *`,
      values: [
        incidentId,
        actor.organization_id,
        reference,
        fy,
        body.title,
        body.description,
        now,
        actor.id,
        actor.department_id,
        body.nearMiss === true,
        body.personalDataInvolved === true,
        typeof body.affectedPeople === 'number' ? body.affectedPeople : null,
      ],
    });
    await client.query({
      name: 'incident-timeline',
      text: `INSERT INTO incident_timeline (organization_id, incident_id, at, kind, actor_id, actor_label, to_status, data)
             VALUES ($1, $2, $3, 'reported', $4, $5, 'reported', $6)`,
      values: [actor.organization_id, incidentId, now, actor.id, actor.email, JSON.stringify({ reference, source: 'staff', nearMiss: body.nearMiss === true })],
    });
    await client.query({
      name: 'incident-outbox',
      text: `INSERT INTO outbox_messages (organization_id, topic, payload, dedupe_key) VALUES ($1, 'incident.reported', $2, $3)`,
      values: [actor.organization_id, JSON.stringify({ incidentId }), `incident-reported:${incidentId}`],
    });
    await client.query('COMMIT');
    return [201, rows[0]];
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function answer(req: http.IncomingMessage): Promise<[number, unknown]> {
  const auth = req.headers.authorization ?? '';
  const claims = auth.startsWith('Bearer ') ? verify(auth.slice(7)) : null;
  if (!claims) return [401, { status: 401 }];
  const actor = await session(claims);
  if (!actor) return [401, { status: 401 }];
  const url = new URL(req.url ?? '/', 'http://floor.invalid');
  if (req.method === 'POST' && url.pathname === '/api/v1/incidents') return report(actor, req);
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
