/**
 * Benchmark: the plan's indicators of a fiscal year (issue 13), `GET /api/v1/indicators?fiscalYear=…`
 * on Mamori's web process (compiled, a process of its own, one request at a time) and
 * `IndicatorsService.figures` in this process, beside the floor: the same figures computed by
 * hand-written aggregate SQL (one statement per source, the incidents' two counts in one), sent
 * side by side through `pg` on as many connections of their own as the app's pool has. Runs
 * alternate between the three so all meet the same machine; p50 and p95 of each. At three scales:
 *
 * - the demo town (`seed:demo`: ~400 staff, its training, incidents, audits, plan and drills);
 * - a prefecture: 50,000 staff, FY2019–FY2022 enrolments (3 all-staff courses a year), 10,000
 *   incidents and the other sources (indicator-data.ts), in the bench's database;
 * - the national sample: 500,000 staff, ~11.8 million enrolments (5 all-staff courses a year,
 *   FY2018–FY2022), 100,000 incidents, the other sources and a 3-million-row audit trail, in a
 *   database of its own that is kept between runs (filling it takes ~15 minutes on a two-core
 *   machine): `BENCH_NATIONAL_DATABASE` names it (default `mamori_bench_national`; made from the
 *   test template when missing, migrated on every run), `BENCH_NATIONAL=off` leaves it out.
 *   Drop it with `dropdb -h 127.0.0.1 -U postgres mamori_bench_national`.
 *
 * At the national sample, every statement on the path (what `figures` sends, and each source's
 * `records` for the detail page) is read with EXPLAIN (FORMAT JSON): a sequential scan of a large
 * table is marked NOT MET and fails the run once every figure is printed.
 *
 * `npm run bench -- indicators` runs this section alone.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seedDemoAudits } from '../../seeds/demo-audits.seed.js';
import { seedDemoCompliance } from '../../seeds/demo-compliance.seed.js';
import { seedDemoDrills } from '../../seeds/demo-drills.seed.js';
import { seedDemoIncidents } from '../../seeds/demo-incidents.seed.js';
import { seedDemoResponsePlan } from '../../seeds/demo-response-plan.seed.js';
import { seedDemoTown } from '../../seeds/demo-town.seed.js';
import { seedDemoTraining } from '../../seeds/demo-training.seed.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { TotpService } from '../../src/auth/totp.service.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { projectRoot } from '../../src/database/project-root.js';
import { COMPUTED_SOURCES, boundAfter, percent, yearDay } from '../../src/indicators/computed-sources.js';
import type { IndicatorsView } from '../../src/indicators/dto/indicators.dto.js';
import { IndicatorsService, yearDayOf } from '../../src/indicators/indicators.service.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { fiscalYearDays } from '../../src/training/courses.service.js';
import { actorOf, createPerson, signIn, type TestPerson } from '../factories/staff.factory.js';
import { appUrl, createTestDatabase, SERVER_URL } from '../support/databases.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';
import { generateBenchData, generateBenchEnrolments } from './bench-data.js';
import { catchStatements } from './incident-board.js';
import { generateBenchIncidents } from './incident-data.js';
import { generateBenchIndicatorSources, type BenchIndicatorSourceOptions } from './indicator-data.js';
import { percentile } from './load.js';
import { startMamori, type Server } from './request-path.js';

const RUNS = 50;
const WARM_UP = 5;
/** the year measured: over, every source has records in it at every scale */
const FISCAL_YEAR = 2022;
/** issue 13's targets: p95 under 100 ms at a prefecture, under 1 s at the national sample, at most twice the floor */
const TARGET_P95_MS = { demo: 100, prefecture: 100, national: 1_000 } as const;
/** the app's pool (data-source-options.ts `extra.max`): the floor's statements go side by side on as many connections */
const POOL = 10;
/** a table this large read by a sequential scan fails the EXPLAIN check */
const LARGE_TABLE_ROWS = 10_000;

