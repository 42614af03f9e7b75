/**
 * Benchmark: reporting an incident (issue 10), `POST /api/v1/incidents` with a bearer token and an
 * Idempotency-Key, at 32 connections, on Mamori's web process beside the bare floor of
 * floor-server.ts (the same rows in one transaction through `pg`), measured in turns as the request
 * path is (request-path.ts). Mamori's side does what a report does in production: the town has an
 * escalation policy for untriaged reports, so each report also starts its climb (the climb row, its
 * timeline entry and outbox row), and writes its audit-trail rows; the floor does neither. A second
 * measurement, the policy switched off, compares like with like (report only).
 */
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { EscalationPolicy } from '../../src/incidents/escalation-policy.entity.js';
import { createDepartment, createPerson, signIn } from '../factories/staff.factory.js';
import { TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';
import { measureSideBySide, startFloor, startMamori, type RouteFigures, type Server } from './request-path.js';

export const REPORT_CONNECTIONS = 32;
/** how many people report (their tokens are used in turn) */
const REPORTERS = 8;
/** issue 10's targets */
const RATIO_TARGET = 0.6;
const P99_TARGET_MS = 50;

/** A report as the one-minute form sends it. */
const REPORT = {
  title: '不審なメールの添付ファイルを開いてしまった',
  description: '取引先を名乗るメールの添付ファイル（請求書.zip）を開きました。端末はネットワークから外しています。',
  nearMiss: false,
  personalDataInvolved: false,
};

export async function benchIncidentReport(t: TestApp, line: (name: string, value: string) => void): Promise<void> {
  const org = (
    (await t.dataSource.query(`INSERT INTO organizations (code, name) VALUES ('bench-incident-report', 'ベンチ町') RETURNING id`)) as { id: string }[]
  )[0]!.id;
  const department = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
  const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策室' });
  for (let i = 0; i < 3; i++) await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
  const tokens: string[] = [];
  for (let i = 0; i < REPORTERS; i++) tokens.push((await signIn(t, await createPerson(t, org, { departmentId: department.id }))).accessToken);
  // the untriaged policy a town has (policies/escalation.yaml): the CSIRT in the app and by mail, then the CISO
  await t.get(UnitOfWork).run(systemActor(org, 'bench'), (tx) =>
    tx.manager.getRepository(EscalationPolicy).save({
      organizationId: org,
      key: 'untriaged',
      name: '未判定の報告',
      triggers: ['untriaged'],
      levels: [
        { recipients: { roles: ['csirt'] }, channels: ['in_app', 'email'], timeoutMinutes: 15, repeat: 1 },
        { recipients: { roles: ['ciso'], reporterManager: true }, channels: ['email'], timeoutMinutes: 30, repeat: 1 },
      ],
    }),
  );

  const settings = {
    DATABASE_URL: t.appDatabaseUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    QUEUE_PREFIX: `mamori-bench-report-${process.pid}`,
  };
  const servers: Record<string, Server> = {};
  const figures: { variant: string; mamori: RouteFigures; floor: RouteFigures }[] = [];
  try {
    servers.mamori = await startMamori(settings);
    servers.floor = await startFloor(settings);
    for (const variant of ['report and its escalation climb', 'report only (no policy: no climb, as the floor)']) {
      if (figures.length) await t.dataSource.query(`UPDATE escalation_policies SET active = false WHERE organization_id = $1`, [org]);
      const measured = await measureSideBySide(servers, '/api/v1/incidents', tokens[0]!, t.appDatabaseUrl, {
        method: 'POST',
        connections: REPORT_CONNECTIONS,
        // a key of its own per report (the numbers start again with each load run)
        headers: (n) => ({ authorization: `Bearer ${tokens[n % REPORTERS]}`, 'idempotency-key': randomUUID() }),
        body: () => JSON.stringify(REPORT),
        expectStatus: 201,
      });
      figures.push({ variant, mamori: measured.mamori!, floor: measured.floor! });
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  const [{ incidents, gaps, climbs }] = (await t.dataSource.query(
    `SELECT count(*)::int AS incidents, (max(substring(reference FROM 10)::int) - min(substring(reference FROM 10)::int) + 1 - count(*))::int AS gaps,
            (SELECT count(*)::int FROM escalation_climbs c WHERE c.organization_id = $1) AS climbs
       FROM incidents WHERE organization_id = $1`,
    [org],
  )) as { incidents: number; gaps: number; climbs: number }[];
  const show = (f: RouteFigures): string =>
    `${f.rps.toFixed(0)} req/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, web CPU ${f.webCpuMsPerRequest.toFixed(2)} ms/req, PostgreSQL CPU ${f.pgCpuMsPerRequest.toFixed(2)} ms/req`;
  const label = `POST /api/v1/incidents (${REPORT_CONNECTIONS} connections, Idempotency-Key)`;
  for (const { variant, mamori, floor } of figures) {
    line(`${label}, Mamori, ${variant}`, show(mamori));
    line(`${label}, bare pg floor`, show(floor));
    const ratio = mamori.rps / floor.rps;
    line(
      `${label}: Mamori ÷ floor throughput`,
      `${ratio.toFixed(2)} (targets: ≥ ${RATIO_TARGET.toFixed(2)} ${ratio >= RATIO_TARGET ? 'met' : 'NOT MET'}, p99 < ${P99_TARGET_MS} ms ${mamori.p99 < P99_TARGET_MS ? 'met' : 'NOT MET'})`,
    );
  }
  line(`${label}: written`, `${incidents} incidents, ${gaps} gaps in the references, ${climbs} climbs`);
}
