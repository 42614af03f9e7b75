/**
 * A small closed-loop load generator for the bench (no extra dependency): `connections` keep-alive
 * clients each send the next request as soon as the last one answered, for `durationMs`.
 * It runs in the bench process; the servers it measures run in processes of their own, so the CPU
 * read from /proc for a server's pid is that server's alone.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** requests answered per second */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** every request's latency, ms, sorted */
  latencies: number[];
}

export interface LoadOptions {
  url: string;
  /** the same for every request, or made per request (its number in the run) */
  headers?: Record<string, string> | ((n: number) => Record<string, string>);
  connections: number;
  durationMs: number;
  /** default GET */
  method?: string;
  /** a request's body, made per request */
  body?: (n: number) => string;
  /** the status an answered request has (default 200); any other counts as an error */
  expectStatus?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function once(agent: http.Agent, url: URL, headers: Record<string, string>, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers, method }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const until = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const n = sent++;
          const headers = typeof options.headers === 'function' ? options.headers(n) : (options.headers ?? {});
          const body = options.body?.(n);
          const status = await once(agent, url, body === undefined ? headers : { 'content-type': 'application/json', ...headers }, options.method, body);
          if (status !== (options.expectStatus ?? 200)) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    latencies,
  };
}

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; 0 for a process that is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces: fields count from after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU time used so far by each of the given processes, by pid. */
export function cpuOf(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processCpuMs(pid)]));
}

/** CPU spent between two readings (a pid missing from `before` started at 0). */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