const NATIONAL_STAFF = 500_000;
const NATIONAL_CODE = 'bench-national';
const PREFECTURE_CODE = 'bench-indicators-prefecture';

type Line = (name: string, value: string) => void;
type ScaleName = keyof typeof TARGET_P95_MS;

interface Scale {
  name: ScaleName;
  label: string;
  app: TestApp;
  organizationId: string;
}

// ------------------------------------------------------------------------------------------------ data

/** The demo town, as `npm run cli -- seed:demo` loads it (the response plan's scenarios synced as there). */
async function demoTown(t: TestApp): Promise<string> {
  const town = await seedDemoTown({
    uow: t.get(UnitOfWork),
    organizations: t.get(OrganizationsService),
    totp: t.get(TotpService),
    auth: t.get(AuthService),
  });
  await seedDemoCompliance(t.app, town.organizationId);
  await seedDemoTraining(t.app, town.organizationId);
  await seedDemoIncidents(t.app, town.organizationId);
  await seedDemoAudits(t.app, town.organizationId);
  await t.get(ResponsePlanSync).sync(systemActor(town.organizationId, 'seed'));
  await seedDemoDrills(t.app, town.organizationId);
  await seedDemoResponsePlan(t.app, town.organizationId);
  return town.organizationId;
}

/** Policies, controls, indicators (policies/) and the response plan's scenarios, through the app, as `policies:sync` does. */
async function syncPolicies(t: TestApp, organizationId: string): Promise<void> {
  await t.get(PoliciesSyncService).sync(systemActor(organizationId, 'bench'));
  await t.get(ResponsePlanSync).sync(systemActor(organizationId, 'bench'));
}

/** A generated organisation: staff, enrolments, incidents, then the other sources (each step skipped when a run before made it). */
async function generatedOrganization(
  t: TestApp,
  line: Line,
  label: string,
  code: string,
  spec: { staff: number; years: readonly [number, number]; coursesPerYear: number; incidents: number; sources: Omit<BenchIndicatorSourceOptions, 'years'> },
): Promise<string> {
  const start = performance.now();
  const owner = new pg.Client({ connectionString: t.databaseUrl });
  await owner.connect();
  try {
    const { rows } = (await owner.query(
      `SELECT o.id, (SELECT count(*)::int FROM staff s WHERE s.organization_id = o.id) AS staff FROM organizations o WHERE o.code = $1`,
      [code],
    )) as { rows: { id: string; staff: number }[] };
    let organizationId = rows[0]?.id;
    const made: string[] = [];
    if (!organizationId || rows[0]!.staff < spec.staff) {
      const data = await generateBenchData(t.databaseUrl, code, { staff: spec.staff - (rows[0]?.staff ?? 0) });
      organizationId = data.organizationId;
      const enrolments = await generateBenchEnrolments(t.databaseUrl, organizationId, { years: spec.years, coursesPerYear: spec.coursesPerYear });
      const incidents = await generateBenchIncidents(t.databaseUrl, organizationId, { incidents: spec.incidents, years: [spec.years[0], FISCAL_YEAR + 1] });
      made.push(
        `${data.staffAdded.toLocaleString('en')} staff`,
        `${enrolments.enrolments.toLocaleString('en')} enrolments`,
        `${incidents.incidents.toLocaleString('en')} incidents`,
      );
    }
    // the planner's statistics and the visibility map (index-only scans) as autovacuum would leave them; quick when a run before did it
    for (const table of ['staff', 'courses', 'enrolments', 'incidents']) await owner.query(`VACUUM ANALYZE ${table}`);
    await syncPolicies(t, organizationId);
    const sources = await generateBenchIndicatorSources(t.databaseUrl, organizationId, { years: spec.years, ...spec.sources });
    if (sources.findings)
      made.push(
        `${sources.mailDrillResults.toLocaleString('en')} mail-drill results`,
        `${sources.audits} audits`,
        `${sources.findings.toLocaleString('en')} findings`,
        `${sources.drills} drills`,
        `${sources.policyReviews} policy reviews`,
        `${sources.controlChanges} control changes`,
        `${sources.auditTrailRows.toLocaleString('en')} audit-trail rows`,
      );
    const counts = await volumes(owner, organizationId);
    line(
      `indicators: ${label} data (${counts})`,
      made.length
        ? `${((performance.now() - start) / 1000).toFixed(1)} s (made ${made.join(', ')})`
        : `kept from a run before (${((performance.now() - start) / 1000).toFixed(1)} s)`,
    );
    return organizationId;
  } finally {
    await owner.end();
  }
}

