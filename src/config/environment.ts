import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsBooleanString, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * Every environment variable Mamori reads, with its rule. Defaults suit a developer's machine;
 * secrets have defaults only in development and test (see `applyDefaults`).
 */
export class Environment {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  /** Address the web server listens on: loopback unless told otherwise (containers set 0.0.0.0). */
  @Matches(/^[0-9a-fA-F.:]+$|^localhost$/, { message: 'must be an IP address (e.g. 127.0.0.1 or 0.0.0.0)' })
  HOST: string = '127.0.0.1';

  /**
   * Which peers' X-Forwarded-For is believed: `false` (default: nobody, the socket's address is the
   * client's), a hop count, or a comma-separated list of addresses/subnets or `loopback`,
   * `linklocal`, `uniquelocal` (Express's `trust proxy`). Set it only behind a proxy you run.
   */
  @Matches(/^(false|\d{1,2}|((loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*)?)+)$/, {
    message: 'must be false, a hop count, or a list of addresses/subnets (e.g. loopback or 10.0.0.0/8)',
  })
  TRUST_PROXY: string = 'false';

  /**
   * The application's own login role: a member of `mamori_app` with only the privileges the app needs
   * (no superuser, no DDL, no TRUNCATE, INSERT/SELECT only on the audit trail). See SECURITY.md.
   */
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://mamori@127.0.0.1:5432/mamori';

  /**
   * The owner role, for `db:create` and `migrate` only (never needed by the web or worker process in
   * production). In development and test it defaults to DATABASE_URL's database as `postgres`.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// URL' })
  DATABASE_OWNER_URL?: string;

  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Prefix of bull's Redis keys; tests give each file its own. */
  @IsString()
  @Matches(/^[a-z0-9:_-]+$/i)
  QUEUE_PREFIX: string = 'mamori';

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  SECRET_KEY!: string;

  /**
   * Keys used before SECRET_KEY, comma-separated, newest first: audit-trail rows, sealed TOTP secrets
   * and access tokens made under them are still read (nothing new is made with them).
   */
  @IsOptional()
  @Matches(/^\s*[^,\s][^,]{30,}[^,\s]\s*(,\s*[^,\s][^,]{30,}[^,\s]\s*)*$/, {
    message: 'must be a comma-separated list of keys of at least 32 characters each',
  })
  PREVIOUS_SECRET_KEYS?: string;

  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS: number = 900;

  @IsInt()
  @Min(3600)
  REFRESH_TOKEN_TTL_SECONDS: number = 14 * 24 * 3600;

  /** consecutive failed sign-ins from one address after which that address is locked out of that account */
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES: number = 5;

  /** consecutive failed sign-ins across all addresses after which the account itself is locked (and its holder told by e-mail) */
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_ACCOUNT_MAX_FAILURES: number = 20;

  @IsInt()
  @Min(1)
  LOGIN_LOCK_MINUTES: number = 15;

  /** requests a minute one client address may make to sign-in, refresh and password endpoints */
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE: number = 30;

  /** argon2id memory per password hash, KiB (default 64 MiB; production refuses less than OWASP's 19 MiB) */
  @IsInt()
  @Min(1024)
  @Max(4 * 1024 * 1024)
  PASSWORD_HASH_MEMORY_KIB: number = 65536;

  /** argon2id passes per password hash (default 3; production refuses fewer than 2) */
  @IsInt()
  @Min(1)
  @Max(20)
  PASSWORD_HASH_TIME_COST: number = 3;

  /** argon2id lanes per password hash (default 4) */
  @IsInt()
  @Min(1)
  @Max(16)
  PASSWORD_HASH_PARALLELISM: number = 4;

  /** Run the bull processors and the outbox relay inside the web process. */
  @IsBooleanString()
  RUN_WORKER_IN_WEB: string = 'false';

  /** SMTP server for e-mail (the mail catcher in development); empty = log mails as JSON. */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'must be an smtp:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM: string = 'Mamori <mamori@localhost>';

  /** Public address of the web pages, used in e-mails. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s):// URL' })
  PUBLIC_URL: string = 'http://localhost:3000';

  /** Cookies get the Secure flag (on behind HTTPS). */
  @IsBooleanString()
  COOKIE_SECURE: string = 'false';

