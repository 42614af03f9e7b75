import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { IsNull } from 'typeorm';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { PasswordToken } from '../../src/auth/password-token.entity.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox, mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const LINK = /http:\/\/localhost:3000\/password\/set\?token=(\S+)/;

describe('password set-up (invitations and resets)', () => {
  let t: TestApp;
  let org: string;
  let admin: string;
  let plainStaff: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    admin = (await signIn(t, await createPerson(t, org, { roles: ['admin'] }))).accessToken;
    plainStaff = (await signIn(t, await createPerson(t, org))).accessToken;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = (email: string, password: string) => request(t.http).post('/api/v1/auth/login').send({ email, password });
  const setPassword = (token: string, password: string) => request(t.http).post('/api/v1/auth/password/set').send({ token, password });
  const forgot = (email: string) => request(t.http).post('/api/v1/auth/password/forgot').send({ email });

  /** A person made through the API: no password yet. */
  async function newcomer(): Promise<{ id: string; email: string }> {
    const suffix = randomBytes(4).toString('hex');
    const email = `new-${suffix}@test.example`;
    const response = await request(t.http)
      .post('/api/v1/staff')
      .set(as(admin))
      .send({ employeeNumber: `N-${suffix}`, familyName: '新人', givenName: '花子', email, roles: ['staff'] })
      .expect(201);
    return { id: response.body.id as string, email };
  }

  /** The token of the newest e-mail of this kind to this address, once the outbox is delivered as the worker would. */
  async function mailedToken(email: string, kind: 'invitation' | 'password-reset'): Promise<string> {
    const subject = kind === 'invitation' ? 'パスワードを設定' : 'パスワードの再設定';
    const mail = (await mailsTo(t, email)).find((m) => m.subject.includes(subject));
    if (!mail) throw new Error(`no ${kind} e-mail to ${email}`);
    const match = LINK.exec(mail.text);
    if (!match) throw new Error(`no link in: ${mail.text}`);
    return match[1];
  }

  async function invite(staffId: string): Promise<string> {
    const response = await request(t.http).post(`/api/v1/staff/${staffId}/invitation`).set(as(admin)).expect(202);
    expect(Object.keys(response.body)).toEqual(['expiresAt']);
    const email = (await t.dataSource.getRepository(Staff).findOneByOrFail({ id: staffId })).email;
    return mailedToken(email, 'invitation');
  }

  it('invites a person created through the API, who then sets a password and signs in', async () => {
    const person = await newcomer();
    await login(person.email, 'anything-at-all-long').expect(401);

    const before = Date.now();
    const response = await request(t.http).post(`/api/v1/staff/${person.id}/invitation`).set(as(admin)).expect(202);
    expect(response.body).toEqual({ expiresAt: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toContain('token');
    const expiresAt = new Date(response.body.expiresAt as string).getTime();
    expect(expiresAt - before).toBeGreaterThan(71.9 * 3_600_000);
    expect(expiresAt - before).toBeLessThan(72.1 * 3_600_000);

    // the outbox carries the intent, never the link: the token is made when the mail is sent
    const [message] = await t.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { organizationId: org, topic: 'auth.password_link' }, order: { createdAt: 'DESC' }, take: 1 });
    expect(message!.payload).toEqual({ staffId: person.id, purpose: 'invitation' });
    const token = await mailedToken(person.email, 'invitation');
    const [mail] = await mailsTo(t, person.email);
    expect(mail!.subject).toContain('パスワード');
    expect(mail!.text).toContain('新人 花子 様');
    expect(mail!.text).toContain('Dear 花子 新人');
    expect(JSON.stringify(await t.dataSource.getRepository(OutboxMessage).findBy({ organizationId: org }))).not.toContain(token.split('.')[1]);

    // the secret is stored only as its hash
    const secret = token.split('.')[1];
    const stored = await t.dataSource.getRepository(PasswordToken).findOneByOrFail({ id: token.split('.')[0] });
    expect(stored).toMatchObject({ staffId: person.id, purpose: 'invitation', usedAt: null });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(secret);

    await setPassword(token, 'a-brand-new-passphrase').expect(204);
    const signedIn = await login(person.email, 'a-brand-new-passphrase').expect(200);
    expect(signedIn.body.tokens.accessToken).toEqual(expect.any(String));

    const trail = await t.dataSource.getRepository(AuditTrailEntry).findBy({ organizationId: org, entityId: person.id, action: 'staff.password_set' });
    expect(trail).toHaveLength(1);
    const everything = JSON.stringify(await t.dataSource.getRepository(AuditTrailEntry).findBy({ organizationId: org }));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('a-brand-new-passphrase');
    expect(everything).toContain('password_token.create');
  });

  it('refuses a used link', async () => {
    const person = await newcomer();
    const token = await invite(person.id);
    await setPassword(token, 'first-password-chosen').expect(204);
    const reused = await setPassword(token, 'second-password-chosen').expect(400);
    expect(reused.body).toMatchObject({ code: 'PASSWORD_TOKEN_INVALID', errors: [{ field: 'token' }] });
    await login(person.email, 'first-password-chosen').expect(200);
    await login(person.email, 'second-password-chosen').expect(401);
  });

  it('refuses an expired link, a tampered one and one superseded by a newer invitation', async () => {
    const person = await newcomer();
    const first = await invite(person.id);
    const second = await invite(person.id);
    const superseded = await setPassword(first, 'long-enough-password').expect(400);
    expect(superseded.body.code).toBe('PASSWORD_TOKEN_INVALID');

    const [id, secret] = second.split('.');
    const tampered = await setPassword(`${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, 'long-enough-password').expect(400);
    expect(tampered.body.code).toBe('PASSWORD_TOKEN_INVALID');
    await setPassword('not-a-token', 'long-enough-password').expect(400);

    await t.dataSource.getRepository(PasswordToken).update({ id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await setPassword(second, 'long-enough-password').expect(400);
    expect(expired.body).toMatchObject({ code: 'PASSWORD_TOKEN_INVALID', errors: [{ field: 'token' }] });
    await login(person.email, 'long-enough-password').expect(401);
  });

  it('refuses retired people: no invitation (409), and a link sent before retirement stops working', async () => {
    const person = await newcomer();
    const token = await invite(person.id);
    await request(t.http).patch(`/api/v1/staff/${person.id}`).set(as(admin)).send({ status: 'retired' }).expect(200);
    const refused = await setPassword(token, 'long-enough-password').expect(400);
    expect(refused.body.code).toBe('PASSWORD_TOKEN_INVALID');
    const invitation = await request(t.http).post(`/api/v1/staff/${person.id}/invitation`).set(as(admin)).expect(409);
    expect(invitation.body.code).toBe('ACCOUNT_RETIRED');

    // the request is written like any other (the same work for every address, issue 7); no link goes out
    const before = await t.dataSource.getRepository(PasswordToken).countBy({ staffId: person.id });
    await forgot(person.email).expect(202);
    expect((await mailsTo(t, person.email)).filter((mail) => mail.subject.includes('パスワードの再設定'))).toEqual([]);
    expect(await t.dataSource.getRepository(PasswordToken).countBy({ staffId: person.id })).toBe(before);
  });

  it('refuses a short password with 400 naming the field, and leaves the link usable', async () => {
    const person = await newcomer();
    const token = await invite(person.id);
    const short = await setPassword(token, 'too-short').expect(400);
    expect(short.body.code).toBe('VALIDATION_FAILED');
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    await setPassword(token, 'x'.repeat(201)).expect(400);
    await setPassword(token, 'exactly-12ch').expect(204);
  });

  it('answers "forgot password" the same for known and unknown addresses, doing the same work; only a known one gets an e-mail', async () => {
    const person = await createPerson(t, org);
    const outbox = t.dataSource.getRepository(OutboxMessage);
    const created = () => t.dataSource.getRepository(AuditTrailEntry).countBy({ organizationId: org, action: 'password_token.create' });
    const requests = () => outbox.countBy({ organizationId: org, topic: 'auth.password_reset_requested' });

    // both write the same one outbox row (issue 7: an unknown address used to answer in a quarter of the time)
    const countBefore = await outbox.countBy({ organizationId: org });
    const requestsBefore = await requests();
    const auditBefore = await created();
    const unknown = await forgot('nobody-here@test.example').expect(202);
    expect(await outbox.countBy({ organizationId: org })).toBe(countBefore + 1);
    expect(await requests()).toBe(requestsBefore + 1);
    await deliverOutbox(t, { organizationId: org, topic: 'auth.password_reset_requested', dispatchedAt: IsNull() });
    expect(await created()).toBe(auditBefore);

    const known = await forgot(person.email.toUpperCase()).expect(202);
    // asked again at once (the same minute): no second request, so no second link
    await forgot(person.email).expect(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.headers['content-type']).toBe(unknown.headers['content-type']);
    expect(await outbox.countBy({ organizationId: org })).toBe(countBefore + 2);
    expect(await requests()).toBe(requestsBefore + 2);
    await deliverOutbox(t, { organizationId: org, topic: 'auth.password_reset_requested', dispatchedAt: IsNull() }); // the link is made when the mail goes out
    expect(await created()).toBe(auditBefore + 1);
    const token = await mailedToken(person.email, 'password-reset');
    const stored = await t.dataSource.getRepository(PasswordToken).findOneByOrFail({ id: token.split('.')[0] });
    expect(stored.purpose).toBe('reset');
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThan(2 * 3_600_000 + 1000);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);

    await forgot('not an address').expect(400);
  });

  it('ends every session of the person and unlocks the account when the password is set', async () => {
    const person: TestPerson = await createPerson(t, org);
    const tokens = await signIn(t, person);
    await request(t.http).get('/api/v1/me').set(as(tokens.accessToken)).expect(200);
    await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { failedLoginCount: 3, lockedUntil: new Date(Date.now() + 3_600_000) });

    await forgot(person.email).expect(202);
    await setPassword(await mailedToken(person.email, 'password-reset'), 'reset-password-2026').expect(204);

    await request(t.http).get('/api/v1/me').set(as(tokens.accessToken)).expect(401);
    await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    await login(person.email, person.password).expect(401);
    await login(person.email, 'reset-password-2026').expect(200);
    const revoked = await t.dataSource
      .getRepository(AuditTrailEntry)
      .findBy({ organizationId: org, action: 'auth.session_revoked', actorLabel: person.email.toLowerCase() });
    expect(revoked.length).toBeGreaterThanOrEqual(1);
  });

  it('lets only an administrator send an invitation', async () => {
    const person = await newcomer();
    const refused = await request(t.http).post(`/api/v1/staff/${person.id}/invitation`).set(as(plainStaff)).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await request(t.http).post(`/api/v1/staff/${person.id}/invitation`).expect(401);
    await request(t.http).post('/api/v1/staff/00000000-0000-4000-8000-000000000000/invitation').set(as(admin)).expect(404);
  });
});