async function volumes(client: pg.Client, organizationId: string): Promise<string> {
  const { rows } = (await client.query(
    `SELECT (SELECT count(*) FROM staff WHERE organization_id = $1)::int AS staff,
            (SELECT count(*) FROM enrolments WHERE organization_id = $1)::int AS enrolments,
            (SELECT count(*) FROM incidents WHERE organization_id = $1)::int AS incidents,
            (SELECT count(*) FROM findings WHERE organization_id = $1)::int AS findings,
            (SELECT count(*) FROM audit_trail WHERE organization_id = $1)::int AS trail`,
    [organizationId],
  )) as { rows: Record<string, number>[] };
  const r = rows[0]!;
  return `${r.staff!.toLocaleString('en')} staff, ${r.enrolments!.toLocaleString('en')} enrolments, ${r.incidents!.toLocaleString('en')} incidents, ${r.findings!.toLocaleString('en')} findings, ${r.trail!.toLocaleString('en')} audit-trail rows`;
}

/**
 * The national sample's database: kept between runs (`BENCH_NATIONAL_DATABASE`, default
 * `mamori_bench_national`), made from the test template when missing, migrated every run (a new
 * migration's index lands in it); an app of its own on it (`sharing`: the bench's Redis prefix).
 */
async function nationalApp(t: TestApp): Promise<TestApp> {
  const name = process.env.BENCH_NATIONAL_DATABASE ?? 'mamori_bench_national';
  const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      const made = await createTestDatabase();
      await admin.query(`ALTER DATABASE "${new URL(made.ownerUrl).pathname.slice(1)}" RENAME TO "${name}"`);
    }
  } finally {
    await admin.end();
  }
  const ownerUrl = `${SERVER_URL}/${name}`;
  execFileSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: appUrl(name), DATABASE_OWNER_URL: ownerUrl, NODE_ENV: 'test', SECRET_KEY: TEST_SECRET_KEY },
    stdio: 'pipe',
  });
  return createTestApp({ sharing: { ...t, appDatabaseUrl: appUrl(name), databaseUrl: ownerUrl } });
}

// ------------------------------------------------------------------------------------------------ floor

interface FloorStatement {
  /** the sources (`computed:<name>`) it gives */
  sources: string[];
  text: string;
  values: unknown[];
}

/**
 * The floor: each figure by hand, in one aggregate statement per source (both incident counts in
 * one), plus the indicators' rows, the manual values and the year's close the page needs.
 */
