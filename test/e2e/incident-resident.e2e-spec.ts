import request from 'supertest';
import { fiscalYearOf } from '../../src/common/dates.js';
import { createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 10: residents' reports (no account): a plain acknowledgement number, never the internal
 * reference; a retried or double-clicked submission makes one report; a rate limit per client
 * address (IPv6 per /64); the public page with its CSRF token, one-time form token and
 * post/redirect/get; the CSIRT sees the report with the resident's contact details.
 */
describe('incidents: residents’ reports from the public page', () => {
  const LIMIT = 3;
  let t: TestApp;
  let org: string;
  let csirt: TestPerson;
  let staff: TestPerson;
  const bearer = new Map<TestPerson, string>();
  const fy = fiscalYearOf(new Date());
  let addresses = 0;
  /** a fresh client address for each test (behind the trusted loopback proxy) */
  const freshAddress = () => `198.51.100.${++addresses}`;

  const submit = (address: string, body: object = {}, key?: string) => {
    const r = request(t.http).post('/api/v1/public/incident-reports').set('X-Forwarded-For', address);
    if (key) r.set('Idempotency-Key', key);
    return r.send({ title: 'ホームページが改ざんされている', description: 'トップページに見知らぬ英語の文章が表示されています。', ...body });
  };
  const count = async (title: string) =>
    ((await t.dataSource.query(`SELECT count(*)::int AS n FROM incidents WHERE organization_id = $1 AND title = $2`, [org, title])) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    // a proxy on loopback is trusted: X-Forwarded-For names the client
    t = await createTestApp({ env: { RESIDENT_REPORTS_PER_HOUR: String(LIMIT), TRUST_PROXY: 'loopback' } });
    org = await testOrganization(t, 'resident-town');
    csirt = await createPerson(t, org, { roles: ['csirt'] });
    staff = await createPerson(t, org, { roles: ['staff'] });
    for (const person of [csirt, staff]) bearer.set(person, (await signIn(t, person)).accessToken);
  });
  afterAll(() => t.close());

  it('answers 201 with an acknowledgement number of its own series and the time, and nothing of the internal reference', async () => {
    const response = await submit(freshAddress(), { title: '受付番号の確認', name: '町民 花子', email: 'hanako@example.jp', phone: '0120-000-000' }).expect(
      201,
    );
    expect(Object.keys(response.body).sort()).toEqual(['acknowledgementNumber', 'receivedAt']);
    expect(response.body.acknowledgementNumber).toBe(`RCV-${fy}-0001`);
    expect(Date.now() - new Date(response.body.receivedAt as string).getTime()).toBeLessThan(60_000);
    const [incident] = (await t.dataSource.query(`SELECT id, reference, source, resident_contact FROM incidents WHERE organization_id = $1 AND title = $2`, [
      org,
      '受付番号の確認',
    ])) as { id: string; reference: string; source: string; resident_contact: object }[];
    expect(incident!.reference).toMatch(/^INC-/);
    expect(response.text).not.toContain(incident!.reference);
    expect(response.text).not.toContain(incident!.id);
    expect(incident!.source).toBe('resident');

    // the CSIRT sees it on the board like any other, with the contact details and the number on the timeline
    const seen = await request(t.http)
      .get(`/api/v1/incidents/${incident!.id}`)
      .set('Authorization', `Bearer ${bearer.get(csirt)}`)
      .expect(200);
    expect(seen.body).toMatchObject({
      source: 'resident',
      status: 'reported',
      residentContact: { name: '町民 花子', email: 'hanako@example.jp', phone: '0120-000-000' },
    });
    const board = await request(t.http)
      .get('/api/v1/incidents?status=reported&pageSize=200')
      .set('Authorization', `Bearer ${bearer.get(csirt)}`)
      .expect(200);
    expect(board.body.items.map((i: { id: string }) => i.id)).toContain(incident!.id);
    const timeline = await request(t.http)
      .get(`/api/v1/incidents/${incident!.id}/timeline`)
      .set('Authorization', `Bearer ${bearer.get(csirt)}`)
      .expect(200);
    expect(timeline.body.items.some((e: { data: { acknowledgementNumber?: string } }) => e.data.acknowledgementNumber === `RCV-${fy}-0001`)).toBe(true);
    // a member of staff does not
    await request(t.http)
      .get(`/api/v1/incidents/${incident!.id}`)
      .set('Authorization', `Bearer ${bearer.get(staff)}`)
      .expect(404);

    // a staff report between takes an INC number, not an RCV one: the resident series stays gapless
    await request(t.http)
      .post('/api/v1/incidents')
      .set('Authorization', `Bearer ${bearer.get(staff)}`)
      .send({ title: '職員の報告', description: '誤送信' })
      .expect(201);
    expect((await submit(freshAddress(), { title: '二件目' }).expect(201)).body.acknowledgementNumber).toBe(`RCV-${fy}-0002`);
  });

  it('returns the first acknowledgement to a retry with the same Idempotency-Key (200, not counted against the limit); another address with that key makes its own', async () => {
    const address = freshAddress();
    const title = '再送の確認';
    const first = await submit(address, { title }, 'resident-key-1').expect(201);
    for (let i = 0; i < LIMIT + 1; i++) {
      const again = await submit(address, { title }, 'resident-key-1').expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(await count(title)).toBe(1);
    // the key with another body is refused; a bad key names the header
    expect((await submit(address, { title: '別の内容' }, 'resident-key-1').expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const invalid = await submit(address, { title }, 'a key with spaces').expect(400);
    expect(invalid.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', errors: [{ field: 'Idempotency-Key' }] });
    // nobody elsewhere can replay the key to read the number
    const elsewhere = await submit(freshAddress(), { title }, 'resident-key-1').expect(201);
    expect(elsewhere.body.acknowledgementNumber).not.toBe(first.body.acknowledgementNumber);
    expect(await count(title)).toBe(2);
  });

  it('refuses, after the limit from one address, with 429 problem+json and Retry-After, while another address still reports', async () => {
    const address = freshAddress();
    for (let i = 0; i < LIMIT; i++) await submit(address, { title: `上限 ${i}` }).expect(201);
    const refused = await submit(address, { title: '上限超え' }).expect(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'RESIDENT_REPORT_RATE_LIMITED', status: 429, retryAfterSeconds: expect.any(Number) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await count('上限超え')).toBe(0);
    await submit(freshAddress(), { title: '別の接続元' }).expect(201);
  });

  it('counts an IPv6 client per /64: another address of the same /64 is over the limit too, another /64 is not', async () => {
    for (let i = 1; i <= LIMIT; i++) await submit(`2001:db8:10:1::${i}`).expect(201);
    await submit('2001:db8:10:1:ffff:ffff:ffff:ffff').expect(429);
    await submit('2001:db8:10:2::1').expect(201);
  });

  it('refuses a report with a field wrong or an unknown organisation, naming the field', async () => {
    const address = freshAddress();
    const wrong = await submit(address, { title: '', email: 'not-an-address' }).expect(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'title']);
    const unknown = await submit(address, { organization: 'no-such-town' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'RESIDENT_REPORT_ORGANIZATION_UNKNOWN', errors: [{ field: 'organization' }] });
    expect((await submit(address, { organization: 'resident-town', title: '団体を指定' }).expect(201)).body.acknowledgementNumber).toMatch(/^RCV-/);
  });

  describe('the public page', () => {
    /** a browser without an account: the page, its CSRF cookie, its form's tokens */
    const open = async (address: string, path = '/report') => {
      const page = await request(t.http).get(path).set({ Accept: 'text/html', 'X-Forwarded-For': address }).expect(200);
      const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const formToken = /name="formToken" value="([^"]+)"/.exec(page.text)![1]!;
      return { page, cookie, csrf, formToken };
    };
    const send = (address: string, cookie: string, form: Record<string, string>) =>
      request(t.http).post('/report').set({ Accept: 'text/html', Cookie: cookie, 'X-Forwarded-For': address }).type('form').send(form);
    const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

    it('shows the form without signing in, in Japanese (English on request), no-store', async () => {
      const { page } = await open(freshAddress());
      expect(page.headers['cache-control']).toContain('no-store');
      expect(page.text).toContain('<html lang="ja">');
      expect(words(page.text)).toContain('情報セキュリティに関する通報');
      expect(words(page.text)).toContain('テスト町');
      expect(page.text).toMatch(/<input id="email" name="email" type="email" autocomplete="email"/);
      const english = await request(t.http).get('/report?lang=en').set('Accept', 'text/html').expect(200);
      expect(english.text).toContain('<html lang="en">');
      expect(words(english.text)).toContain('Report an information security concern');
    });

    it('sends the report, redirects to the thank-you page with the acknowledgement number (PRG); a double-click makes one report', async () => {
      const address = freshAddress();
      const { cookie, csrf, formToken } = await open(address);
      const form = { _csrf: csrf, formToken, title: 'ページからの通報', description: '職員を名乗るメールが届きました。', name: '', email: '', phone: '' };
      const [a, b] = await Promise.all([send(address, cookie, form), send(address, cookie, form)]);
      for (const sent of [a, b]) {
        expect(sent.status).toBe(303);
        expect(sent.headers.location).toBe('/report/received');
      }
      expect(await count('ページからの通報')).toBe(1);
      const receipt = (a.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mamori_receipt='))!;
      expect(receipt).toMatch(/HttpOnly/i);
      const thanks = await request(t.http)
        .get('/report/received')
        .set({ Accept: 'text/html', Cookie: `${cookie}; ${receipt.split(';')[0]}` })
        .expect(200);
      const number = /RCV-\d{4}-\d{4}/.exec(thanks.text)?.[0];
      expect(number).toBeDefined();
      expect(thanks.text).not.toMatch(/INC-\d{4}-\d{4}/);
      expect(words(thanks.text)).toContain('受付番号');
      // reloading shows it again (no second report); the same number in English
      const english = await request(t.http)
        .get('/report/received?lang=en')
        .set({ Accept: 'text/html', Cookie: `${cookie}; ${receipt.split(';')[0]}` })
        .expect(200);
      expect(english.text).toContain(number!);
      expect(words(english.text)).toContain('Acknowledgement number');
      expect(await count('ページからの通報')).toBe(1);
      const [{ contact }] = (await t.dataSource.query(`SELECT resident_contact AS contact FROM incidents WHERE title = 'ページからの通報'`)) as {
        contact: object;
      }[];
      expect(contact).toEqual({});
      // without the receipt, the thank-you page leads back to the form
      await request(t.http).get('/report/received').set('Accept', 'text/html').expect(303).expect('Location', '/report');
    });

    it('keeps the organisation of the page on the thank-you page, so that another report goes to the same one', async () => {
      const address = freshAddress();
      const { cookie, csrf, formToken, page } = await open(address, '/report?organization=resident-town');
      expect(page.text).toContain('name="organization" value="resident-town"');
      const sent = await send(address, cookie, {
        _csrf: csrf,
        formToken,
        organization: 'resident-town',
        title: '町の通報',
        description: '不審なメール',
      }).expect(303);
      expect(sent.headers.location).toBe('/report/received?organization=resident-town');
      const receipt = (sent.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mamori_receipt='))!.split(';')[0];
      const thanks = await request(t.http)
        .get(sent.headers.location)
        .set({ Accept: 'text/html', Cookie: `${cookie}; ${receipt}` })
        .expect(200);
      expect(thanks.text).toContain('href="/report?organization&#x3D;resident-town"');
      await request(t.http)
        .get('/report/received?organization=resident-town')
        .set('Accept', 'text/html')
        .expect(303)
        .expect('Location', '/report?organization=resident-town');
    });

    it('says in words that an organisation in the address is unknown', async () => {
      const unknown = await request(t.http).get('/report?organization=nope').set('Accept', 'text/html').expect(400);
      expect(words(unknown.text)).toContain('通報先の団体が見つかりません');
      expect(words(unknown.text)).toContain('のあとが正しいか確認してください');
    });

    it('refuses a form without the CSRF token', async () => {
      const address = freshAddress();
      const { cookie, formToken } = await open(address);
      await send(address, cookie, { formToken, title: 'CSRFなし', description: 'x' }).expect(403);
      expect(await count('CSRFなし')).toBe(0);
    });

    it('shows a refused form again with the error summary and what was typed; the limit with how long to wait and Retry-After', async () => {
      const address = freshAddress();
      const { cookie, csrf, formToken } = await open(address);
      const refused = await send(address, cookie, { _csrf: csrf, formToken, title: '', description: '内容だけ', email: 'x@', name: '', phone: '' }).expect(400);
      expect(refused.text).toMatch(/role="alert"/);
      expect(refused.text).toContain('href="#title"');
      expect(refused.text).toContain('href="#email"');
      expect(refused.text).toContain('内容だけ');
      expect(refused.text).toContain(`value="${formToken}"`);
      expect(refused.text).toContain('エラー：');

      for (let i = 0; i < LIMIT; i++) {
        const again = await open(address);
        await send(address, cookie, { _csrf: csrf, formToken: again.formToken, title: `ページ上限 ${i}`, description: 'x' }).expect(303);
      }
      const limited = await send(address, cookie, { _csrf: csrf, formToken, title: 'ページ上限超え', description: 'まだ書いた内容' }).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(words(limited.text)).toContain('しばらくお待ちください');
      expect(words(limited.text)).toMatch(/\d+分ほど待ってから/);
      expect(limited.text).toContain('まだ書いた内容');
      expect(await count('ページ上限超え')).toBe(0);
    });
  });
});
