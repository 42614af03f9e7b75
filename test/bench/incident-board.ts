/**
 * Benchmark: the CSIRT's incident board (issue 10) over 50,000 incidents of FY2019 to now, filtered
 * and sorted by urgency, page 1 and a deep page: `GET /api/v1/incidents?…` on Mamori's web process
 * (compiled, a process of its own, one request at a time), beside its floor: the very statements the
 * service sends for that page, caught once and sent raw through `pg` on a connection of its own.
 * Runs alternate between the two so both meet the same machine; p50 and p95 of each.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { IncidentQuery } from '../../src/incidents/dto/incident-query.dto.js';
import { IncidentsService } from '../../src/incidents/incidents.service.js';
import { actorOf, createPerson, signIn } from '../factories/staff.factory.js';
import { TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';
import { generateBenchData } from './bench-data.js';
import { generateBenchIncidents } from './incident-data.js';
import { percentile } from './load.js';
import { startMamori } from './request-path.js';

export const BOARD_INCIDENTS = 50_000;
const RUNS = 50;
const WARM_UP = 5;
/** issue 10's target */
const TARGET_P95_MS = 100;

/** The pages measured: the open queue, and a broad filter's first and 500th page of 50. */
export const BOARD_PAGES: readonly { label: string; query: string }[] = [
  { label: 'open L1–L3, page 1', query: 'status=reported,triaged,contained,eradicated,recovered,reopened&severity=L1,L2,L3&sort=urgency&page=1&pageSize=50' },
  { label: 'closed L0–L1, page 1', query: 'status=closed&severity=L0,L1&sort=urgency&page=1&pageSize=50' },
  { label: 'closed L0–L1, page 500', query: 'status=closed&severity=L0,L1&sort=urgency&page=500&pageSize=50' },
];

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The statements `work` sends through the app's connections (the query builder's, and prepared
 * statements straight on the pool), caught while it runs.
 */
export async function catchStatements<T>(dataSource: DataSource, work: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const statements: Statement[] = [];
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query: string, parameters?: unknown[], runner?: Parameters<typeof logger.logQuery>[2]) => {
    statements.push({ text: query, values: parameters ?? [] });
    return logQuery(query, parameters, runner);
  };
  const pool = (dataSource.driver as PostgresDriver).master as pg.Pool & { query: (...args: unknown[]) => unknown };
  const poolQuery = pool.query;
  pool.query = function (this: pg.Pool, config: unknown, values?: unknown) {
    if (typeof config === 'string') statements.push({ text: config, values: (values as unknown[]) ?? [] });
    else if (config && typeof config === 'object' && 'text' in config)
      statements.push({ text: (config as Statement).text, values: (config as Statement).values ?? [] });
    return (poolQuery as (...args: unknown[]) => unknown).call(this, config, values);
  } as typeof pool.query;
  try {
    const result = await work();
    return { result, statements };
  } finally {
    logger.logQuery = logQuery;
    pool.query = poolQuery;
  }
}