function floorStatements(organizationId: string, fiscalYear: number, asOf: string, countedSeverities: readonly string[]): FloorStatement[] {
  const { first, last } = fiscalYearDays(fiscalYear);
  const day = yearDay({ fiscalYear, asOf });
  const yearBound = boundAfter(day);
  const dayBound = boundAfter(asOf);
  const nearMiss = `(CASE WHEN i.severity IS NOT NULL THEN i.severity = 'L0' ELSE i.near_miss END)`;
  return [
    {
      sources: [],
      text: `SELECT id, code, source, unit, direction, targets FROM indicators WHERE organization_id = $1 AND retired_at IS NULL ORDER BY position, code`,
      values: [organizationId],
    },
    {
      sources: [],
      text: `SELECT DISTINCT ON (v.indicator_id) v.indicator_id, v.value, v.measured_on FROM indicator_values v
              WHERE v.organization_id = $1 AND v.fiscal_year = $2 AND v.entered_at < $3::timestamptz ORDER BY v.indicator_id, v.entered_at DESC, v.id DESC`,
      values: [organizationId, fiscalYear, dayBound],
    },
    {
      sources: [],
      text: `SELECT id FROM fiscal_year_closes WHERE organization_id = $1 AND fiscal_year = $2 AND reopened_at IS NULL`,
      values: [organizationId, fiscalYear],
    },
    {
      sources: ['training_completion'],
      text: `SELECT count(*)::int AS enrolled,
                    count(*) FILTER (WHERE e.exempt_at < $3 AND (e.completed_at IS NULL OR e.completed_at >= $3))::int AS exempt,
                    count(*) FILTER (WHERE e.completed_at < $3)::int AS completed,
                    count(*) FILTER (WHERE (e.completed_at IS NULL OR e.completed_at >= $3) AND (e.exempt_at IS NULL OR e.exempt_at >= $3) AND e.due_on > $4::date)::int AS pending
               FROM enrolments e
              WHERE e.organization_id = $1 AND e.fiscal_year = $2 AND e.enrolled_at < $3
                AND e.course_id = ANY(ARRAY(SELECT c.id FROM courses c WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND c.kind <> 'targeted_mail_drill'))
                AND (e.withdrawn_at IS NULL OR e.withdrawn_at >= $3 OR e.completed_at < $3)`,
      values: [organizationId, fiscalYear, yearBound, day],
    },
    {
      sources: ['targeted_mail_report_rate'],
      text: `SELECT count(*) FILTER (WHERE m.sent)::int AS recipients, count(*) FILTER (WHERE m.sent AND m.reported)::int AS reported
               FROM courses c JOIN mail_drill_results m ON m.course_id = c.id
              WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND c.kind = 'targeted_mail_drill' AND m.created_at < $3`,
      values: [organizationId, fiscalYear, dayBound],
    },
    {
      sources: ['security_incidents', 'near_misses'],
      text: `SELECT count(*) FILTER (WHERE NOT ${nearMiss} AND i.severity = ANY($4::varchar[]))::int AS counted, count(*) FILTER (WHERE ${nearMiss})::int AS near_misses
               FROM incidents i WHERE i.organization_id = $1 AND i.fiscal_year = $2 AND i.reported_at < $3 AND i.status <> 'rejected'`,
      values: [organizationId, fiscalYear, dayBound, [...countedSeverities]],
    },
    {
      sources: ['audits_held'],
      text: `SELECT count(*) FILTER (WHERE a.status IN ('reporting', 'closed') AND a.reported_at < $3)::int AS held,
                    count(*) FILTER (WHERE a.created_at < $3)::int AS made
               FROM audits a WHERE a.organization_id = $1 AND a.fiscal_year = $2`,
      values: [organizationId, fiscalYear, dayBound],
    },
    {
      sources: ['audit_findings_closed_on_time'],
      // on time: verified, and the correction (its last corrective action done, else the verification) by the due day
      text: `SELECT count(*) FILTER (WHERE f.due_date <= $4)::int AS due,
                    count(*) FILTER (WHERE f.due_date <= $4 AND f.verified_at < $5
                                       AND (coalesce((SELECT max(c.done_at) FROM corrective_actions c
                                                       WHERE c.organization_id = $1 AND c.finding_id = f.id AND c.done_at < $5), f.verified_at)
                                            AT TIME ZONE 'Asia/Tokyo')::date <= f.due_date)::int AS on_time
               FROM findings f WHERE f.organization_id = $1 AND f.due_date BETWEEN $2 AND $3 AND f.created_at < $5`,
      values: [organizationId, first, last, day, dayBound],
    },
    {
      sources: ['policy_reviews_on_time'],
      text: `SELECT (SELECT count(*) FROM policy_reviews r WHERE r.organization_id = $1 AND r.due_on BETWEEN $2 AND $3 AND r.reviewed_at < $4)::int AS done,
                    (SELECT count(*) FROM policy_reviews r WHERE r.organization_id = $1 AND r.due_on BETWEEN $2 AND $3 AND r.reviewed_at < $4
                        AND (r.reviewed_at AT TIME ZONE 'Asia/Tokyo')::date <= r.due_on)::int AS on_time,
                    (SELECT count(*) FROM policies p WHERE p.organization_id = $1 AND p.next_review_due BETWEEN $2 AND $3
                        AND NOT EXISTS (SELECT 1 FROM policy_reviews r WHERE r.policy_id = p.id AND r.due_on = p.next_review_due AND r.reviewed_at < $4))::int AS overdue`,
      values: [organizationId, first, day, dayBound],
    },
    {
      sources: ['controls_implemented'],
      text: `WITH changed AS (
               SELECT DISTINCT ON (a.entity_id) a.entity_id, a.changes->'@context'->'after'->>'statusTo' AS status
                 FROM audit_trail a
                WHERE a.organization_id = $1 AND a.action = 'control.update' AND a.occurred_at < $2 AND a.changes->'@context'->'after' ? 'statusTo'
                ORDER BY a.entity_id, a.seq DESC)
             SELECT count(*) FILTER (WHERE coalesce(x.status, 'not_implemented') <> 'not_applicable')::int AS applicable,
                    count(*) FILTER (WHERE x.status = 'implemented')::int AS implemented
               FROM controls c LEFT JOIN changed x ON x.entity_id = c.id::text
              WHERE c.organization_id = $1 AND c.created_at < $2 AND (c.retired_at IS NULL OR c.retired_at >= $2)`,
      values: [organizationId, yearBound],
    },
    {
      sources: ['response_plan_approved'],
      text: `SELECT v.version, v.next_review_due::text AS next_review_due FROM response_plan_versions v
              WHERE v.organization_id = $1 AND v.approved_at < $2 ORDER BY v.version DESC LIMIT 1`,
      values: [organizationId, yearBound],
    },
    {
      sources: ['drills_held'],
      text: `SELECT count(*)::int AS held FROM drills d
              WHERE d.organization_id = $1 AND d.fiscal_year = $2 AND d.status = 'completed' AND d.finished_at < $3`,
      values: [organizationId, fiscalYear, dayBound],
    },
  ];
}

