/**
 * `npm run bench`: figures for the foundation's hot paths, on a database of its own.
 * Prints one line per figure; compare runs on the same machine.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import request from 'supertest';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { TrainingFiguresService } from '../../src/training/training-figures.service.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, TEST_SECRET_KEY } from '../support/test-app.js';
import { generateBenchData } from './bench-data.js';
import { generateBenchEnrolments } from './bench-enrolments.js';
import { benchAuditChecklist } from './audit-checklist.js';
import { benchIncidentBoard } from './incident-board.js';
import { benchEscalation } from './incident-escalation.js';
import { benchIncidentReport } from './incident-report.js';
import { benchIndicators } from './indicators.js';
import { benchPublish } from './publish.js';
import { CONNECTIONS, measureSideBySide, startFloor, startMamori, type RouteFigures, type Server } from './request-path.js';

const CHANGES = 2_000;
const IMPORT_ROWS = 2_000;
/** a prefecture's HR export */
const LARGE_IMPORT_ROWS = 50_000;
/** issue 8's targets, preview (dry run) included */
const IMPORT_TARGET_MS: Record<number, number> = { [IMPORT_ROWS]: 3_000, [LARGE_IMPORT_ROWS]: 60_000 };
const REQUESTS = 500;

function line(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(60)} ${value}\n`);
}

/** issue 9's target for the completion figures: p95 under 100 ms over 1,000,000 enrolments, at most twice the raw SQL */
const FIGURES_RUNS = 50;
const FIGURES_TARGET_P95_MS = 100;

/**
 * `npm run bench -- <section>` runs the set-up and that section only (audit-trail, lists, sign-in, approval, contention, import, request-path,
 * training-figures, publish, incident-report, escalation, incident-board, audit-checklist, indicators).
 */
const only = process.argv[2];
const section = (name: string): boolean => !only || only === name;

async function main(): Promise<void> {
  const t = await createTestApp();
  try {
    const org = await testOrganization(t);
    const uow = t.get(UnitOfWork);

    let start = performance.now();
    let ms = 0;
    if (section('audit-trail')) {
      for (let i = 0; i < CHANGES; i++)
        await uow.run(systemActor(org, 'bench'), async (tx) => tx.audit({ action: 'bench.change', entityType: 'bench', entityId: String(i), after: { i } }));
      ms = performance.now() - start;
      line('audit-trail: changes committed, one at a time', `${(CHANGES / (ms / 1000)).toFixed(0)} /s (${(ms / CHANGES).toFixed(2)} ms each)`);

      start = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, (_, w) =>
          (async () => {
            for (let i = 0; i < CHANGES / 8; i++)
              await uow.run(systemActor(org, 'bench'), async (tx) => tx.audit({ action: 'bench.parallel', entityType: 'bench', entityId: `${w}-${i}` }));
          })(),
        ),
      );
      ms = performance.now() - start;
      line('audit-trail: changes committed, 8 concurrent writers', `${(CHANGES / (ms / 1000)).toFixed(0)} /s`);

      start = performance.now();
      const verified = await t.get(AuditTrailService).verify(org);
      ms = performance.now() - start;
      line('audit-trail: verify', `${(verified.checked / (ms / 1000)).toFixed(0)} rows/s (${verified.checked} rows, ok=${verified.ok})`);
    }

    const department = await createDepartment(t, org, { code: 'BENCH' });
    const admin = await createPerson(t, org, { roles: ['admin'] });
    const token = (await signIn(t, admin)).accessToken;
    const header = 'employeeNumber,familyName,givenName,email,departmentCode,roles,status';
    const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => `B${i},山田,太郎${i},bench${i}@town.example,${department.code},staff,在職`);
    start = performance.now();
    const imported = await request(t.http)
      .post('/api/v1/staff/import')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from([header, ...rows].join('\n')), { filename: 'staff.csv', contentType: 'text/csv' });
    ms = performance.now() - start;
    line(`staff CSV import (${IMPORT_ROWS} new rows)`, `${ms.toFixed(0)} ms (status ${imported.status}, ${(IMPORT_ROWS / (ms / 1000)).toFixed(0)} rows/s)`);

    if (section('lists')) {
      start = performance.now();
      for (let i = 0; i < REQUESTS; i++) await request(t.http).get('/api/v1/staff?pageSize=50').set('Authorization', `Bearer ${token}`);
      ms = performance.now() - start;
      line('GET /api/v1/staff?pageSize=50 (sequential)', `${(ms / REQUESTS).toFixed(2)} ms per request`);
    }

    if (section('sign-in')) {
      const person = await createPerson(t, org);
      start = performance.now();
      for (let i = 0; i < 20; i++) await request(t.http).post('/api/v1/auth/login').send({ email: person.email, password: person.password });
      ms = performance.now() - start;
      line('POST /api/v1/auth/login (argon2id verify)', `${(ms / 20).toFixed(1)} ms per sign-in`);
    }

    if (section('approval')) {
      // the CISO approves a policy version that every active member of staff must acknowledge
      await t.get(PoliciesSyncService).sync(systemActor(org, 'bench'));
      const ciso = await createPerson(t, org, { roles: ['ciso'] });
      const cisoActor = actorOf(ciso);
      const policy = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'basic-policy' });
      const activeStaff = await t.dataSource.getRepository(Staff).countBy({ organizationId: org, status: 'active' });
      start = performance.now();
      await t.get(PolicyVersionsService).approve(cisoActor, policy.id, 1, { requireAcknowledgement: true });
      ms = performance.now() - start;
      line(`policy approval with acknowledgement duties (${activeStaff} staff)`, `${ms.toFixed(0)} ms`);
    }

    if (section('contention')) {
      // sign-in while a long import holds its transaction open: the audit-trail chain must not block it
      const signer = await createPerson(t, org);
      const signInOnce = async (): Promise<number> => {
        const t0 = performance.now();
        const response = await request(t.http).post('/api/v1/auth/login').send({ email: signer.email, password: signer.password });
        if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
        return performance.now() - t0;
      };
      const quiet: number[] = [];
      for (let i = 0; i < 10; i++) quiet.push(await signInOnce());
      const during: number[] = [];
      const second = rows.map((row) => row.replace(/^B(\d+),/, 'C$1,').replace(/bench(\d+)@/, 'bench-c$1@'));
      start = performance.now();
      let importDone = false;
      const importing = request(t.http)
        .post('/api/v1/staff/import')
        .set('Authorization', `Bearer ${token}`)
        .attach('file', Buffer.from([header, ...second].join('\n')), { filename: 'staff.csv', contentType: 'text/csv' })
        .then((response) => {
          importDone = true;
          if (response.status !== 200) throw new Error(`import answered ${response.status}`);
          return performance.now() - start;
        });
      await new Promise((r) => setTimeout(r, 200)); // the import is under way
      while (!importDone) during.push(await signInOnce());
      const importMs = await importing;
      line('sign-in, no import running', summary(quiet));
      line(`sign-in while a ${IMPORT_ROWS}-row import runs (${(importMs / 1000).toFixed(1)} s)`, summary(during));
    }

    if (section('request-path')) {
      // the planner's statistics, as autovacuum would have them after the imports
      await t.dataSource.query('ANALYZE');
      await requestPath(t.appDatabaseUrl, token);
    }

    // last: its 100,000 new people would weigh on the figures above
    if (section('import')) {
      // the town has a policy in force that everyone acknowledges: new people get its duty as they are imported
      await ensureAcknowledgedPolicy(t, org);
      const signer = await createPerson(t, org);
      const signInOnce = async (): Promise<number> => {
        const t0 = performance.now();
        const response = await request(t.http).post('/api/v1/auth/login').send({ email: signer.email, password: signer.password });
        if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
        return performance.now() - t0;
      };
      for (const [size, prefix] of [
        [IMPORT_ROWS, 'M'],
        [LARGE_IMPORT_ROWS, 'P'],
      ] as const) {
        const csv = hrExport(prefix, size, department.code);
        const floorMs = await rawSqlFloor(t.appDatabaseUrl, org, department.id, hrExport(`F${prefix}`, size, department.code));
        const upload = (query: string) =>
          request(t.http)
            .post(`/api/v1/staff/import${query}`)
            .set('Authorization', `Bearer ${token}`)
            .attach('file', csv, { filename: 'staff.csv', contentType: 'text/csv' });
        const quiet: number[] = [];
        if (size === LARGE_IMPORT_ROWS) for (let i = 0; i < 10; i++) quiet.push(await signInOnce());
        // sign-ins go on, one after the other, while the preview and the import run
        let done = false;
        const during: number[] = [];
        const signingIn = (async () => {
          await new Promise((r) => setTimeout(r, 100));
          while (!done && size === LARGE_IMPORT_ROWS) during.push(await signInOnce());
        })();
        start = performance.now();
        const preview = await upload('?dryRun=true');
        const previewMs = performance.now() - start;
        start = performance.now();
        const imported = await upload('');
        const importMs = performance.now() - start;
        done = true;
        await signingIn;
        if (preview.status !== 200 || imported.status !== 200 || imported.body.created !== size)
          throw new Error(`import of ${size} rows answered ${preview.status}/${imported.status} ${JSON.stringify(imported.body)}`);
        const duties = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement'
             JOIN staff s ON s.id = e.staff_id WHERE s.employee_number LIKE $1`,
          [`${prefix}%`],
        );
        const label = `staff CSV import, ${size} new rows`;
        const total = previewMs + importMs;
        line(`${label}: raw-SQL floor (one INSERT … unnest)`, `${floorMs.toFixed(0)} ms`);
        line(`${label}: preview (dry run)`, `${previewMs.toFixed(0)} ms (${(size / (previewMs / 1000)).toFixed(0)} rows/s)`);
        line(
          `${label}: import`,
          `${importMs.toFixed(0)} ms (${(size / (importMs / 1000)).toFixed(0)} rows/s; ${(importMs / floorMs).toFixed(1)}× the floor; ${duties[0].n} duties)`,
        );
        line(
          `${label}: preview + import`,
          `${total.toFixed(0)} ms (target < ${IMPORT_TARGET_MS[size]! / 1000} s: ${total < IMPORT_TARGET_MS[size]! ? 'met' : 'NOT MET'})`,
        );
        if (size === LARGE_IMPORT_ROWS) {
          line('sign-in, no import running', summary(quiet));
          line(`sign-in while the ${size}-row preview and import run`, summary(during));
        }
      }
      // the next month's export: the same people, one in ten with a new given name
      const again = hrExport('P', LARGE_IMPORT_ROWS, department.code)
        .toString('utf8')
        .replace(/^(P\d*0),山田,太郎/gm, '$1,山田,次郎');
      start = performance.now();
      const reimported = await request(t.http)
        .post('/api/v1/staff/import')
        .set('Authorization', `Bearer ${token}`)
        .attach('file', Buffer.from(again, 'utf8'), { filename: 'staff.csv', contentType: 'text/csv' });
      ms = performance.now() - start;
      line(
        `staff CSV import, the ${LARGE_IMPORT_ROWS} rows again, 1 in 10 changed`,
        `${ms.toFixed(0)} ms (status ${reimported.status}: ${reimported.body.updated} updated, ${reimported.body.unchanged} unchanged)`,
      );
      const verified = await t.get(AuditTrailService).verify(org);
      line('audit-trail: verify after the imports', `${verified.checked} rows, ok=${verified.ok}`);
    }

    // after the imports: a prefecture's training records of its own (100,000 people, 1,000,000 enrolments)
    if (section('training-figures')) await trainingFigures(t);
    // training: organisations of their own (10,000 and 100,000 people), after the figures above
    if (section('publish')) await benchPublish(t, line);
    // incidents (issue 10): organisations of their own
    if (section('incident-report')) await benchIncidentReport(t, line);
    if (section('escalation')) await benchEscalation(t, line);
    if (section('incident-board')) await benchIncidentBoard(t, line);
    // audits (issue 11): starting an audit (its checklist) beside the bare INSERT … SELECT, and the checklist page over 100,000 items (`audit-checklist`)
    if (section('audit-checklist')) await benchAuditChecklist(t, line);
    // indicators (issue 13): the demo town, a prefecture and the national sample (a database of its own, kept between runs), last: it fails the run on a plan NOT MET
    if (section('indicators')) await benchIndicators(t, line);

    const rss = process.memoryUsage().rss / 1024 / 1024;
    line('resident memory after the run', `${rss.toFixed(0)} MiB`);
  } finally {
    await t.close();
  }
}

