/**
 * Benchmark: escalation lateness with 1,000 incidents escalating at once (issue 10). A real worker
 * (`dist/src/worker.js`, a process of its own: the outbox relay, the bull processors and the
 * escalation checker) runs on the bench's database and Redis prefix. 1,000 incidents are reported
 * through IncidentsService.report (their climbs start; level 1 goes out through the outbox); once
 * level 1 has fired for all, level 2 is made due for all 1,000 at the same moment: each climb's
 * next deadline is set to that moment and its bull timer set again through EscalationService.fire
 * (the timer level 1 left, at its own deadline, is removed first). The lateness of a level is
 * `fired_at − due_at` of its firings (escalation_firings), median, 95th percentile and worst.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { systemActor } from '../../src/common/actor.js';
import { projectRoot } from '../../src/database/project-root.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { EscalationPolicy } from '../../src/incidents/escalation-policy.entity.js';
import { EscalationService, escalationJobId } from '../../src/incidents/escalation.service.js';
import { IncidentsService } from '../../src/incidents/incidents.service.js';
import { QUEUES } from '../../src/outbox/outbox-topics.js';
import { actorOf, createDepartment, createPerson } from '../factories/staff.factory.js';
import type { TestApp } from '../support/test-app.js';
import { cpuOf, cpuSpent, processCpuMs } from './load.js';
import { backendPids } from './request-path.js';

export const ESCALATING = 1_000;
/** how many reports are filed side by side */
const REPORTING = 8;
/** level 2 falls due this long after the bench starts setting the timers again (time enough to set 1,000) */
const LEAD_MS = 20_000;
/** issue 10's targets */
const TARGET_MEDIAN_MS = 200;
const TARGET_WORST_MS = 2_000;