/** The value each source's floor statement gives (as the API shows it), by source. */
function floorValues(statements: FloorStatement[], results: Record<string, unknown>[][], day: string): Map<string, number | null> {
  const values = new Map<string, number | null>();
  statements.forEach((statement, i) => {
    const row = results[i]![0] as Record<string, number | string | null> | undefined;
    const n = (key: string): number => Number(row?.[key] ?? 0);
    for (const source of statement.sources) {
      const value = ((): number | null => {
        switch (source) {
          case 'training_completion':
            return percent(n('completed'), n('enrolled') - n('exempt'));
          case 'targeted_mail_report_rate':
            return percent(n('reported'), n('recipients'));
          case 'security_incidents':
            return n('counted');
          case 'near_misses':
            return n('near_misses');
          case 'audits_held':
          case 'drills_held':
            return n('held');
          case 'audit_findings_closed_on_time':
            return percent(n('on_time'), n('due'));
          case 'policy_reviews_on_time':
            return percent(n('on_time'), n('done') + n('overdue'));
          case 'controls_implemented':
            return percent(n('implemented'), n('applicable'));
          case 'response_plan_approved':
            return row && row.version !== null && (row.next_review_due === null || String(row.next_review_due) >= day) ? 1 : 0;
          default:
            return null;
        }
      })();
      values.set(source, value);
    }
  });
  return values;
}

// ------------------------------------------------------------------------------------------------ measuring

