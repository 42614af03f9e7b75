import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { createApiDocument } from '../../src/app.setup.js';
import { systemActor } from '../../src/common/actor.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Bearer = { Authorization: string };
type Problem = { code: string; errors?: { field: string; messages: string[] }[] };

/**
 * Input no route can use (issue 7, item 8): NUL characters and lone surrogates anywhere, JSON nested
 * 20,000 levels deep, dates with signed or five-digit years. Each is a 400 problem naming the field,
 * nothing is written, and nothing is logged with a stack (a client's mistake is not a server fault).
 */
describe('bad input is a 400 naming the field, never a 500', () => {
  let t: TestApp;
  let asOfficer: Bearer;
  let officerToken: string;
  let control: Control;
  const logged: string[] = [];
  const spies: { mockRestore(): void }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const org = await testOrganization(t);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    officerToken = (await signIn(t, await createPerson(t, org, { roles: ['security_officer', 'admin'] }))).accessToken;
    asOfficer = { Authorization: `Bearer ${officerToken}` };
    control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '1-01' });
    for (const level of ['error', 'warn'] as const) {
      spies.push(
        jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => {
          logged.push(`${level}: ${String(message)}`);
        }),
      );
    }
  });
  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await t.close();
  });
  afterEach(() => {
    // a client's mistake is not logged as an error, and never with a stack
    expect(logged.filter((line) => line.startsWith('error') || /\n\s+at /.test(line))).toEqual([]);
    logged.length = 0;
  });

  const counts = async (): Promise<Record<string, number>> => {
    const [row] = (await t.dataSource.query(
      `SELECT (SELECT count(*) FROM audit_trail)::int AS audit, (SELECT count(*) FROM controls WHERE updated_at > created_at)::int AS updated,
              (SELECT count(*) FROM control_evidence)::int AS evidence, (SELECT count(*) FROM staff)::int AS staff`,
    )) as Record<string, number>[];
    return row!;
  };
  const expectProblem = (res: request.Response, status: number, fields?: string[]): Problem => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text) as Problem;
    if (fields) expect((body.errors ?? []).map((e) => e.field)).toEqual(fields);
    return body;
  };

  it('refuses a NUL in a query string (400 naming q), also as a page', async () => {
    const before = await counts();
    const api = expectProblem(await request(t.http).get('/api/v1/controls?q=a%00b').set(asOfficer), 400, ['q']);
    expect(api).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'q', messages: ['must not contain a NUL character'] }] });
    // the page answers with its 400 error page, not a 500
    const page = await request(t.http).get('/controls?q=%00').set('Accept', 'text/html').set('Cookie', `mamori_at=${officerToken}`);
    expect(page.status).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<code>q</code>'); // the error page names the field
    expect(await counts()).toEqual(before);
  });

  it('refuses a NUL or a lone surrogate in a JSON body (400 naming the field) and writes nothing', async () => {
    const before = await counts();
    const nul = await request(t.http).patch(`/api/v1/controls/${control.id}`).set(asOfficer).send({ status: 'implemented', reason: 'ok\u0000' });
    expectProblem(nul, 400, ['reason']);
    const surrogate = await request(t.http)
      .patch(`/api/v1/controls/${control.id}`)
      .set(asOfficer)
      .set('Content-Type', 'application/json')
      .send('{"status":"implemented","reason":"\\ud800 alone"}');
    expect(expectProblem(surrogate, 400, ['reason']).errors![0]!.messages[0]).toMatch(/surrogate/);
    // sign-in, anonymous: the e-mail validator threw URIError (500) on a lone surrogate
    const login = await request(t.http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":"a\\udc00@x.jp","password":"x"}');
    expectProblem(login, 400, ['email']);
    // inside an array: the path names the element
    const roles = await request(t.http)
      .post('/api/v1/staff')
      .set(asOfficer)
      .send({ employeeNumber: 'E1', familyName: '試験', givenName: '花子', email: 'h@test.example', roles: ['staff', 'admin\u0000'] });
    expectProblem(roles, 400, ['roles[1]']);
    const key = await request(t.http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":"a@x.jp","password":"x","\\u0000":1}');
    expectProblem(key, 400, ['\\u0000']);
    expect(await counts()).toEqual(before);
  });

  it('refuses a NUL in a urlencoded form field', async () => {
    const res = await request(t.http).post('/api/v1/auth/login').type('form').send('email=a%40x.jp&password=p%00w');
    expectProblem(res, 400, ['password']);
  });

  it('refuses a NUL in a multipart field or file name (400 naming it) and stores no file', async () => {
    const before = await counts();
    const upload = () => request(t.http).post(`/api/v1/controls/${control.id}/evidence`).set(asOfficer);
    const note = await upload().field('note', 'a\u0000b').attach('file', Buffer.from('点検記録\n'), { filename: 'log.txt', contentType: 'text/plain' });
    expectProblem(note, 400, ['note']);
    // a raw NUL in a part header is refused by the parser itself; encoded (RFC 5987) it reaches the file name
    const boundary = 'mamori-boundary';
    const multipart = Buffer.from(
      [
        `--${boundary}`,
        `Content-Disposition: form-data; name="file"; filename*=UTF-8''log%00.txt`,
        'Content-Type: text/plain',
        '',
        '点検記録',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const name = await upload().set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(multipart);
    expectProblem(name, 400, ['file']);
    expect(await counts()).toEqual(before);
  });

  it('refuses JSON nested 20,000 levels deep on every JSON route, anonymous sign-in included (400, before any parsing recursion)', async () => {
    const deepArray = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const deepObject = `{"email":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const document = createApiDocument(t.app);
    const routes = Object.entries(document.paths).flatMap(([path, item]) =>
      (['post', 'put', 'patch'] as const)
        .filter((method) => item[method]?.requestBody && 'content' in item[method].requestBody && item[method].requestBody.content['application/json'])
        .map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, control.id) })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes).toContainEqual({ method: 'post', path: '/api/v1/auth/login' });
    const before = await counts();
    for (const { method, path } of routes) {
      for (const body of [deepArray, deepObject]) {
        const res = await request(t.http)[method](path).set(asOfficer).set('Content-Type', 'application/json').send(body);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(expectProblem(res, 400, ['body'])).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    }
    const anonymous = await request(t.http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send(deepObject);
    expectProblem(anonymous, 400, ['body']);
    // 64 levels are still read (and refused by the route's own validation)
    const shallow = `{"email":${'{"a":'.repeat(60)}1${'}'.repeat(60)},"password":"x"}`;
    expectProblem(await request(t.http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send(shallow), 400, ['email']);
    expect(await counts()).toEqual(before);
  });

  it('refuses dates with a signed, zero or five-digit year (400 naming the field)', async () => {
    for (const from of ['-2026-01-01', '0000-01-01', '+275760-01-01', '2026-02-30', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+25:00']) {
      const res = await request(t.http)
        .get(`/api/v1/audit-trail?from=${encodeURIComponent(from)}`)
        .set(asOfficer);
      expect({ from, status: res.status }).toEqual({ from, status: 400 });
      expectProblem(res, 400, ['from']);
    }
    for (const to of ['2026-04-01', '2026-04-01T00:00:00+09:00', '2026-04-01T00:00:00.123Z', '9999-12-31']) {
      await request(t.http)
        .get(`/api/v1/audit-trail?to=${encodeURIComponent(to)}`)
        .set(asOfficer)
        .expect(200);
    }
    const before = await counts();
    const check = await request(t.http).post(`/api/v1/controls/${control.id}/checks`).set(asOfficer).send({ nextCheckDue: '0000-01-01' });
    expectProblem(check, 400, ['nextCheckDue']);
    expect(await counts()).toEqual(before);
  });
});
