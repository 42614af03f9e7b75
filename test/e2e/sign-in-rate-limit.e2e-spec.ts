import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AuthRateLimiter } from '../../src/auth/rate-limit.guard.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 7, defect 5: the rate limit is counted in Redis, so two web processes behind one proxy
 * allow an address the limit in all, not each.
 */
describe('auth rate limit across web processes', () => {
  const LIMIT = 4;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // two instances of the app sharing Redis (the same key prefix), as two processes of one deployment
    // behind a trusted proxy on loopback: a request without X-Forwarded-For comes from the loopback peer
    const env = { QUEUE_PREFIX: `mamori-test-${randomBytes(4).toString('hex')}`, AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'loopback' };
    a = await createTestApp({ env });
    b = await createTestApp({ env });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('lets an address make the limit of requests in all over both instances, then answers 429 with Retry-After on either', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 2 * LIMIT; i++) {
      const app = i % 2 === 0 ? a : b;
      const response = await request(app.http)
        .post('/api/v1/auth/login')
        .send({ email: `nobody-${i}@test.example`, password: 'x' });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, retryAfterSeconds: expect.any(Number) });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.filter((status) => status !== 429)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual(new Array(LIMIT).fill(429));
    // the same window covers the password routes, on both
    await request(a.http).post('/api/v1/auth/password/forgot').send({ email: 'nobody@test.example' }).expect(429);
    await request(b.http).post('/api/v1/auth/refresh').send({ refreshToken: '00000000-0000-4000-8000-000000000000.forged' }).expect(429);
  });

  it('shows the refusal of the password pages in Japanese at the top of the form', async () => {
    const page = await request(b.http).get('/password/forgot').set('Accept', 'text/html').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const refused = await request(b.http)
      .post('/password/forgot')
      .set('Accept', 'text/html')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, email: 'someone@test.example' })
      .expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.text).toMatch(/role="alert"/);
    expect(refused.text).toContain('しばらくお待ちください');
    expect(refused.text).toMatch(/\d+秒ほど待ってから、もう一度お試しください。/);
    expect(refused.text).toContain('value="someone@test.example"');
  });

  it('counts an IPv6 client per /64: a fresh address of the same /64 is over the limit too, another /64 is not', async () => {
    // a new name each time: the slow-down of one name from one address is not what is counted here
    const from = (address: string, app: TestApp) =>
      request(app.http)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', address)
        .send({ email: `nobody-${randomBytes(4).toString('hex')}@test.example`, password: 'x' });
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT + 1; i++) statuses.push((await from(`2001:db8:64:1::${i.toString(16)}`, i % 2 ? a : b)).status);
    expect(statuses).toEqual([...new Array<number>(LIMIT).fill(401), 429]);
    expect((await from('2001:db8:64:1:ffff:ffff:ffff:ffff', a)).status).toBe(429);
    expect((await from('2001:db8:64:2::1', b)).status).toBe(401);
  });

  it('still answers sign-in when Redis does not (fails open, never a 500)', async () => {
    const limiter = a.get(AuthRateLimiter);
    limiter.redis.disconnect();
    try {
      const response = await request(a.http).post('/api/v1/auth/login').send({ email: 'nobody@test.example', password: 'x' });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('INVALID_CREDENTIALS');
    } finally {
      await limiter.redis.connect().catch(() => undefined);
    }
  });
});