function get(agent: http.Agent, url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A query string as the controller's validation pipe would make it an IncidentQuery. */
function incidentQuery(query: string): IncidentQuery {
  const params = new URLSearchParams(query);
  const q = new IncidentQuery();
  q.page = Number(params.get('page') ?? 1);
  q.pageSize = Number(params.get('pageSize') ?? 50);
  if (params.get('status')) q.status = params.get('status')!.split(',') as IncidentQuery['status'];
  if (params.get('severity')) q.severity = params.get('severity')!.split(',') as IncidentQuery['severity'];
  if (params.get('sort')) q.sort = params.get('sort') as IncidentQuery['sort'];
  return q;
}

export async function benchIncidentBoard(t: TestApp, line: (name: string, value: string) => void): Promise<void> {
  const code = 'bench-incident-board';
  let start = performance.now();
  const data = await generateBenchData(t.appDatabaseUrl, code, { staff: 2_000 });
  const generated = await generateBenchIncidents(t.appDatabaseUrl, data.organizationId, { incidents: BOARD_INCIDENTS });
  // the planner's statistics and the visibility map, as autovacuum would leave them (the app's role may not VACUUM)
  const owner = new pg.Client({ connectionString: t.databaseUrl });
  await owner.connect();
  await owner.query('VACUUM ANALYZE incidents').finally(() => owner.end());
  line(
    `incident board: bench data (${generated.incidents.toLocaleString('en')} incidents, FY${generated.byYear[0]!.fiscalYear}–FY${generated.byYear.at(-1)!.fiscalYear})`,
    `${((performance.now() - start) / 1000).toFixed(1)} s (incidents ${(generated.ms / 1000).toFixed(1)} s, with VACUUM ANALYZE)`,
  );
  const csirt = await createPerson(t, data.organizationId, { roles: ['csirt'] });
  const token = (await signIn(t, csirt)).accessToken;
  const service = t.get(IncidentsService);

  const mamori = await startMamori({
    DATABASE_URL: t.appDatabaseUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    QUEUE_PREFIX: `mamori-bench-board-${process.pid}`,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // as many connections as the service's statements, which it sends side by side
  const clients = [new pg.Client({ connectionString: t.appDatabaseUrl }), new pg.Client({ connectionString: t.appDatabaseUrl })];
  const client = clients[0]!;
  await Promise.all(clients.map((c) => c.connect()));
  try {
    for (const page of BOARD_PAGES) {
      // the statements the service sends for this page, caught once
      const { result, statements } = await catchStatements(t.dataSource, () => service.list(actorOf(csirt), incidentQuery(page.query)));
      if (statements.length > clients.length) throw new Error(`the board sent ${statements.length} statements`);
      const raw = async (): Promise<void> => {
        await Promise.all(statements.map((statement, i) => clients[i]!.query(statement.text, statement.values)));
      };
      const web: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < WARM_UP + RUNS; i++) {
        start = performance.now();
        const response = await get(agent, `${mamori.baseUrl}/api/v1/incidents?${page.query}`, token);
        const webMs = performance.now() - start;
        if (response.status !== 200) throw new Error(`the board answered ${response.status}: ${response.body.slice(0, 300)}`);
        start = performance.now();
        await raw();
        const floorMs = performance.now() - start;
        if (i >= WARM_UP) {
          web.push(webMs);
          floor.push(floorMs);
        }
      }
      web.sort((a, b) => a - b);
      floor.sort((a, b) => a - b);
      const label = `incident board over ${BOARD_INCIDENTS.toLocaleString('en')}, ${page.label} (${result.total.toLocaleString('en')} match)`;
      line(
        `${label}: raw-SQL floor (its ${statements.length} statements, side by side)`,
        `p50 ${percentile(floor, 50).toFixed(1)} ms, p95 ${percentile(floor, 95).toFixed(1)} ms (${RUNS} runs)`,
      );
      const p95 = percentile(web, 95);
      line(
        `${label}: GET /api/v1/incidents as the CSIRT`,
        `p50 ${percentile(web, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? 'met' : 'NOT MET'})`,
      );
      const plans: string[] = [];
      for (const statement of statements) {
        const { rows } = (await client.query(`EXPLAIN ${statement.text}`, statement.values)) as { rows: { 'QUERY PLAN': string }[] };
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
        const scans = [...plan.matchAll(/(Index Only Scan|Index Scan|Seq Scan|Bitmap Heap Scan)(?: Backward)?(?: using (\w+))? on/g)].map(
          ([, kind, index]) => `${kind!.toLowerCase().replace('index only', 'index-only')}${index ? ` of ${index}` : ''}`,
        );
        // a sort under the limit sorts every match; above it, only the page's rows
        const lines = plan.split('\n');
        const sortsAll = lines.findIndex((l) => /Sort {2}\(/.test(l)) > lines.findIndex((l) => /Limit {2}\(/.test(l)) && /Limit {2}\(/.test(plan);
        plans.push(`${[...new Set(scans)].join(' + ')}${sortsAll ? ', sorting every match' : ''}`);
        if (process.env.BENCH_PLANS) process.stdout.write(`${plan}\n`);
      }
      line(`${label}: read by`, plans.join('; '));
    }
  } finally {
    agent.destroy();
    await Promise.all(clients.map((c) => c.end()));
    await mamori.stop();
  }
}
