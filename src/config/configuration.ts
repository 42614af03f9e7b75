import { registerAs } from '@nestjs/config';
import { previousSecretKeys, validateEnvironment, type NodeEnv } from './environment.js';

export interface AppConfig {
  env: NodeEnv;
  port: number;
  host: string;
  /** Express's `trust proxy`: false, a hop count, or addresses/subnets */
  trustProxy: false | number | string;
  publicUrl: string;
  cookieSecure: boolean;
  runWorkerInWeb: boolean;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
}
export interface DatabaseConfig {
  /** the app's least-privilege login role */
  url: string;
  /** the owner role, for db:create and migrate; undefined in production unless given */
  ownerUrl?: string;
}
export interface QueueConfig {
  redisUrl: string;
  prefix: string;
}
export interface AuthConfig {
  /** the current key: everything new is signed, sealed and chained with it */
  secretKey: string;
  /** older keys, newest first (PREVIOUS_SECRET_KEYS): what was made with them is still read */
  previousSecretKeys: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** failures from one address that lock that address out of the account */
  maxFailures: number;
  /** failures across addresses that lock the account */
  accountMaxFailures: number;
  lockMinutes: number;
  rateLimitPerMinute: number;
  /** argon2id cost of a password hash */
  passwordHashing: { memoryCost: number; timeCost: number; parallelism: number };
}
export interface MailConfig {
  smtpUrl?: string;
  from: string;
}

export interface EvidenceConfig {
  /** absolute folder for evidence files; undefined = bytes in PostgreSQL */
  dir?: string;
  maxBytes: number;
}

export interface IncidentsConfig {
  preliminaryReportDays: number;
  countedSeverities: ('L0' | 'L1' | 'L2' | 'L3')[];
  residentReportsPerHour: number;
}

export interface FindingsConfig {
  /** days a finding has to be fixed in when no due date is given, by severity */
  dueDays: { high: number; medium: number; low: number };
}

export interface MamoriConfig {
  app: AppConfig;
  database: DatabaseConfig;
  queue: QueueConfig;
  auth: AuthConfig;
  mail: MailConfig;
  evidence: EvidenceConfig;
  incidents: IncidentsConfig;
  findings: FindingsConfig;
}

/** Reads and checks the environment once; every area below is a typed view of it. */
export function loadConfig(raw: Record<string, unknown> = process.env): MamoriConfig {
  const env = validateEnvironment(raw);
  return {
    app: {
      env: env.NODE_ENV,
      port: env.PORT,
      host: env.HOST,
      trustProxy: env.TRUST_PROXY === 'false' ? false : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
      publicUrl: env.PUBLIC_URL.replace(/\/$/, ''),
      cookieSecure: env.COOKIE_SECURE === 'true',
      runWorkerInWeb: env.RUN_WORKER_IN_WEB === 'true',
      logLevel: env.LOG_LEVEL,
    },
    database: { url: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL },
    queue: { redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX },
    auth: {
      secretKey: env.SECRET_KEY,
      previousSecretKeys: previousSecretKeys(env.PREVIOUS_SECRET_KEYS),
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      maxFailures: env.LOGIN_MAX_FAILURES,
      accountMaxFailures: env.LOGIN_ACCOUNT_MAX_FAILURES,
      lockMinutes: env.LOGIN_LOCK_MINUTES,
      rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      passwordHashing: { memoryCost: env.PASSWORD_HASH_MEMORY_KIB, timeCost: env.PASSWORD_HASH_TIME_COST, parallelism: env.PASSWORD_HASH_PARALLELISM },
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    evidence: { dir: env.EVIDENCE_DIR, maxBytes: env.EVIDENCE_MAX_BYTES },
    incidents: {
      preliminaryReportDays: env.PRELIMINARY_REPORT_DAYS,
      countedSeverities: env.INCIDENT_COUNTED_SEVERITIES.split(',') as IncidentsConfig['countedSeverities'],
      residentReportsPerHour: env.RESIDENT_REPORTS_PER_HOUR,
    },
    findings: { dueDays: dueDaysOf(env.FINDING_DUE_DAYS) },
  };
}

function dueDaysOf(value: string): FindingsConfig['dueDays'] {
  const [high, medium, low] = value.split(',').map(Number) as [number, number, number];
  return { high, medium, low };
}

export const appConfig = registerAs('app', () => loadConfig().app);
export const databaseConfig = registerAs('database', () => loadConfig().database);
export const queueConfig = registerAs('queue', () => loadConfig().queue);
export const authConfig = registerAs('auth', () => loadConfig().auth);
export const mailConfig = registerAs('mail', () => loadConfig().mail);
export const evidenceConfig = registerAs('evidence', () => loadConfig().evidence);

export const incidentsConfig = registerAs('incidents', () => loadConfig().incidents);

export const findingsConfig = registerAs('findings', () => loadConfig().findings);

export const configLoaders = [appConfig, databaseConfig, queueConfig, authConfig, mailConfig, evidenceConfig, incidentsConfig, findingsConfig];
