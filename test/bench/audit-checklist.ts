/**
 * Benchmarks of audits (issue 11), on organisations of their own:
 *
 * - starting an audit, which makes its checklist (control × department) in one INSERT … SELECT:
 *   a town's (the 56 controls of `policies/` × 20 departments = 1,120 items) and a prefecture's
 *   (500 controls × 200 departments = 100,000 items), through AuditsService.start (the lock, the
 *   statement, the audit's update and its audit-trail row in one transaction) and through
 *   AuditsService.generateChecklist alone (its one statement in a transaction), beside the floor:
 *   the bare INSERT … SELECT of the same rows sent raw through `pg` on a connection of its own.
 *   Runs alternate between the two; medians (target: start ≤ 1.5× the floor).
 * - the checklist page of the 100,000-item audit (70% answered), filtered by department, by
 *   result=unanswered and by chapter, page 1 of 50: `GET /api/v1/audits/:id/checklist?…` on Mamori's
 *   web process (compiled, a process of its own, one request at a time), beside its floor: the very
 *   statements the service sends for that page, caught once and sent raw (the audit first, then
 *   the count and the page side by side, as the service does). p50 and p95 (target p95 < 100 ms).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Audit } from '../../src/audits/audit.entity.js';
import { AuditsService } from '../../src/audits/audits.service.js';
import { ChecklistQuery, type ChecklistFilter } from '../../src/audits/dto/audit.dto.js';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { actorOf, createPerson, signIn, type TestPerson } from '../factories/staff.factory.js';
import { TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';
import { generateBenchData } from './bench-data.js';
import { catchStatements } from './incident-board.js';
import { percentile } from './load.js';
import { startMamori } from './request-path.js';

/** issue 11's targets */
const TARGET_RATIO = 1.5;
const TARGET_P95_MS = 100;
const PAGE_RUNS = 50;
const PAGE_WARM_UP = 5;
/** the prefecture's catalogue and departments */
export const LARGE_CONTROLS = 500;
export const LARGE_DEPARTMENTS = 200;

type Line = (name: string, value: string) => void;

interface Org {
  organizationId: string;
  departmentIds: string[];
  controls: number;
  lead: TestPerson;
}

/**
 * Adds `count` controls to the organisation (codes `<chapter>-B<n>`, chapters 1–9 in turn, nine in
 * ten essential), with a question and evidence hints of a realistic length, in one statement.
 */
