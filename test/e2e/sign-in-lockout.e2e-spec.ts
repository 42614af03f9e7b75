import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { SignInFailure } from '../../src/auth/sign-in-failure.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, testOrganization } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 7, defect 5: failures are counted per (sign-in name, client address) and per account; from
 * the third failure of a pair each attempt must wait, the fifth locks that address out of the
 * account, and only many failures across addresses lock the account (and tell its holder).
 */
describe('sign-in lock-out', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    // other addresses are simulated through a trusted proxy (the test client is the loopback peer)
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback', LOGIN_ACCOUNT_MAX_FAILURES: '8' } });
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  const login = (from: string, body: object) => request(t.http).post('/api/v1/auth/login').set('X-Forwarded-For', from).send(body);
  /** the wait after the last failure is over: moves the pair's last failure a minute back */
  const waitOver = (from: string) =>
    t.dataSource.query(`UPDATE sign_in_failures SET last_failed_at = last_failed_at - interval '1 minute' WHERE client_address = $1::inet`, [from]);
  const lockMails = async (email: string) => (await mailsTo(t, email)).filter((mail) => mail.subject.includes('ロック'));
  /** the last failure was just now (a slow machine may take a second between two requests) */
  const justFailed = (from: string) => t.dataSource.query(`UPDATE sign_in_failures SET last_failed_at = now() WHERE client_address = $1::inet`, [from]);
  const reasons = async (email: string) =>
    (await t.dataSource.getRepository(AuditTrailEntry).find({ where: { organizationId: org, actorLabel: email }, order: { seq: 'ASC' } })).map(
      (row) =>
        `${row.action}:${(row.changes['@context']?.after as { reason?: string; scope?: string } | undefined)?.reason ?? (row.changes['@context']?.after as { scope?: string })?.scope ?? ''}`,
    );

  it('makes the next attempt wait from the third failure of a name from an address: 429 with Retry-After, the password not even checked', async () => {
    const person = await createPerson(t, org);
    const from = '198.51.100.1';
    for (let i = 1; i <= 3; i++) await login(from, { email: person.email, password: `wrong-${i}` }).expect(401);
    await justFailed(from);
    const early = await login(from, { email: person.email, password: person.password }).expect(429);
    expect(early.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(early.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, retryAfterSeconds: 1 });
    expect(early.headers['retry-after']).toBe('1');
    // another address is not slowed down by this one's failures
    await login('198.51.100.2', { email: person.email, password: person.password }).expect(200);
    // the delay doubles: 1 s after the third failure, 2 s after the fourth
    await waitOver(from);
    await login(from, { email: person.email, password: 'wrong-4' }).expect(401);
    await justFailed(from);
    expect((await login(from, { email: person.email, password: person.password }).expect(429)).body.retryAfterSeconds).toBe(2);
    expect(await reasons(person.email)).toEqual(expect.arrayContaining(['auth.login_refused:too_soon']));
    // a successful sign-in from the address forgets its failures
    await waitOver(from);
    await login(from, { email: person.email, password: person.password }).expect(200);
    expect(await t.dataSource.getRepository(SignInFailure).countBy({ staffId: person.staff.id, clientAddress: from })).toBe(0);
  });

  it('locks only the failing address out of the account: its holder still signs in from their own', async () => {
    const person = await createPerson(t, org);
    const attacker = '203.0.113.66';
    for (let i = 1; i <= 4; i++) {
      await login(attacker, { email: person.email, password: `guess-${i}` }).expect(401);
      await waitOver(attacker);
    }
    const locked = await login(attacker, { email: person.email, password: 'guess-5' }).expect(423);
    expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) });
    expect(new Date(locked.body.lockedUntil as string).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    // the right password from the attacker's address: still locked
    expect((await login(attacker, { email: person.email, password: person.password }).expect(423)).body.code).toBe('ACCOUNT_LOCKED');
    // the holder, from their own address, is not locked out
    await login('192.0.2.10', { email: person.email, password: person.password }).expect(200);
    const staff = await t.dataSource.getRepository(Staff).findOneByOrFail({ id: person.staff.id });
    expect(staff.lockedUntil).toBeNull();
    expect(await lockMails(person.email)).toEqual([]);
  });

  it('treats a name without an account the same way (the answers do not tell which addresses exist)', async () => {
    const from = '198.51.100.77';
    const email = 'nobody-here@test.example';
    for (let i = 1; i <= 3; i++) await login(from, { email, password: `x-${i}` }).expect(401);
    await justFailed(from);
    expect((await login(from, { email, password: 'x' }).expect(429)).body.retryAfterSeconds).toBe(1);
    await waitOver(from);
    await login(from, { email, password: 'x-4' }).expect(401);
    await waitOver(from);
    await login(from, { email, password: 'x-5' }).expect(423);
  });

  it('locks the account itself after LOGIN_ACCOUNT_MAX_FAILURES across addresses, and tells its holder by e-mail', async () => {
    const person = await createPerson(t, org);
    const addresses = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'];
    let last: request.Response | undefined;
    for (const from of addresses) {
      last = await login(from, { email: person.email, password: 'spray-1' });
      if (last.status === 423) break;
      last = await login(from, { email: person.email, password: 'spray-2' });
    }
    // 8 failures in all, two from each address: no address reached its own threshold
    expect(last!.status).toBe(423);
    expect(last!.body).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) });
    // now the holder's own address is refused too, even with the right password
    expect((await login('192.0.2.20', { email: person.email, password: person.password }).expect(423)).body.code).toBe('ACCOUNT_LOCKED');
    expect(await reasons(person.email)).toEqual(expect.arrayContaining(['auth.locked:account', 'auth.login_refused:locked']));

    const [mail, ...more] = await lockMails(person.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toMatch(/^【Mamori】アカウントを一時的にロックしました/);
    const text = mail!.text;
    expect(text).toContain('203.0.113.4');
    expect(text).toContain('情報セキュリティ担当');
    expect(text).toContain('information security office');
    expect(text.indexOf('ロックは')).toBeLessThan(text.indexOf('The lock ends'));
    const until = new Date(last!.body.lockedUntil as string);
    const hhmm = until.toLocaleTimeString('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' });
    expect(text).toContain(hhmm);

    // the lock ends: the holder signs in again, and the counts start again
    await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { lockedUntil: new Date(Date.now() - 1000) });
    await login('192.0.2.20', { email: person.email, password: person.password }).expect(200);
  });

  it('does not lock the holder out of an address they signed in from: failures from other addresses lock the account for those only', async () => {
    const person = await createPerson(t, org);
    const right = { email: person.email, password: person.password };
    // the holder's desk, and an IPv6 address of their home network
    await login('192.0.2.40', right).expect(200);
    await login('2001:db8:40:1::17', right).expect(200);
    let last: request.Response | undefined;
    for (const from of ['203.0.113.41', '203.0.113.42', '203.0.113.43', '203.0.113.44'])
      for (const guess of ['spray-1', 'spray-2']) last = await login(from, { email: person.email, password: guess });
    expect(last!.status).toBe(423);
    expect((await lockMails(person.email)).length).toBe(1);
    // elsewhere the account is locked, even for the right password
    expect((await login('192.0.2.99', right).expect(423)).body.code).toBe('ACCOUNT_LOCKED');
    // at the desk, and from the same /64 (another privacy address), its holder signs in
    await login('192.0.2.40', right).expect(200);
    await login('2001:db8:40:1::99', right).expect(200);
    // which does not lift the lock for the others
    await login('192.0.2.99', right).expect(423);
    expect((await t.dataSource.getRepository(Staff).findOneByOrFail({ id: person.staff.id })).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // the desk's own failures still count, and a wrong password there is a wrong password, not the account's lock
    expect((await login('192.0.2.40', { email: person.email, password: 'typo' }).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
  });

  it("forgets the account's failures a day after the last one", async () => {
    const person = await createPerson(t, org);
    for (const from of ['203.0.113.51', '203.0.113.52', '203.0.113.53', '203.0.113.54'])
      for (const guess of ['spray-1', 'spray-2']) {
        if (from === '203.0.113.54' && guess === 'spray-2') break;
        await login(from, { email: person.email, password: guess }).expect(401);
      }
    // 7 failures (LOGIN_ACCOUNT_MAX_FAILURES is 8), the last of them more than a day ago
    await t.dataSource.query(`UPDATE sign_in_failures SET last_failed_at = last_failed_at - interval '25 hours' WHERE staff_id = $1`, [person.staff.id]);
    await login('203.0.113.55', { email: person.email, password: 'spray-3' }).expect(401);
    const staff = await t.dataSource
      .getRepository(Staff)
      .findOneOrFail({ where: { id: person.staff.id }, select: { id: true, failedLoginCount: true, lockedUntil: true } });
    expect(staff).toMatchObject({ failedLoginCount: 1, lockedUntil: null });
    await login('192.0.2.55', { email: person.email, password: person.password }).expect(200);
  });

  it('counts an IPv6 client per /64: two addresses of one /64 share one count, another /64 has its own', async () => {
    const person = await createPerson(t, org);
    for (let i = 1; i <= 3; i++) await login(`2001:db8:7:1::${i}`, { email: person.email, password: `wrong-${i}` }).expect(401);
    await t.dataSource.query(`UPDATE sign_in_failures SET last_failed_at = now() WHERE client_address <<= '2001:db8:7:1::/64'::inet`);
    expect((await t.dataSource.getRepository(SignInFailure).findBy({ staffId: person.staff.id })).map((row) => row.failures)).toEqual([3]);
    expect((await login('2001:db8:7:1:ffff:1:2:3', { email: person.email, password: person.password }).expect(429)).body.code).toBe('TOO_MANY_REQUESTS');
    await login('2001:db8:7:2::1', { email: person.email, password: person.password }).expect(200);
  });

  it('shows the wait and the lock at the top of the sign-in page, in Japanese', async () => {
    const person = await createPerson(t, org);
    const page = await request(t.http).get('/login').set('Accept', 'text/html').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const from = '198.51.100.200';
    const submit = (password: string) =>
      request(t.http)
        .post('/login')
        .set('Accept', 'text/html')
        .set('Cookie', cookie)
        .set('X-Forwarded-For', from)
        .type('form')
        .send({ _csrf: csrf, email: person.email, password, next: '/' });
    for (let i = 1; i <= 3; i++) await submit(`wrong-${i}`).expect(401);
    await justFailed(from);
    const wait = await submit(person.password).expect(429);
    expect(wait.headers['retry-after']).toBe('1');
    expect(wait.text).toMatch(/role="alert"/);
    expect(wait.text).toContain('1秒ほど待ってから、もう一度お試しください。');
    await waitOver(from);
    await submit('wrong-4').expect(401);
    await waitOver(from);
    const locked = await submit('wrong-5').expect(423);
    expect(locked.text).toMatch(/role="alert"/);
    expect(locked.text).toMatch(/このアカウントへのログインを \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}（日本時間）まで止めています/);
  });
});
