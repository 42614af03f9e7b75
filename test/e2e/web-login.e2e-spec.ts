import { randomBytes, randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import { AccessTokens } from '../../src/auth/access-tokens.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** `name=value` pairs of the Set-Cookie headers, and the headers themselves by cookie name. */
function setCookies(response: Response): Map<string, string> {
  const raw = response.headers['set-cookie'] as unknown as string[] | undefined;
  return new Map((raw ?? []).map((header) => [header.slice(0, header.indexOf('=')), header]));
}

const pair = (header: string | undefined): string => (header ?? '').split(';')[0];

function csrfField(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field in the page');
  return match[1];
}

describe('web sign-in (pages)', () => {
  let t: TestApp;
  let person: TestPerson;
  let csrfCookie: string;
  let csrf: string;

  beforeAll(async () => {
    t = await createTestApp();
    const organizationId = await testOrganization(t);
    const department = await createDepartment(t, organizationId);
    person = await createPerson(t, organizationId, { roles: ['staff'], departmentId: department.id });
  });
  afterAll(() => t.close());

  it('shows the sign-in form with a CSRF field and cookie', async () => {
    const response = await request(t.http).get('/login').set('Accept', 'text/html').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toMatch(/<html lang="ja">/);
    csrf = csrfField(response.text);
    const cookie = setCookies(response).get('mamori_csrf');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    csrfCookie = pair(cookie);
    expect(csrfCookie).toBe(`mamori_csrf=${csrf}`);
  });

  it('refuses a form without the CSRF token with 403', async () => {
    const response = await request(t.http)
      .post('/login')
      .set('Accept', 'text/html')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ email: person.email, password: person.password })
      .expect(403);
    expect(response.text).toContain('フォームの有効期限が切れました');
    expect(setCookies(response).has('mamori_at')).toBe(false);
  });

  it('refuses a token that does not match the cookie', async () => {
    await request(t.http)
      .post('/login')
      .set('Accept', 'text/html')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ _csrf: `${csrf.slice(0, -1)}x`, email: person.email, password: person.password })
      .expect(403);
  });

  it('answers a wrong password with the form again: 401, an alert, the e-mail kept', async () => {
    const response = await request(t.http)
      .post('/login')
      .set('Accept', 'text/html')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ _csrf: csrf, email: person.email, password: 'wrong-password', next: '/' })
      .expect(401);
    expect(response.text).toMatch(/role="alert"/);
    expect(response.text).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect(response.text).toContain(`value="${person.email}"`);
    expect(setCookies(response).has('mamori_at')).toBe(false);
  });

  it('answers a malformed form with the form again (400)', async () => {
    const response = await request(t.http)
      .post('/login')
      .set('Accept', 'text/html')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ _csrf: csrf, email: 'not-an-address', password: '' })
      .expect(400);
    expect(response.text).toMatch(/role="alert"/);
    expect(response.text).toContain('value="not-an-address"');
  });

  it('signs a member of staff in: 303 and httpOnly session cookies; the next page is only ever local', async () => {
    const response = await request(t.http)
      .post('/login')
      .set('Accept', 'text/html')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ _csrf: csrf, email: person.email, password: person.password, next: '//evil.example/steal' })
      .expect(303);
    expect(response.headers.location).toBe('/');
    const cookies = setCookies(response);
    expect(cookies.get('mamori_at')).toMatch(/HttpOnly/i);
    expect(cookies.get('mamori_at')).toMatch(/SameSite=Lax/i);
    expect(cookies.get('mamori_at')).toMatch(/Max-Age=900/i);
    expect(cookies.get('mamori_rt')).toMatch(/HttpOnly/i);
    expect(cookies.get('mamori_rt')).toMatch(/SameSite=Strict/i);

    const page = await request(t.http)
      .get('/')
      .set('Accept', 'text/html')
      .set('Cookie', [csrfCookie, pair(cookies.get('mamori_at'))].join('; '))
      .expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('未完了の研修・確認事項はありません');
    expect(page.text).toContain('試験 太郎');

    // with only the refresh cookie, the session is renewed on the way in
    const renewed = await request(t.http)
      .get('/')
      .set('Accept', 'text/html')
      .set('Cookie', [csrfCookie, pair(cookies.get('mamori_rt'))].join('; '))
      .expect(200);
    expect(setCookies(renewed).get('mamori_at')).toMatch(/^mamori_at=ey/);
    // an access cookie that no longer verifies (signed with a key rotated away since) is renewed too, not sent to sign in
    const oldKeyConfig = { get: () => ({ secretKey: randomBytes(32).toString('hex'), accessTokenTtlSeconds: 900 }) };
    const rotatedAway = new AccessTokens(oldKeyConfig as never).sign({ sub: person.staff.id, org: person.staff.organizationId, sid: randomUUID() });
    const afterRotation = await request(t.http)
      .get('/')
      .set('Accept', 'text/html')
      .set('Cookie', [csrfCookie, `mamori_at=${rotatedAway}`, pair(setCookies(renewed).get('mamori_rt'))].join('; '))
      .expect(200);
    expect(setCookies(afterRotation).get('mamori_at')).toMatch(/^mamori_at=ey/);
    // the used refresh token, presented again a minute later, is refused: both cookies cleared, the page asks to sign in
    await t.dataSource.query(`UPDATE refresh_tokens SET used_at = now() - interval '1 minute' WHERE used_at IS NOT NULL`);
    const reused = await request(t.http)
      .get('/staff')
      .set('Accept', 'text/html')
      .set('Cookie', [csrfCookie, pair(cookies.get('mamori_rt'))].join('; '))
      .expect(303);
    expect(reused.headers.location).toBe('/login?next=%2Fstaff');
    expect(setCookies(reused).get('mamori_rt')).toMatch(/^mamori_rt=;/);
  });

  it('sends people who are not signed in to the sign-in page', async () => {
    const response = await request(t.http).get('/audit-trail?page=2').set('Accept', 'text/html').expect(303);
    expect(response.headers.location).toBe('/login?next=%2Faudit-trail%3Fpage%3D2');
  });

  it('does not apply the page CSRF rule to the API', async () => {
    await request(t.http).post('/api/v1/auth/login').send({ email: person.email, password: person.password }).expect(200);
  });

  it('serves the stylesheet', async () => {
    const response = await request(t.http).get('/static/mamori.css').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/css/);
  });
});
