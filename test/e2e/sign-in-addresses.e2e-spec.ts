import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { canonicalAddress } from '../../src/auth/client-address.js';
import { SignInFailure } from '../../src/auth/sign-in-failure.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * 66 characters, more than `varchar(64)` held: the forged address that rolled a failed sign-in's
 * record back (issue 7, defect 4). An IPv6 address with a long zone, which Node's isIP accepts.
 */
const FORGED = `fe80::1%${'a'.repeat(58)}`;
const GARBAGE = ['x'.repeat(300), 'not-an-address', '1.2.3.4.5', '::ffff:999.1.1.1', "'; DROP TABLE staff; --", 'fe80::1%eth0'.repeat(10)];

async function failuresOf(t: TestApp, staffId: string): Promise<{ account: number; pairs: SignInFailure[] }> {
  const staff = await t.dataSource.getRepository(Staff).findOneOrFail({ where: { id: staffId }, select: { id: true, failedLoginCount: true } });
  return { account: staff.failedLoginCount, pairs: await t.dataSource.getRepository(SignInFailure).findBy({ staffId }) };
}

async function auditOf(t: TestApp, email: string): Promise<AuditTrailEntry[]> {
  return t.dataSource.getRepository(AuditTrailEntry).find({ where: { actorLabel: email }, order: { seq: 'ASC' } });
}

describe('client addresses', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  it('are written in the very form PostgreSQL reads back from inet (the audit hash covers the text)', async () => {
    const inputs = [
      '127.0.0.1',
      '10.0.0.255',
      '::1',
      '::',
      '0:0:0:0:0:0:0:1',
      '2001:DB8::1',
      '2001:0db8:0000:0000:0000:0000:0000:0001',
      '2001:db8:0:0:1:0:0:1',
      '2001:db8::1:0:0:1',
      '2001:0:0:1:0:0:0:1',
      'fe80::1%eth0',
      'FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
      '1:0:0:0:0:0:0:0',
      '1:2:3:4:5:6:7:0',
      '0:1:0:1:0:1:0:1',
      '::1.2.3.4',
      '::ffff:1.2.3.4',
      '::FFFF:7f00:1',
      '::ffff:0:1.2.3.4',
      '64:ff9b::192.0.2.33',
      '1:2:3:4:5:6:1.2.3.4',
    ];
    for (const input of inputs) {
      const canonical = canonicalAddress(input);
      expect(canonical).not.toBeNull();
      // what the application reads back from an inet column is the inet output function's text
      const [{ value }] = (await t.dataSource.query('SELECT $1::inet AS value', [canonical])) as { value: string }[];
      expect(value).toBe(canonical);
      const [{ original }] = (await t.dataSource.query('SELECT $1::inet AS original', [input.replace(/%.*$/, '')])) as { original: string }[];
      // the same address as PostgreSQL reads it; IPv4-mapped IPv6 addresses are given as IPv4 on purpose
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(original);
      const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(original);
      if (mapped) expect(canonical).toBe(mapped[1]);
      else if (mappedHex) expect(canonical).toBe('127.0.0.1');
      else expect(canonical).toBe(original);
    }
    // and random addresses with runs of zero groups, in full form
    for (let i = 0; i < 300; i++) {
      const groups = Array.from({ length: 8 }, () =>
        Math.random() < 0.5
          ? '0'
          : Math.floor(Math.random() * 0x10000)
              .toString(16)
              .toUpperCase(),
      );
      if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'FFFF') groups[5] = '1';
      const input = groups.join(':');
      const [{ value }] = (await t.dataSource.query('SELECT $1::inet AS value', [input])) as { value: string }[];
      expect([input, canonicalAddress(input)]).toEqual([input, value]);
    }
    for (const bad of [...GARBAGE, '', ' 127.0.0.1', '127.1', '1.2.3.256', ':::1', '1::2::3', null, undefined, 42]) expect(canonicalAddress(bad)).toBeNull();
  });

  it('ignores X-Forwarded-For by default: a forged 66-character address changes nothing, the failure is counted and audited from the peer', async () => {
    const person = await createPerson(t, org);
    const wrong = await request(t.http).post('/api/v1/auth/login').set('X-Forwarded-For', FORGED).send({ email: person.email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    const failures = await failuresOf(t, person.staff.id);
    expect(failures.account).toBe(1);
    expect(failures.pairs).toEqual([expect.objectContaining({ failures: 1, clientAddress: '127.0.0.1' })]);
    const rows = await auditOf(t, person.email);
    expect(rows.map((row) => [row.action, row.clientAddress])).toEqual([['auth.login_failed', '127.0.0.1']]);
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, firstBreak: null });
  });
});

describe('recording a failed sign-in', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  it('never fails: when the change that found the failure cannot commit, the failure is recorded on its own', async () => {
    const person = await createPerson(t, org);
    // an address the database refuses (what a 66-character one was to varchar(64)) makes the sign-in's change fail
    const attempt = t.get(AuthService).login({ email: person.email, password: 'wrong-password' }, { clientAddress: 'not-an-address', channel: 'api' });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const failures = await failuresOf(t, person.staff.id);
    expect(failures.account).toBe(1);
    expect(failures.pairs).toEqual([expect.objectContaining({ failures: 1, clientAddress: null })]);
    expect((await auditOf(t, person.email)).map((row) => [row.action, row.clientAddress])).toEqual([['auth.login_failed', null]]);
  });
});

describe('client addresses behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES: '3' } });
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  it('records every failure whatever the forwarded address: canonical when it is one, null when not; never a 500', async () => {
    const person = await createPerson(t, org);
    const sent: [string, string | null][] = [
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ...GARBAGE.map((value): [string, null] => [value, null]),
    ];
    for (const [header, recorded] of sent) {
      // a new name each time: the counting of one name from one address is another test
      const email = `probe-${Math.random().toString(36).slice(2)}@test.example`;
      const response = await request(t.http).post('/api/v1/auth/login').set('X-Forwarded-For', header).send({ email, password: 'whatever' });
      expect(response.status).toBe(401);
      expect((await auditOf(t, email)).map((row) => [row.action, row.clientAddress])).toEqual([['auth.login_failed', recorded]]);
    }
    const wrong = await request(t.http).post('/api/v1/auth/login').set('X-Forwarded-For', FORGED).send({ email: person.email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect((await failuresOf(t, person.staff.id)).account).toBe(1);
    expect((await auditOf(t, person.email)).map((row) => [row.action, row.clientAddress])).toEqual([['auth.login_failed', 'fe80::1']]);
  });

  it('locks a privileged account out of a forged address after the threshold: the right password answers ACCOUNT_LOCKED, not mfaRequired', async () => {
    const officer = await createPerson(t, org, { roles: ['security_officer'] });
    const login = (password: string) => request(t.http).post('/api/v1/auth/login').set('X-Forwarded-For', FORGED).send({ email: officer.email, password });
    await login('wrong-1').expect(401);
    await login('wrong-2').expect(401);
    const locked = await login('wrong-3').expect(423);
    expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) });
    const right = await login(officer.password).expect(423);
    expect(right.body.code).toBe('ACCOUNT_LOCKED');
    expect(right.body).not.toHaveProperty('mfaRequired');
    const actions = (await auditOf(t, officer.email)).map((row) => row.action);
    expect(actions).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.locked', 'auth.login_refused']);
    // what was written with these addresses still matches its hash when read back from inet
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, firstBreak: null });
  });
});