/** An HR export of `size` new people (`<prefix><n>` numbers), in Japanese headers, as the town's HR system writes it. */
function hrExport(prefix: string, size: number, departmentCode: string): Buffer {
  const header = '職員番号,氏,名,氏カナ,名カナ,メールアドレス,所属コード,役割,在職状況,採用日,退職日';
  const rows = Array.from(
    { length: size },
    (_, i) => `${prefix}${i},山田,太郎${i},ヤマダ,タロウ,${prefix.toLowerCase()}${i}@bench.example,${departmentCode},staff,在職,2024/04/01,`,
  );
  return Buffer.from(`\uFEFF${[header, ...rows].join('\r\n')}\r\n`, 'utf8');
}

/**
 * The floor: the same rows (other numbers and addresses) split by hand and stored with one INSERT
 * … SELECT FROM unnest on a connection of its own, nothing else (no checks, audit, mail, duties).
 */
async function rawSqlFloor(databaseUrl: string, organizationId: string, departmentId: string, csv: Buffer): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const t0 = performance.now();
    const rows = csv
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.split(','));
    const column = (i: number) => rows.map((r) => r[i]);
    await client.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, family_name_kana, given_name_kana, email, department_id, roles, status, joined_on)
       SELECT $1, u.n, u.f, u.g, u.fk, u.gk, u.e, $2, '{staff}', 'active', u.j
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[]) AS u(n, f, g, fk, gk, e, j)`,
      [organizationId, departmentId, column(0), column(1), column(2), column(3), column(4), column(5), column(9).map((d) => d!.replace(/\//g, '-'))],
    );
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

/** Syncs the policies and has the CISO approve the basic policy with acknowledgements, unless a version in force asks for them already. */
async function ensureAcknowledgedPolicy(t: Awaited<ReturnType<typeof createTestApp>>, org: string): Promise<void> {
  const [{ n }] = await t.dataSource.query(
    `SELECT count(*)::int AS n FROM policy_versions WHERE organization_id = $1 AND status = 'approved' AND acknowledgement_required`,
    [org],
  );
  if (n > 0) return;
  await t.get(PoliciesSyncService).sync(systemActor(org, 'bench'));
  const ciso = await createPerson(t, org, { roles: ['ciso'] });
  const actor = actorOf(ciso);
  const policy = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'basic-policy' });
  await t.get(PolicyVersionsService).approve(actor, policy.id, 1, { requireAcknowledgement: true });
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return `median ${at(0.5).toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms (${sorted.length} sign-ins)`;
}

/** p50 and p95 of some timings, in ms. */
function percentiles(latencies: number[]): { p50: number; p95: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

/**
 * The completion figures of a fiscal year by department over 1,000,000 enrolments (100,000 people ×
 * 5 courses a year × FY2019–2022, each course for half of them: 250,000 in the year asked), through
 * the service, beside the floor: the very statement the service sends, run raw through pg on a
 * connection of its own. Runs alternate between the two so both meet the same machine.
 */
async function trainingFigures(t: Awaited<ReturnType<typeof createTestApp>>): Promise<void> {
  const code = 'bench-figures-town';
  let start = performance.now();
  const data = await generateBenchData(t.databaseUrl, code, { staff: 100_000 });
  const enrolments = await generateBenchEnrolments(t.databaseUrl, code, { coursesPerYear: 5, years: [2019, 2020, 2021, 2022], share: 0.5 });
  line(
    `training: bench data (${data.staffAdded} staff, ${enrolments.courses} courses, ${enrolments.enrolments} enrolments)`,
    `${((performance.now() - start) / 1000).toFixed(1)} s (enrolments ${(enrolments.ms / 1000).toFixed(1)} s, with VACUUM ANALYZE)`,
  );
  const officer = actorOf(await createPerson(t, data.organizationId, { roles: ['security_officer'] }));
  const figures = t.get(TrainingFiguresService);
  const query = { fiscalYear: 2022, groupBy: 'department' as const, asOf: '2023-03-31' };

  // the statement the service sends, caught once
  const manager = t.dataSource.manager;
  const original = manager.query.bind(manager);
  const sent: { sql: string; parameters: unknown[] }[] = [];
  manager.query = (async (sql: string, parameters?: unknown[]) => {
    sent.push({ sql, parameters: parameters ?? [] });
    return original(sql, parameters);
  }) as typeof manager.query;
  let view;
  try {
    view = await figures.completion(officer, query);
  } finally {
    manager.query = original;
  }
  if (sent.length !== 1) throw new Error(`the figures sent ${sent.length} statements`);
  const { sql, parameters } = sent[0]!;

  const client = new pg.Client({ connectionString: t.appDatabaseUrl });
  await client.connect();
  try {
    const service: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < FIGURES_RUNS + 5; i++) {
      start = performance.now();
      await figures.completion(officer, query);
      const serviceMs = performance.now() - start;
      start = performance.now();
      await client.query(sql, parameters);
      const floorMs = performance.now() - start;
      // the first five warm the caches and the plan
      if (i >= 5) {
        service.push(serviceMs);
        floor.push(floorMs);
      }
    }
    const plan = (await client.query(`EXPLAIN ${sql}`, parameters)).rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    const s = percentiles(service);
    const f = percentiles(floor);
    const label = `training: completion by department over ${enrolments.enrolments.toLocaleString('en')} enrolments`;
    line(`${label}: raw-SQL floor (the same statement through pg)`, `p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms (${FIGURES_RUNS} runs)`);
    line(
      `${label}: TrainingFiguresService.completion`,
      `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (${view.items.length} departments, ${view.totals.enrolled} enrolled, rate ${view.totals.rate})`,
    );
    line(
      `${label}: service ÷ floor`,
      `p50 ${(s.p50 / f.p50).toFixed(2)}×, p95 ${(s.p95 / f.p95).toFixed(2)}× (targets: p95 < ${FIGURES_TARGET_P95_MS} ms ${s.p95 < FIGURES_TARGET_P95_MS ? 'met' : 'NOT MET'}, ≤ 2× the floor ${s.p95 <= 2 * f.p95 ? 'met' : 'NOT MET'})`,
    );
    line(
      `${label}: read by`,
      /Index Only Scan using ix_enrolments_figures/.test(plan) ? 'an index-only scan of ix_enrolments_figures' : `another plan:\n${plan}`,
    );
  } finally {
    await client.end();
  }
}

/** Both routes on Mamori's web process and on the bare floor, in the same run. */
async function requestPath(databaseUrl: string, token: string): Promise<void> {
  const env = { DATABASE_URL: databaseUrl, SECRET_KEY: TEST_SECRET_KEY };
  const routes = process.env.BENCH_ROUTES?.split(',') ?? ['/api/v1/me', '/api/v1/staff?pageSize=50'];
  const figures: Record<string, Record<string, RouteFigures>> = {};
  const settings = { ...env, AUTH_RATE_LIMIT_PER_MINUTE: '100000', QUEUE_PREFIX: `mamori-bench-${process.pid}` };
  const servers: Record<string, Server> = {};
  try {
    servers.mamori = await startMamori(settings);
    servers.floor = await startFloor(settings);
    for (const route of routes) figures[route] = await measureSideBySide(servers, route, token, databaseUrl);
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  const show = (f: RouteFigures): string =>
    `${f.rps.toFixed(0)} req/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, web CPU ${f.webCpuMsPerRequest.toFixed(2)} ms/req, PostgreSQL CPU ${f.pgCpuMsPerRequest.toFixed(2)} ms/req`;
  for (const route of routes) {
    const { mamori, floor } = figures[route]!;
    line(`GET ${route} (${CONNECTIONS} connections), Mamori`, show(mamori!));
    line(`GET ${route} (${CONNECTIONS} connections), bare pg floor`, show(floor!));
    line(`GET ${route}: Mamori ÷ floor throughput`, `${(mamori!.rps / floor!.rps).toFixed(2)} (target ≥ 0.60, p99 < 50 ms)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
