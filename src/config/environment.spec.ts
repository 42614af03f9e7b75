import { EnvironmentError, validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('gives working defaults for local development', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mamori',
      REDIS_URL: 'redis://127.0.0.1:6379',
      RUN_WORKER_IN_WEB: 'true',
    });
    expect(env.SECRET_KEY.length).toBeGreaterThanOrEqual(32);
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

  it('converts numbers and ignores unrelated variables', () => {
    expect(validateEnvironment({ PORT: '8080', HOME: '/root' }).PORT).toBe(8080);
  });
});