export async function generateBenchControls(databaseUrl: string, organizationId: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const inserted = await client.query(
      `INSERT INTO controls (organization_id, code, chapter, title, title_en, description, audit_question, evidence_hints,
                             owner_role, frequency, essential, mappings, status, content_hash)
       SELECT $1, (1 + n % 9) || '-B' || lpad(n::text, 4, '0'), 1 + n % 9,
              '対策基準の項目 ' || n, 'Control ' || n,
              '情報資産の取扱いについて、所管課が定められた手順に従って管理し、その記録を保存すること（項目 ' || n || '）。',
              '手順どおりに管理され、記録が保存されているか。直近3か月分の記録を確認する（項目 ' || n || '）。',
              '管理台帳、点検記録、申請・承認の記録',
              'security_officer', 'yearly', n % 10 <> 0, '{"iso27001": [], "nistCsf": []}'::jsonb, 'implemented', md5(n::text) || md5(n::text)
         FROM generate_series(1, $2::int) n
       ON CONFLICT DO NOTHING`,
      [organizationId, count],
    );
    return inserted.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function prepareOrg(t: TestApp, code: string, size: 'town' | 'prefecture'): Promise<Org> {
  const departments = size === 'town' ? 20 : LARGE_DEPARTMENTS;
  const data = await generateBenchData(t.appDatabaseUrl, code, { staff: size === 'town' ? 400 : 4_000, departments });
  if (size === 'town') await t.get(PoliciesSyncService).sync(systemActor(data.organizationId, 'bench'));
  else await generateBenchControls(t.appDatabaseUrl, data.organizationId, LARGE_CONTROLS);
  const ids = (await t.dataSource.query(`SELECT id FROM departments WHERE organization_id = $1 AND closed_on IS NULL ORDER BY code LIMIT $2`, [
    data.organizationId,
    departments,
  ])) as { id: string }[];
  const [controls] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM controls WHERE organization_id = $1 AND retired_at IS NULL`, [
    data.organizationId,
  ])) as { n: number }[];
  // the security office, of no department in scope
  const lead = await createPerson(t, data.organizationId, { roles: ['security_officer'] });
  return { organizationId: data.organizationId, departmentIds: ids.map((d) => d.id), controls: controls!.n, lead };
}

/** Plans an audit of every control in force × the departments (not timed). */
async function planAudit(t: TestApp, org: Org, title: string): Promise<string> {
  const today = tokyoToday();
  const audit = await t.get(AuditsService).plan(actorOf(org.lead), {
    fiscalYear: fiscalYearOf(today),
    kind: 'internal_audit',
    title,
    scope: { departmentIds: org.departmentIds },
    leadAuditorId: org.lead.staff.id,
    plannedStart: today,
    plannedEnd: today,
  });
  return audit.id;
}

/** Starting audits through the service beside the bare INSERT … SELECT, alternately; returns the last audit started (its checklist made). */
async function generation(t: TestApp, org: Org, label: string, runs: number, warmUp: number, line: Line): Promise<string> {
  const audits = t.get(AuditsService);
  const client = new pg.Client({ connectionString: t.appDatabaseUrl });
  await client.connect();
  const expected = org.controls * org.departmentIds.length;
  const service: number[] = [];
  const statement: number[] = [];
  const floor: number[] = [];
  let last = '';
  try {
    for (let i = 0; i < warmUp + runs; i++) {
      const [serviceAudit, statementAudit, floorAudit] = [
        await planAudit(t, org, `${label} ${i}`),
        await planAudit(t, org, `${label} statement ${i}`),
        await planAudit(t, org, `${label} floor ${i}`),
      ];
      // who goes first takes turns, so neither always meets a cache the other warmed
      const measureService = async (): Promise<number> => {
        const t0 = performance.now();
        const { items } = await audits.start(actorOf(org.lead), serviceAudit);
        const ms = performance.now() - t0;
        if (items !== expected) throw new Error(`start made ${items} items, not ${expected}`);
        return ms;
      };
      // the service's statement alone (AuditsService.generateChecklist), in a transaction of its own
      const measureStatement = async (): Promise<number> => {
        const audit = await t.dataSource.getRepository(Audit).findOneByOrFail({ id: statementAudit });
        const t0 = performance.now();
        const items = await t.dataSource.transaction((manager) => audits.generateChecklist(manager, audit));
        const ms = performance.now() - t0;
        if (items !== expected) throw new Error(`generateChecklist made ${items} items, not ${expected}`);
        return ms;
      };
      const measureFloor = async (): Promise<number> => {
        const t0 = performance.now();
        const made = await client.query(
          `INSERT INTO audit_checklist_items (organization_id, audit_id, control_id, control_code, chapter, department_id, department_code)
           SELECT $1, $2, c.id, c.code, c.chapter, d.id, d.code
             FROM controls c CROSS JOIN departments d
            WHERE c.organization_id = $1 AND c.retired_at IS NULL AND d.organization_id = $1 AND d.id = ANY($3::uuid[])`,
          [org.organizationId, floorAudit, org.departmentIds],
        );
        const ms = performance.now() - t0;
        if (made.rowCount !== expected) throw new Error(`the floor made ${made.rowCount} items, not ${expected}`);
        return ms;
      };
      let s: number;
      let g: number;
      let f: number;
      if (i % 2 === 0) {
        s = await measureService();
        g = await measureStatement();
        f = await measureFloor();
      } else {
        f = await measureFloor();
        g = await measureStatement();
        s = await measureService();
      }
      if (i >= warmUp) {
        service.push(s);
        statement.push(g);
        floor.push(f);
      }
      last = serviceAudit;
    }
  } finally {
    await client.end();
  }
  const median = (runs: number[]): number =>
    percentile(
      [...runs].sort((a, b) => a - b),
      50,
    );
  const [s, g, f] = [median(service), median(statement), median(floor)];
  const name = `audit checklist, ${org.controls} controls × ${org.departmentIds.length} departments (${expected.toLocaleString('en')} items)`;
  line(`${name}: raw-SQL floor (the bare INSERT … SELECT)`, `median ${f.toFixed(1)} ms (${runs} runs)`);
  line(`${name}: AuditsService.start`, `median ${s.toFixed(1)} ms (lock, the INSERT … SELECT, the audit's update and audit-trail row)`);
  line(`${name}: AuditsService.generateChecklist`, `median ${g.toFixed(1)} ms (its one statement, in a transaction; ${(g / f).toFixed(2)}× the floor)`);
  line(`${name}: start ÷ floor`, `${(s / f).toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${s <= TARGET_RATIO * f ? 'met' : 'NOT MET'})`);
  return last;
}

function get(agent: http.Agent, url: string, token: string, page = false): Promise<{ status: number; body: string }> {
  // the API with the bearer token; the page as a browser asks for it, with the session cookie
  const headers = page ? { accept: 'text/html', cookie: `mamori_at=${token}` } : { authorization: `Bearer ${token}` };
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

/** The checklist pages over the 100,000-item audit, 70% answered. */
async function checklistPages(t: TestApp, org: Org, auditId: string, line: Line): Promise<void> {
  // seven in ten answered: mostly conformant, some observations and non-conformities, a few that do not apply
  await t.dataSource.query(
    `UPDATE audit_checklist_items i
        SET result = CASE WHEN h % 100 < 60 THEN 'conformant' WHEN h % 100 < 64 THEN 'observation' WHEN h % 100 < 66 THEN 'minor_nonconformity'
                          WHEN h % 100 < 67 THEN 'major_nonconformity' ELSE 'not_applicable' END,
            note = CASE WHEN h % 100 >= 60 THEN '記録の一部に記入漏れがあった。' END,
            answered_by_id = $2, answered_at = now()
       FROM (SELECT id, abs(hashtext(id::text)) AS h FROM audit_checklist_items WHERE audit_id = $1) x
      WHERE i.id = x.id AND x.h % 100 < 70`,
    [auditId, org.lead.staff.id],
  );
  // the planner's statistics and the visibility map, as autovacuum would leave them (the app's role may not VACUUM)
  const owner = new pg.Client({ connectionString: t.databaseUrl });
  await owner.connect();
  await owner.query('VACUUM ANALYZE audit_checklist_items').finally(() => owner.end());

  const department = org.departmentIds[Math.floor(org.departmentIds.length / 2)]!;
  const pages: { label: string; query: string; filters: Partial<ChecklistQuery> }[] = [
    { label: 'one department', query: `departmentId=${department}&page=1&pageSize=50`, filters: { departmentId: department } },
    { label: 'result=unanswered', query: 'result=unanswered&page=1&pageSize=50', filters: { result: ['unanswered' as ChecklistFilter] } },
    { label: 'chapter 5', query: 'chapter=5&page=1&pageSize=50', filters: { chapter: 5 } },
  ];
  const token = (await signIn(t, org.lead)).accessToken;
  const service = t.get(AuditsService);
  const mamori = await startMamori({
    DATABASE_URL: t.appDatabaseUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    QUEUE_PREFIX: `mamori-bench-checklist-${process.pid}`,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const clients = [new pg.Client({ connectionString: t.appDatabaseUrl }), new pg.Client({ connectionString: t.appDatabaseUrl })];
  await Promise.all(clients.map((c) => c.connect()));
  try {
    for (const page of pages) {
      const query = Object.assign(new ChecklistQuery(), { page: 1, pageSize: 50 }, page.filters);
      const { result, statements } = await catchStatements(t.dataSource, () => service.checklist(actorOf(org.lead), auditId, query));
      if (statements.length !== 3) throw new Error(`the checklist sent ${statements.length} statements`);
      const [audit, ...rest] = statements as [(typeof statements)[number], ...typeof statements];
      const raw = async (): Promise<void> => {
        await clients[0]!.query(audit.text, audit.values);
        await Promise.all(rest.map((statement, i) => clients[i]!.query(statement.text, statement.values)));
      };
      const web: number[] = [];
      const html: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < PAGE_WARM_UP + PAGE_RUNS; i++) {
        let t0 = performance.now();
        const response = await get(agent, `${mamori.baseUrl}/api/v1/audits/${auditId}/checklist?${page.query}`, token);
        const webMs = performance.now() - t0;
        if (response.status !== 200) throw new Error(`the checklist answered ${response.status}: ${response.body.slice(0, 300)}`);
        t0 = performance.now();
        // the page shows 50 a page by itself: it takes no pageSize
        const pageResponse = await get(agent, `${mamori.baseUrl}/audits/${auditId}/checklist?${page.query.replace('&pageSize=50', '')}`, token, true);
        const htmlMs = performance.now() - t0;
        if (pageResponse.status !== 200) throw new Error(`the checklist page answered ${pageResponse.status}: ${pageResponse.body.slice(0, 300)}`);
        t0 = performance.now();
        await raw();
        const floorMs = performance.now() - t0;
        if (i >= PAGE_WARM_UP) {
          web.push(webMs);
          html.push(htmlMs);
          floor.push(floorMs);
        }
      }
      web.sort((a, b) => a - b);
      html.sort((a, b) => a - b);
      floor.sort((a, b) => a - b);
      const label = `audit checklist page over 100,000 items, ${page.label} (${result.total.toLocaleString('en')} match, page 1 of 50)`;
      line(
        `${label}: raw-SQL floor (its ${statements.length} statements)`,
        `p50 ${percentile(floor, 50).toFixed(1)} ms, p95 ${percentile(floor, 95).toFixed(1)} ms (${PAGE_RUNS} runs)`,
      );
      const p95 = percentile(web, 95);
      line(
        `${label}: GET /api/v1/audits/:id/checklist`,
        `p50 ${percentile(web, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? 'met' : 'NOT MET'})`,
      );
      const pageP95 = percentile(html, 95);
      line(
        `${label}: the page GET /audits/:id/checklist (HTML)`,
        `p50 ${percentile(html, 50).toFixed(1)} ms, p95 ${pageP95.toFixed(1)} ms (target p95 < ${TARGET_P95_MS} ms: ${pageP95 < TARGET_P95_MS ? 'met' : 'NOT MET'})`,
      );
    }
  } finally {
    agent.destroy();
    await Promise.all(clients.map((c) => c.end()));
    await mamori.stop();
  }
}

export async function benchAuditChecklist(t: TestApp, line: Line): Promise<void> {
  let start = performance.now();
  const town = await prepareOrg(t, 'bench-audit-town', 'town');
  const prefecture = await prepareOrg(t, 'bench-audit-prefecture', 'prefecture');
  const owner = new pg.Client({ connectionString: t.databaseUrl });
  await owner.connect();
  await owner.query('VACUUM ANALYZE controls, departments, audits, audit_checklist_items').finally(() => owner.end());
  line(
    `audit checklist: bench data (${town.controls}×${town.departmentIds.length} and ${prefecture.controls}×${prefecture.departmentIds.length})`,
    `${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  start = performance.now();
  await generation(t, town, 'town', 15, 3, line);
  const large = await generation(t, prefecture, 'prefecture', 5, 1, line);
  line('audit checklist: the generation runs', `${((performance.now() - start) / 1000).toFixed(1)} s`);
  await checklistPages(t, prefecture, large, line);
}
