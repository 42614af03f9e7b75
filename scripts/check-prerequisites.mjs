// Before the tests: each prerequisite answers, or one line says what to install. Nothing is skipped silently.
import { existsSync } from 'node:fs';
import net from 'node:net';

const [major, minor] = process.versions.node.split('.').map(Number);
const problems = [];
if (major < 20 || (major === 20 && minor < 19)) problems.push(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or later`);

function reachable(url, fallbackPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || fallbackPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

const database = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
if (!(await reachable(database, 5432))) problems.push(`PostgreSQL is not answering at ${database}: install and start PostgreSQL (apt-get install postgresql)`);
if (!(await reachable(redis, 6379))) problems.push(`Redis is not answering at ${redis}: install and start Redis (apt-get install redis-server)`);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) problems.push(`Chromium is missing at ${chromium} (browser tests): apt-get install chromium`);

if (problems.length) {
  for (const problem of problems) console.error(`prerequisite missing: ${problem}`);
  process.exit(1);
}