function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** One scale: the API, the service and the floor in turns; then (national) every statement's plan. */
async function measure(scale: Scale, server: Server, line: Line, failures: string[]): Promise<void> {
  const { app, organizationId } = scale;
  const person: TestPerson = await createPerson(app, organizationId, { roles: ['security_officer'] });
  const token = (await signIn(app, person)).accessToken;
  const actor = actorOf(person);
  const service = app.get(IndicatorsService);
  const asOf = yearDayOf(FISCAL_YEAR).asOf;
  const ctx = service.context(app.dataSource.manager, organizationId, yearDayOf(FISCAL_YEAR));
  const floor = floorStatements(organizationId, FISCAL_YEAR, asOf, ctx.countedSeverities);
  const clients = Array.from({ length: Math.min(POOL, floor.length) }, () => new pg.Client({ connectionString: app.appDatabaseUrl }));
  await Promise.all(clients.map((c) => c.connect()));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${server.baseUrl}/api/v1/indicators?fiscalYear=${FISCAL_YEAR}`;
  const headers = { authorization: `Bearer ${token}` };
  try {
    // the floor's statements side by side, each connection taking the next statement when it is free
    const runFloor = async (): Promise<Record<string, unknown>[][]> => {
      const results: Record<string, unknown>[][] = new Array(floor.length);
      let next = 0;
      await Promise.all(
        clients.map(async (client) => {
          while (next < floor.length) {
            const i = next++;
            results[i] = (await client.query(floor[i]!.text, floor[i]!.values)).rows as Record<string, unknown>[];
          }
        }),
      );
      return results;
    };
    const api: number[] = [];
    const inProcess: number[] = [];
    const bare: number[] = [];
    let view: IndicatorsView | undefined;
    let floorResults: Record<string, unknown>[][] = [];
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      let start = performance.now();
      const response = await get(agent, url, headers);
      const apiMs = performance.now() - start;
      if (response.status !== 200) throw new Error(`GET /api/v1/indicators answered ${response.status}: ${response.body.slice(0, 300)}`);
      start = performance.now();
      view = await service.figures(actor, { fiscalYear: FISCAL_YEAR });
      const serviceMs = performance.now() - start;
      start = performance.now();
      floorResults = await runFloor();
      const floorMs = performance.now() - start;
      if (i >= WARM_UP) {
        api.push(apiMs);
        inProcess.push(serviceMs);
        bare.push(floorMs);
      }
    }
    for (const list of [api, inProcess, bare]) list.sort((a, b) => a - b);
    const p = (list: number[], at: number) => percentile(list, at);
    const target = TARGET_P95_MS[scale.name];
    const label = `indicators FY${FISCAL_YEAR}, ${scale.label}`;
    line(
      `${label}: raw-SQL floor (${floor.length} statements, ${clients.length} connections)`,
      `p50 ${ms(p(bare, 50))}, p95 ${ms(p(bare, 95))} (${RUNS} runs)`,
    );
    line(`${label}: IndicatorsService.figures`, `p50 ${ms(p(inProcess, 50))}, p95 ${ms(p(inProcess, 95))}`);
    const apiP95 = p(api, 95);
    const ratio = apiP95 / p(bare, 95);
    line(
      `${label}: GET /api/v1/indicators`,
      `p50 ${ms(p(api, 50))}, p95 ${ms(apiP95)} (target < ${target} ms: ${apiP95 < target ? 'met' : 'NOT MET'}; ${ratio.toFixed(2)}× the floor, target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT MET'})`,
    );

    // the floor's figures against the API's: the hand-written SQL must count the same
    const sources = new Map(
      (
        (await clients[0]!.query(`SELECT code, source FROM indicators WHERE organization_id = $1`, [organizationId])).rows as { code: string; source: string }[]
      ).map((r) => [r.code, r.source.replace(/^computed:/, '')]),
    );
    const expected = floorValues(floor, floorResults, yearDay({ fiscalYear: FISCAL_YEAR, asOf }));
    const differ: string[] = [];
    const shown: string[] = [];
    for (const item of view!.items) {
      const source = sources.get(item.code);
      if (!source || !expected.has(source)) continue;
      shown.push(`${item.code} ${item.value ?? '–'}`);
      if (expected.get(source) !== item.value) differ.push(`${item.code}: API ${item.value}, floor ${expected.get(source)}`);
    }
    line(`${label}: figures`, shown.join(', '));
    line(`${label}: floor agrees with the API`, differ.length ? `NO: ${differ.join('; ')}` : `yes (${shown.length} computed indicators)`);
    if (differ.length) failures.push(`${label}: the floor and the API differ`);

    await measureDashboard(scale, server, headers, p(bare, 95), line);

    if (scale.name === 'national') await explainPath(scale, ctx, clients[0]!, line, failures);
  } finally {
    agent.destroy();
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * The dashboard page (`GET /dashboard`) as the security office opens it: the same runs, p50/p95,
 * against the indicators' floor (the page's other parts, the trend across years, the overdue work
 * and the open incidents, are not in that floor). One line says so when the route is missing.
 */