  @IsIn(['error', 'warn', 'log', 'debug'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' = 'log';

  /** Folder for evidence files, stored under their SHA-256; empty = store the bytes in PostgreSQL. */
  @IsOptional()
  @Matches(/^(\/|[A-Za-z]:[\\/])/, { message: 'must be an absolute folder path' })
  EVIDENCE_DIR?: string;

  /** Largest evidence file accepted, in bytes (default 10 MiB). */
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  EVIDENCE_MAX_BYTES: number = 10 * 1024 * 1024;

  /** Days from detection within which the preliminary report to the Personal Information Protection Commission is due. */
  @IsInt()
  @Min(1)
  @Max(30)
  PRELIMINARY_REPORT_DAYS: number = 3;

  /** The severities the "security incidents" indicator counts (comma-separated). */
  @Matches(/^(L[0-3])(,L[0-3])*$/, { message: 'must be severities such as L1,L2,L3' })
  INCIDENT_COUNTED_SEVERITIES: string = 'L1,L2,L3';

  /** Reports the public page accepts from one client address per hour. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  RESIDENT_REPORTS_PER_HOUR: number = 5;

  /** Days a finding has to be fixed in, by severity, when its due date is not given: high,medium,low (default 30,60,90). */
  @Matches(/^\d{1,3},\d{1,3},\d{1,3}$/, { message: 'must be three numbers of days, high,medium,low, such as 30,60,90' })
  FINDING_DUE_DAYS: string = '30,60,90';
}

const DEVELOPMENT_SECRET = 'mamori-development-secret-do-not-use-in-production';

/**
 * Every key written in this repository (the development default, docker-compose.yml, the tests):
 * anyone can read them, so production refuses to start with one as SECRET_KEY or PREVIOUS_SECRET_KEYS.
 * A key added to the repository belongs here (environment.spec.ts checks the repository for literals).
 */
export const PUBLISHED_SECRET_KEYS: readonly string[] = [
  DEVELOPMENT_SECRET,
  'compose-demo-secret-change-me-0123456789', // docker-compose.yml
  'mamori-test-secret-key-0123456789abcdef', // test/support/test-app.ts
  'mamori-test-template-only-0123456789abcdef', // test/support/databases.ts
  'a-test-secret-key-that-is-long-enough-0123', // src/auth/access-tokens.spec.ts
  'x'.repeat(40), // src/auth/totp.service.spec.ts
];

/** The keys of PREVIOUS_SECRET_KEYS, in order (none when unset). */
export function previousSecretKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
}

function applyDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const env = { ...raw };
  const nodeEnv = (env.NODE_ENV as string | undefined) ?? 'development';
  if (env.SECRET_KEY === undefined && nodeEnv === 'development') env.SECRET_KEY = DEVELOPMENT_SECRET;
  if ((env.DATABASE_OWNER_URL === undefined || env.DATABASE_OWNER_URL === '') && nodeEnv !== 'production') {
    env.DATABASE_OWNER_URL = developmentOwnerUrl((env.DATABASE_URL as string | undefined) || new Environment().DATABASE_URL);
  }
  if (env.RUN_WORKER_IN_WEB === undefined) env.RUN_WORKER_IN_WEB = nodeEnv === 'development' ? 'true' : 'false';
  if (env.COOKIE_SECURE === undefined) env.COOKIE_SECURE = nodeEnv === 'production' ? 'true' : 'false';
  for (const key of Object.keys(env)) if (env[key] === '') delete env[key];
  return env;
}

/** DATABASE_URL's server and database as the local superuser `postgres` (development and test only). */
function developmentOwnerUrl(databaseUrl: string): string | undefined {
  try {
    const url = new URL(databaseUrl);
    url.username = 'postgres';
    url.password = '';
    return url.toString();
  } catch {
    return undefined; // DATABASE_URL's own check names the problem
  }
}

/** Thrown with one line naming the variable, so start-up can print it and stop. */
export class EnvironmentError extends Error {}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = new Set(Object.keys(new Environment()).concat(['SECRET_KEY', 'PREVIOUS_SECRET_KEYS', 'SMTP_URL', 'EVIDENCE_DIR', 'DATABASE_OWNER_URL']));
  const relevant = Object.fromEntries(Object.entries(applyDefaults(raw)).filter(([k]) => known.has(k)));
  const env = plainToInstance(Environment, relevant, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const given = raw[first.property];
    if (given === undefined || given === '') throw new EnvironmentError(`Configuration error: ${first.property} is required (not set)`);
    const value = SECRET_VARIABLES.has(first.property) ? 'got (hidden)' : `got ${JSON.stringify(given)}`;
    // class-validator lists a property's failed rules innermost decorator first: the last is the type check
    const rule = Object.values(first.constraints ?? {}).at(-1) ?? 'is invalid';
    throw new EnvironmentError(`Configuration error: ${first.property} ${rule.replace(`${first.property} `, '')} (${value})`);
  }
  if (env.NODE_ENV === 'production') {
    refusePublishedKeys(env);
    refuseWeakPasswordHashing(env);
  }
  return env;
}

/** Production hashes passwords at least as hard as OWASP's argon2id minimum (19 MiB, 2 passes); the tests run cheaper. */
function refuseWeakPasswordHashing(env: Environment): void {
  if (env.PASSWORD_HASH_MEMORY_KIB < 19456)
    throw new EnvironmentError(`Configuration error: PASSWORD_HASH_MEMORY_KIB must be at least 19456 in production (got ${env.PASSWORD_HASH_MEMORY_KIB})`);
  if (env.PASSWORD_HASH_TIME_COST < 2)
    throw new EnvironmentError(`Configuration error: PASSWORD_HASH_TIME_COST must be at least 2 in production (got ${env.PASSWORD_HASH_TIME_COST})`);
}

const SECRET_VARIABLES = new Set(['SECRET_KEY', 'PREVIOUS_SECRET_KEYS']);

/** Production never runs on a key anyone can read in this repository (it would let them forge tokens and audit rows). */
function refusePublishedKeys(env: Environment): void {
  const published = new Set(PUBLISHED_SECRET_KEYS);
  const [variable] = [
    ...(published.has(env.SECRET_KEY) ? ['SECRET_KEY'] : []),
    ...(previousSecretKeys(env.PREVIOUS_SECRET_KEYS).some((key) => published.has(key)) ? ['PREVIOUS_SECRET_KEYS'] : []),
  ];
  if (variable)
    throw new EnvironmentError(
      `Configuration error: ${variable} holds a key published in Mamori's repository (got (hidden)); make a secret one, e.g. openssl rand -base64 48`,
    );
}