interface Lateness {
  fired: number;
  median: number;
  p95: number;
  worst: number;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`escalation bench: ${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The worker, started as `npm run worker` starts it, on the bench app's database and queues (its environment). */
async function startWorker(jobs: Queue): Promise<{ pid: number; stop(): Promise<void> }> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, join(projectRoot(), 'dist/src/worker.js')], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error' },
    // BENCH_DEBUG: its log (warnings) on the bench's output
    stdio: ['ignore', process.env.BENCH_DEBUG ? 'inherit' : 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // ready when its processors have taken the jobs queue
  await waitUntil('the worker start', async () => (child.exitCode !== null ? true : (await jobs.getWorkers()).length > 0), 60_000);
  if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function benchEscalation(t: TestApp, line: (name: string, value: string) => void): Promise<void> {
  const org = (
    (await t.dataSource.query(`INSERT INTO organizations (code, name) VALUES ('bench-escalation', 'ベンチ市') RETURNING id`)) as { id: string }[]
  )[0]!.id;
  const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
  const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策室' });
  const reporters = [];
  for (let i = 0; i < REPORTING; i++) reporters.push(await createPerson(t, org, { departmentId: somu.id }));
  await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
  for (let i = 0; i < 3; i++) await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
  await createPerson(t, org, { roles: ['ciso'], departmentId: somu.id });
  // the untriaged policy: the CSIRT in the app, then the CISO and the reporter's manager in the app and by mail; a long wait, so that
  // level 2 falls due only when the bench says
  await t.get(UnitOfWork).run(systemActor(org, 'bench'), (tx) =>
    tx.manager.getRepository(EscalationPolicy).save({
      organizationId: org,
      key: 'untriaged',
      name: '未判定の報告',
      triggers: ['untriaged'],
      levels: [
        { recipients: { roles: ['csirt'] }, channels: ['in_app'], timeoutMinutes: 60, repeat: 1 },
        { recipients: { roles: ['ciso'], reporterManager: true }, channels: ['in_app', 'email'], timeoutMinutes: 60, repeat: 1 },
      ],
    }),
  );
  const jobs = t.app.get<Queue>(getQueueToken(QUEUES.jobs));
  const firings = async (level: number): Promise<number> =>
    (
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM escalation_firings WHERE organization_id = $1 AND level = $2`, [org, level])) as { n: number }[]
    )[0]!.n;
  const lateness = async (level: number): Promise<Lateness> =>
    (
      (await t.dataSource.query(
        `SELECT count(*)::int AS fired,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95, max(ms) AS worst
           FROM (SELECT extract(epoch FROM fired_at - due_at) * 1000 AS ms FROM escalation_firings WHERE organization_id = $1 AND level = $2) f`,
        [org, level],
      )) as Lateness[]
    )[0]!;

  const worker = await startWorker(jobs);
  try {
    // 1,000 reports, eight at a time: each starts its climb, whose level 1 the worker fires through the outbox
    const incidents = t.get(IncidentsService);
    let start = performance.now();
    let next = 0;
    await Promise.all(
      reporters.map(async (reporter) => {
        while (next < ESCALATING) {
          const n = next++;
          await incidents.report(actorOf(reporter), { title: `不審なメールを開いた ${n}`, description: '添付ファイルを開いてしまいました。' });
        }
      }),
    );
    const reportMs = performance.now() - start;
    await waitUntil('level 1 for every climb', async () => (await firings(0)) >= ESCALATING, 180_000);
    const first = await lateness(0);
    line(
      `escalation: ${ESCALATING} reports in ${(reportMs / 1000).toFixed(1)} s, level 1 (due at the report, through the outbox)`,
      `median ${Number(first.median).toFixed(0)} ms, p95 ${Number(first.p95).toFixed(0)} ms, worst ${Number(first.worst).toFixed(0)} ms late`,
    );

    // as a quarter of an hour later: the worker has relayed and sent what the reports and level 1 left
    start = performance.now();
    const notifications = t.app.get<Queue>(getQueueToken(QUEUES.notifications));
    await waitUntil(
      'the worker catching up',
      async () => {
        const [{ waiting }] = (await t.dataSource.query(
          `SELECT count(*)::int AS waiting FROM outbox_messages WHERE organization_id = $1 AND dispatched_at IS NULL`,
          [org],
        )) as { waiting: number }[];
        if (waiting > 0) return false;
        const [a, b] = [await jobs.getJobCounts(), await notifications.getJobCounts()];
        return a.waiting + a.active + b.waiting + b.active === 0;
      },
      600_000,
    );
    line('escalation: the worker relays and sends what the reports left', `${((performance.now() - start) / 1000).toFixed(1)} s`);

    // level 2 due for all 1,000 at one moment: the deadline in the table, and each climb's timer set again by the service
    const climbs = (await t.dataSource.query(`SELECT id FROM escalation_climbs WHERE organization_id = $1 AND stopped_at IS NULL`, [org])) as { id: string }[];
    if (climbs.length !== ESCALATING) throw new Error(`${climbs.length} climbs run, not ${ESCALATING}`);
    const escalation = t.get(EscalationService);
    const dueAt = new Date(Date.now() + LEAD_MS);
    await t.dataSource.query(`UPDATE escalation_climbs SET next_due_at = $2 WHERE organization_id = $1 AND stopped_at IS NULL`, [org, dueAt]);
    start = performance.now();
    next = 0;
    await Promise.all(
      Array.from({ length: REPORTING }, async () => {
        while (next < climbs.length) {
          const climb = climbs[next++]!;
          await (await jobs.getJob(escalationJobId(climb.id, 1, 1)))?.remove();
          const outcome = await escalation.fire(org, climb.id);
          if (outcome.fired || outcome.next?.dueAt.getTime() !== dueAt.getTime())
            throw new Error(`climb ${climb.id} fired or moved: ${JSON.stringify(outcome)}`);
        }
      }),
    );
    const settledMs = performance.now() - start;
    const workerCpu = processCpuMs(worker.pid);
    const pgCpu = cpuOf(await backendPids(t.databaseUrl));
    if (Date.now() > dueAt.getTime() - 500) throw new Error('the timers were set again too late for the moment they fall due: raise LEAD_MS');
    await waitUntil('level 2 for every climb', async () => (await firings(1)) >= ESCALATING, 120_000);
    const second = await lateness(1);
    const workerMs = processCpuMs(worker.pid) - workerCpu;
    const pgMs = cpuSpent(pgCpu, cpuOf(await backendPids(t.databaseUrl)));
    const firedWithin = (performance.now() - start) / 1000;
    line(
      `escalation: level 2 due for ${ESCALATING} climbs at one moment (timers set in ${(settledMs / 1000).toFixed(1)} s)`,
      `median ${Number(second.median).toFixed(0)} ms, p95 ${Number(second.p95).toFixed(0)} ms, worst ${Number(second.worst).toFixed(0)} ms late (${second.fired} fired)`,
    );
    line(
      'escalation: level 2, CPU per firing (the wait and the firing)',
      `worker ${(workerMs / ESCALATING).toFixed(2)} ms, PostgreSQL ${(pgMs / ESCALATING).toFixed(2)} ms`,
    );
    line(
      'escalation: level 2 lateness targets',
      `median < ${TARGET_MEDIAN_MS} ms ${second.median < TARGET_MEDIAN_MS ? 'met' : 'NOT MET'}, worst < ${TARGET_WORST_MS / 1000} s ${second.worst < TARGET_WORST_MS ? 'met' : 'NOT MET'} (${firedWithin.toFixed(1)} s in all)`,
    );
  } finally {
    await worker.stop();
  }
}