async function measureDashboard(scale: Scale, server: Server, headers: Record<string, string>, floorP95: number, line: Line): Promise<void> {
  const label = `dashboard FY${FISCAL_YEAR}, ${scale.label}: GET /dashboard`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pageHeaders = { ...headers, cookie: `mamori_at=${headers.authorization!.slice('Bearer '.length)}`, accept: 'text/html' };
  try {
    const first = await get(agent, `${server.baseUrl}/dashboard`, pageHeaders);
    if (first.status !== 200) {
      line(label, `not measured: the route answered ${first.status} (not in this build)`);
      return;
    }
    const page: number[] = [];
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      const start = performance.now();
      const response = await get(agent, `${server.baseUrl}/dashboard`, pageHeaders);
      if (response.status !== 200) throw new Error(`GET /dashboard answered ${response.status}`);
      if (i >= WARM_UP) page.push(performance.now() - start);
    }
    page.sort((a, b) => a - b);
    const p95 = percentile(page, 95);
    const target = TARGET_P95_MS[scale.name];
    line(
      label,
      `p50 ${ms(percentile(page, 50))}, p95 ${ms(p95)} (target < ${target} ms: ${p95 < target ? 'met' : 'NOT MET'}; ${(p95 / floorP95).toFixed(2)}× the indicators' floor)`,
    );
  } finally {
    agent.destroy();
  }
}

// ------------------------------------------------------------------------------------------------ EXPLAIN

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

function scansOf(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  if (node['Relation Name']) out.push(node);
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

/**
 * Every statement on the indicators' path at the national sample, read with EXPLAIN (FORMAT JSON):
 * what `figures` sends (each source's aggregate, the indicators, the manual values, the close) and
 * each source's `records` (the detail page's list). A sequential scan of a table of more than
 * LARGE_TABLE_ROWS rows is NOT MET. BENCH_PLANS=1 prints the plans.
 */
async function explainPath(scale: Scale, ctx: ReturnType<IndicatorsService['context']>, client: pg.Client, line: Line, failures: string[]): Promise<void> {
  const service = scale.app.get(IndicatorsService);
  const { rows: sizes } = (await client.query(
    `SELECT c.relname, c.reltuples::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind = 'r'`,
  )) as { rows: { relname: string; n: string }[] };
  const rowsOf = new Map(sizes.map((s) => [s.relname, Number(s.n)]));
  const caught: { label: string; text: string; values: unknown[] }[] = [];
  const figures = await catchStatements(scale.app.dataSource, () => service.yearFigures(ctx.manager, scale.organizationId, yearDayOf(FISCAL_YEAR)));
  for (const [i, s] of figures.statements.entries()) caught.push({ label: `figures #${i + 1}`, ...s });
  for (const [name, source] of Object.entries(COMPUTED_SOURCES)) {
    const compute = await catchStatements(scale.app.dataSource, () => source.compute(ctx));
    for (const s of compute.statements) caught.push({ label: `${name}.compute`, ...s });
    const records = await catchStatements(scale.app.dataSource, () => source.records(ctx, 200));
    for (const s of records.statements) caught.push({ label: `${name}.records`, ...s });
  }
  let bad = 0;
  for (const statement of caught) {
    const { rows } = (await client.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values)) as { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] };
    const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
    const scans = scansOf(plan);
    const seq = scans.filter((s) => s['Node Type'] === 'Seq Scan' && (rowsOf.get(s['Relation Name']!) ?? 0) > LARGE_TABLE_ROWS);
    const read = [
      ...new Set(
        scans.map(
          (s) =>
            `${s['Node Type'].toLowerCase().replace('index only', 'index-only')} ${s['Index Name'] ? `of ${s['Index Name']}` : `on ${s['Relation Name']}`}`,
        ),
      ),
    ].join(' + ');
    if (process.env.BENCH_PLANS) process.stdout.write(`${JSON.stringify(plan, null, 1)}\n`);
    if (seq.length) {
      bad++;
      failures.push(`${statement.label}: sequential scan of ${seq.map((s) => s['Relation Name']).join(', ')}`);
    }
    const verdict = seq.length
      ? `NOT MET: sequential scan of ${seq.map((s) => `${s['Relation Name']} (${(rowsOf.get(s['Relation Name']!) ?? 0).toLocaleString('en')} rows)`).join(', ')}; `
      : '';
    line(`indicators EXPLAIN, ${scale.label}: ${statement.label}`, `${verdict}${read || 'no table'}`);
  }
  line(
    `indicators EXPLAIN, ${scale.label}: ${caught.length} statements`,
    bad ? `NOT MET: ${bad} read a large table sequentially` : `met: no sequential scan of a table over ${LARGE_TABLE_ROWS.toLocaleString('en')} rows`,
  );
}

