import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bull';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { QUEUES } from '../../src/outbox/outbox-topics.js';
import { createTestDatabase } from './databases.js';
import { recordMails } from './mail.js';
import { PermissionAgreement } from './permission-agreement.js';
import { ResponseContract } from './response-contract.js';

export interface TestApp {
  app: NestExpressApplication;
  http: Server;
  /** the app's own connection, as the app's least-privilege role */
  dataSource: DataSource;
  /** this file's database as its owner (a superuser): for a test that tampers with what the app cannot touch */
  databaseUrl: string;
  /** this file's database as the app's least-privilege role */
  appDatabaseUrl: string;
  /** base URL when started with `listen: true` */
  baseUrl: string;
  /** the Redis it uses, and its key prefix there (another app started with `sharing` uses the same) */
  redisUrl: string;
  queuePrefix: string;
  get<T>(token: abstract new (...args: never[]) => T): T;
  /** every response of a documented operation is checked against the OpenAPI document; close() fails on a violation */
  contract: ResponseContract;
  close(): Promise<void>;
}

export const TEST_SECRET_KEY = 'mamori-test-secret-key-0123456789abcdef';

/**
 * The real application on a database and a Redis key prefix of this test file's own. Environment
 * overrides apply to this app only (configuration is read when the app is built).
 *
 * `sharing`: another process of the same deployment, on the first app's database and Redis key
 * prefix (e.g. a worker started again after one was killed); closing it closes the app only, the
 * first app's `close()` drops the database and empties the queues.
 */
export async function createTestApp(options: { listen?: boolean; runJobs?: boolean; env?: Record<string, string>; sharing?: TestApp } = {}): Promise<TestApp> {
  const shared = options.sharing;
  const database = shared ? { url: shared.appDatabaseUrl, ownerUrl: shared.databaseUrl, drop: () => Promise.resolve() } : await createTestDatabase();
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATABASE_OWNER_URL: database.ownerUrl,
    REDIS_URL: shared?.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: shared?.queuePrefix ?? `mamori-test-${randomBytes(4).toString('hex')}`,
    SECRET_KEY: TEST_SECRET_KEY,
    LOG_LEVEL: 'error',
    PUBLIC_URL: 'http://localhost:3000',
    // every test signs in from 127.0.0.1; the limit itself is tested with a low value
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    // a password hash costs ~1 ms instead of ~350 ms (the sign-in tests compare like with like: the dummy hash costs the same)
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_TIME_COST: '1',
    PASSWORD_HASH_PARALLELISM: '1',
    ...options.env,
  });
  const { AppModule } = await import('../../src/app.module.js');
  const { configureApp, createApiDocument } = await import('../../src/app.setup.js');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ runJobs: options.runJobs ?? false }), {
    bodyParser: false,
    logger: ['error'],
    abortOnError: false,
  });
  configureApp(app);
  const contract = new ResponseContract(createApiDocument(app));
  app.use(contract.middleware());
  const agreement = new PermissionAgreement(app.get(Reflector));
  app.useGlobalInterceptors(agreement);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  const http = app.getHttpServer() as Server;
  const port = options.listen ? (http.address() as AddressInfo).port : 0;
  const t: TestApp = {
    app,
    http,
    dataSource: app.get(DataSource),
    databaseUrl: database.ownerUrl,
    appDatabaseUrl: database.url,
    baseUrl: `http://127.0.0.1:${port}`,
    redisUrl: process.env.REDIS_URL!,
    queuePrefix: process.env.QUEUE_PREFIX!,
    get: (token) => app.get(token),
    contract,
    close: async () => {
      for (const name of shared ? [] : Object.values(QUEUES)) {
        const queue = app.get<Queue>(getQueueToken(name));
        await queue.obliterate({ force: true }).catch(() => undefined);
      }
      await app.close();
      await database.drop();
      const failures = [
        ...(agreement.disagreements.length ? [`@May and assertMay disagree:\n${[...new Set(agreement.disagreements)].join('\n')}`] : []),
        ...(contract.violations.length ? [`Responses differ from the OpenAPI document:\n${[...new Set(contract.violations)].join('\n')}`] : []),
      ];
      if (failures.length) throw new Error(failures.join('\n\n'));
    },
  };
  recordMails(t);
  return t;
}
