/**
 * The request path every module inherits, beside its floor: Mamori's web process and the bare
 * `pg` server of floor-server.ts, each started as a process of its own on the bench's database,
 * loaded in turn at 16 connections. Per route: throughput, p50/p99 latency, and the CPU the web
 * process and PostgreSQL's backends spent per request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../src/database/project-root.js';
import { cpuOf, cpuSpent, load, percentile, processCpuMs, type LoadOptions, type LoadResult } from './load.js';

export const CONNECTIONS = 16;
/** the flags of `npm start` (package.json): a larger young generation, fewer scavenges under load */
const NODE_FLAGS = ['--max-semi-space-size=32'];
const WARM_UP_MS = 2_000;
/** the servers are measured in turns, so that what else the machine does falls on both alike */
const ROUNDS = 4;
const ROUND_MS = 2_500;

export interface RouteFigures extends LoadResult {
  webCpuMsPerRequest: number;
  pgCpuMsPerRequest: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

export interface Server {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

async function start(script: string, env: Record<string, string>, readyPath: string): Promise<Server> {
  const port = await freePort();
  // BENCH_PROFILE=<dir>: each server writes a CPU profile there when it stops (open it in Chrome's DevTools)
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // both servers run with the young-generation size `npm start` gives the web process
  const child = spawn(process.execPath, [...NODE_FLAGS, ...profile, join(projectRoot(), script)], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}${readyPath}`, child);
  return {
    baseUrl,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Mamori's web process (compiled), without jobs, on the given database. */
export function startMamori(env: Record<string, string>): Promise<Server> {
  return start('dist/src/main.js', { NODE_ENV: 'test', LOG_LEVEL: 'error', RUN_WORKER_IN_WEB: 'false', ...env }, '/health');
}

/** The bare floor server on the same database. */
export function startFloor(env: Record<string, string>): Promise<Server> {
  return start('dist/test/bench/floor-server.js', env, '/');
}

export async function backendPids(databaseUrl: string): Promise<number[]> {
  const url = new URL(databaseUrl);
  const database = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows.map((row: { pid: number }) => row.pid);
  } finally {
    await client.end();
  }
}

/**
 * Loads one route on each server in turns (after a warm-up of each): ROUNDS rounds of ROUND_MS per
 * server, summed, with the CPU each server process and PostgreSQL's backends spent meanwhile.
 */
export async function measureSideBySide(
  servers: Record<string, Server>,
  path: string,
  token: string,
  databaseUrl: string,
  /** another request than `GET path` with the token (a POST with a body and headers per request), or other connections */
  request: Partial<Omit<LoadOptions, 'url' | 'durationMs'>> = {},
): Promise<Record<string, RouteFigures>> {
  const options = (server: Server) => ({
    url: `${server.baseUrl}${path}`,
    headers: { authorization: `Bearer ${token}` },
    connections: CONNECTIONS,
    ...request,
  });
  for (const server of Object.values(servers)) await load({ ...options(server), durationMs: WARM_UP_MS });
  const totals = Object.fromEntries(Object.keys(servers).map((name) => [name, { latencies: [] as number[], seconds: 0, errors: 0, webCpu: 0, pgCpu: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, server] of Object.entries(servers)) {
      const webBefore = processCpuMs(server.pid);
      const pgBefore = cpuOf(await backendPids(databaseUrl));
      const result = await load({ ...options(server), durationMs: ROUND_MS });
      const total = totals[name]!;
      total.webCpu += processCpuMs(server.pid) - webBefore;
      total.pgCpu += cpuSpent(pgBefore, cpuOf(await backendPids(databaseUrl)));
      total.latencies.push(...result.latencies);
      total.seconds += result.seconds;
      total.errors += result.errors;
    }
  }
  return Object.fromEntries(
    Object.entries(totals).map(([name, total]) => {
      if (total.errors) throw new Error(`${path} on ${name}: ${total.errors} of ${total.latencies.length} requests failed`);
      const sorted = total.latencies.sort((a, b) => a - b);
      const requests = sorted.length;
      return [
        name,
        {
          requests,
          errors: 0,
          seconds: total.seconds,
          rps: requests / total.seconds,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted[requests - 1] ?? NaN,
          latencies: sorted,
          webCpuMsPerRequest: total.webCpu / requests,
          pgCpuMsPerRequest: total.pgCpu / requests,
        },
      ];
    }),
  );
}
