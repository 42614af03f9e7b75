import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../src/config/configuration.js';
import { createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Small leaks (issue 7, item 10): personal answers are not kept by caches, browsers' powerful
 * features are denied, the API's description is not public in production, and the server listens
 * on the loopback interface unless told otherwise.
 */
describe('security headers', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const org = await testOrganization(t);
    token = (await signIn(t, await createPerson(t, org))).accessToken;
  });
  afterAll(() => t.close());

  it('sends Cache-Control: no-store with the API JSON, problems and every page, signed in or not', async () => {
    const answers = [
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200),
      await request(t.http).get('/api/v1/me').expect(401),
      await request(t.http).get('/health'),
      await request(t.http).get('/').set('Accept', 'text/html').set('Cookie', `mamori_at=${token}`).expect(200),
      await request(t.http).get('/login').set('Accept', 'text/html').expect(200),
      await request(t.http).get('/password/forgot').set('Accept', 'text/html'),
      await request(t.http).get('/no-such-page').set('Accept', 'text/html').expect(404),
    ];
    for (const res of answers)
      expect({ url: res.request.url, cacheControl: res.headers['cache-control'] }).toEqual({ url: res.request.url, cacheControl: 'no-store' });
    // the stylesheet is the same for everyone and may be cached
    const css = await request(t.http).get('/static/mamori.css').expect(200);
    expect(css.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(css.headers['cache-control']).not.toContain('no-store');
  });

  it('denies powerful browser features (Permissions-Policy) on every response', async () => {
    for (const res of [
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`),
      await request(t.http).get('/login'),
      await request(t.http).get('/static/mamori.css'),
      await request(t.http).get('/api/docs-json'),
    ]) {
      const policy = res.headers['permissions-policy'] ?? '';
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(policy).toContain(`${feature}=()`);
    }
  });

  it('keeps the API description open outside production', async () => {
    const res = await request(t.http).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
  });

  it('listens on 127.0.0.1 when HOST is not set', () => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.HOST;
    expect(loadConfig(env).app.host).toBe('127.0.0.1');
    expect(loadConfig({ ...env, HOST: '0.0.0.0' }).app.host).toBe('0.0.0.0');
  });
});

describe('the API description in production', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    // a key of this run only (a published one may be refused in production)
    // production refuses the tests' cheap password hashing: its least cost
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        SECRET_KEY: randomBytes(30).toString('base64url'),
        COOKIE_SECURE: 'false',
        PASSWORD_HASH_MEMORY_KIB: '19456',
        PASSWORD_HASH_TIME_COST: '2',
      },
    });
    const org = await testOrganization(t);
    token = (await signIn(t, await createPerson(t, org))).accessToken;
  });
  afterAll(() => t.close());

  it('answers only to a signed-in person: 401 problem+json to an anonymous API client, the sign-in page to a browser', async () => {
    // Express matches routes whatever the case; the Swagger UI's init script carries the whole document
    for (const path of [
      '/api/docs-json',
      '/api/docs-yaml',
      '/api/docs',
      '/api/docs/',
      '/API/DOCS-JSON',
      '/Api/Docs-Yaml',
      '/api/docs/swagger-ui-init.js',
      '/API/docs/swagger-ui-init.js',
    ]) {
      const res = await request(t.http).get(path).set('Accept', 'application/json').expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const forged = await request(t.http).get('/api/docs-json').set('Authorization', 'Bearer not-a-token').expect(401);
    expect(forged.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    const browser = await request(t.http).get('/api/docs').set('Accept', 'text/html').expect(303);
    expect(browser.headers.location).toBe('/login?next=%2Fapi-docs');

    const document = await request(t.http).get('/api/docs-json').set('Authorization', `Bearer ${token}`).expect(200);
    expect(document.body.openapi).toMatch(/^3\./);
    // the /api-docs page frames the Swagger UI, which the browser loads with the pages' session cookie
    await request(t.http).get('/api/docs/').set('Accept', 'text/html').set('Cookie', `mamori_at=${token}`).expect(200);
  });
});