// ------------------------------------------------------------------------------------------------ the section

export async function benchIndicators(t: TestApp, line: Line): Promise<void> {
  const failures: string[] = [];
  let start = performance.now();
  const demo = await demoTown(t);
  const owner = new pg.Client({ connectionString: t.databaseUrl });
  await owner.connect();
  line(`indicators: demo town data (${await volumes(owner, demo)})`, `${((performance.now() - start) / 1000).toFixed(1)} s (seed:demo)`);
  await owner.end();
  const prefecture = await generatedOrganization(t, line, 'prefecture', PREFECTURE_CODE, {
    staff: 50_000,
    years: [2019, 2022],
    coursesPerYear: 3,
    incidents: 10_000,
    sources: { mailDrillShare: 1, auditsPerYear: 20, findingsPerYear: 500, drillsPerYear: 4, auditTrailRows: 300_000 },
  });
  const servers: Server[] = [];
  let national: TestApp | undefined;
  try {
    const settings = { SECRET_KEY: TEST_SECRET_KEY, AUTH_RATE_LIMIT_PER_MINUTE: '100000', QUEUE_PREFIX: `mamori-bench-indicators-${process.pid}` };
    const server = await startMamori({ ...settings, DATABASE_URL: t.appDatabaseUrl });
    servers.push(server);
    await measure({ name: 'demo', label: 'demo town', app: t, organizationId: demo }, server, line, failures);
    await measure({ name: 'prefecture', label: 'prefecture (50,000 staff)', app: t, organizationId: prefecture }, server, line, failures);
    if (process.env.BENCH_NATIONAL !== 'off') {
      start = performance.now();
      national = await nationalApp(t);
      const organizationId = await generatedOrganization(national, line, 'national sample', NATIONAL_CODE, {
        staff: NATIONAL_STAFF,
        years: [2018, 2022],
        coursesPerYear: 5,
        incidents: 100_000,
        sources: { mailDrillShare: 0.5, auditsPerYear: 60, findingsPerYear: 3_000, drillsPerYear: 6, auditTrailRows: 3_000_000 },
      });
      const nationalServer = await startMamori({ ...settings, DATABASE_URL: national.appDatabaseUrl });
      servers.push(nationalServer);
      await measure({ name: 'national', label: 'national sample (500,000 staff)', app: national, organizationId }, nationalServer, line, failures);
    } else line('indicators: national sample', 'left out (BENCH_NATIONAL=off)');
  } finally {
    for (const server of servers) await server.stop();
    await national?.close();
  }
  if (failures.length) throw new Error(`indicators: ${failures.length} checks NOT MET:\n${failures.join('\n')}`);
}
