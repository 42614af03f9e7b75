import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../database/project-root.js';
import { loadConfig } from './configuration.js';
import { EnvironmentError, PUBLISHED_SECRET_KEYS, validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('gives working defaults for local development', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      // the app's own least-privilege role; the owner (for db:create and migrate) is the local superuser
      DATABASE_URL: 'postgres://mamori@127.0.0.1:5432/mamori',
      DATABASE_OWNER_URL: 'postgres://postgres@127.0.0.1:5432/mamori',
      REDIS_URL: 'redis://127.0.0.1:6379',
      RUN_WORKER_IN_WEB: 'true',
    });
    expect(env.SECRET_KEY.length).toBeGreaterThanOrEqual(32);
  });

  it('never lends the web process the owner role in production: DATABASE_OWNER_URL is only what is given', () => {
    const production = validateEnvironment({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40) });
    expect(production.DATABASE_OWNER_URL).toBeUndefined();
    expect(validateEnvironment({ DATABASE_URL: 'postgres://app:pw@db:5433/town' }).DATABASE_OWNER_URL).toBe('postgres://postgres@db:5433/town');
  });

  it('has no secret default outside development', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'test' })).toThrow(/SECRET_KEY/);
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(new EnvironmentError('Configuration error: SECRET_KEY is required (not set)'));
  });

  it('names the malformed variable in one line', () => {
    expect(() => validateEnvironment({ PORT: '99999' })).toThrow(/^Configuration error: PORT must not be greater than 65535 \(got "99999"\)$/);
    expect(() => validateEnvironment({ PORT: 'eighty' })).toThrow(/^Configuration error: PORT must be an integer number \(got "eighty"\)$/);
    expect(() => validateEnvironment({ DATABASE_URL: 'mysql://x' })).toThrow(/^Configuration error: DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', SECRET_KEY: 'short' })).toThrow(/SECRET_KEY .*\(got \(hidden\)\)/);
  });

  it('hashes passwords at production cost in production: the cheap test setting is refused there', () => {
    const production = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40) };
    expect(validateEnvironment(production)).toMatchObject({ PASSWORD_HASH_MEMORY_KIB: 65536, PASSWORD_HASH_TIME_COST: 3, PASSWORD_HASH_PARALLELISM: 4 });
    expect(() => validateEnvironment({ ...production, PASSWORD_HASH_MEMORY_KIB: '1024' })).toThrow(/PASSWORD_HASH_MEMORY_KIB must be at least 19456/);
    expect(() => validateEnvironment({ ...production, PASSWORD_HASH_TIME_COST: '1' })).toThrow(/PASSWORD_HASH_TIME_COST must be at least 2/);
    expect(validateEnvironment({ NODE_ENV: 'development', PASSWORD_HASH_MEMORY_KIB: '1024' }).PASSWORD_HASH_MEMORY_KIB).toBe(1024);
  });

  it('converts numbers and ignores unrelated variables', () => {
    expect(validateEnvironment({ PORT: '8080', HOME: '/root' }).PORT).toBe(8080);
  });

  it('reads PREVIOUS_SECRET_KEYS as a list of keys of at least 32 characters, never showing them', () => {
    const older = ['an-older-key-of-this-town-0123456789abcd', 'the-oldest-key-of-this-town-0123456789ab'];
    expect(loadConfig({ PREVIOUS_SECRET_KEYS: ` ${older[0]} , ${older[1]}` }).auth.previousSecretKeys).toEqual(older);
    expect(loadConfig({}).auth.previousSecretKeys).toEqual([]);
    expect(() => validateEnvironment({ PREVIOUS_SECRET_KEYS: `${older[0]},short` })).toThrow(
      new EnvironmentError('Configuration error: PREVIOUS_SECRET_KEYS must be a comma-separated list of keys of at least 32 characters each (got (hidden))'),
    );
  });
});

describe('production and the keys published in this repository', () => {
  /** made here, never written down (a key in the repository is a published one) */
  const OWN = randomBytes(24).toString('base64url');

  it('refuses to start with a published key as SECRET_KEY or among PREVIOUS_SECRET_KEYS, in one line that hides it', () => {
    for (const key of PUBLISHED_SECRET_KEYS) {
      expect(() => validateEnvironment({ NODE_ENV: 'production', SECRET_KEY: key })).toThrow(
        new EnvironmentError(
          "Configuration error: SECRET_KEY holds a key published in Mamori's repository (got (hidden)); make a secret one, e.g. openssl rand -base64 48",
        ),
      );
      expect(() => validateEnvironment({ NODE_ENV: 'production', SECRET_KEY: OWN, PREVIOUS_SECRET_KEYS: `${'b'.repeat(40)},${key}` })).toThrow(
        /^Configuration error: PREVIOUS_SECRET_KEYS holds a key published/,
      );
    }
    expect(validateEnvironment({ NODE_ENV: 'production', SECRET_KEY: OWN, PREVIOUS_SECRET_KEYS: 'b'.repeat(40) }).SECRET_KEY).toBe(OWN);
  });

  it('lets development and the tests run on them', () => {
    expect(validateEnvironment({}).SECRET_KEY).toBe(PUBLISHED_SECRET_KEYS[0]);
    for (const key of PUBLISHED_SECRET_KEYS) expect(validateEnvironment({ NODE_ENV: 'test', SECRET_KEY: key }).SECRET_KEY).toBe(key);
  });

  /** Files of the repository that may hold a key: sources, tests, compose files, scripts, docs. */
  function repositoryFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (['node_modules', 'dist', '.git', 'coverage'].includes(entry.name)) return [];
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return repositoryFiles(path);
      return /\.(ts|js|mjs|ya?ml|json|md|sh|env)$|^(run|Dockerfile)$/.test(entry.name) ? [path] : [];
    });
  }

  it('lists every key written in the repository (a key added to a file must be added to the list)', () => {
    const root = projectRoot();
    const found: string[] = [];
    for (const file of repositoryFiles(root)) {
      const text = readFileSync(file, 'utf8');
      // SECRET_KEY: 'x', SECRET_KEY=x, secretKey = 'x', TEST_SECRET_KEY = 'x', SECRET_KEY ?? 'x'
      for (const match of text.matchAll(/(?:SECRET_KEYS?|secretKey)\b[^'"`\n]{0,12}?(?:[:=]|\?\?)\s*['"`]?([A-Za-z0-9+/_.-]{32,})/g))
        found.push(`${relative(root, file)}: ${match[1]}`);
      // long literal repeats ('x'.repeat(40)) in key positions
      for (const match of text.matchAll(/secretKey[^\n]{0,20}'(.)'\.repeat\((\d+)\)/g))
        found.push(`${relative(root, file)}: ${match[1]!.repeat(Number(match[2]))}`);
    }
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(found.filter((entry) => !PUBLISHED_SECRET_KEYS.includes(entry.slice(entry.indexOf(': ') + 2)))).toEqual([]);
  });
});
