import request from 'supertest';
import { IsNull } from 'typeorm';
import { currentTotp } from '../../src/auth/totp.service.js';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuthSession } from '../../src/auth/auth-session.entity.js';
import { RefreshToken } from '../../src/auth/refresh-token.entity.js';
import { SignInFailure } from '../../src/auth/sign-in-failure.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, nextTotp, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('auth', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  const login = (body: object) => request(t.http).post('/api/v1/auth/login').send(body);
  const actions = async (staffId: string) =>
    (await t.dataSource.getRepository(AuditTrailEntry).find({ where: { organizationId: org }, order: { seq: 'ASC' } }))
      .filter((row) => row.entityId === staffId || row.actorId === staffId)
      .map((row) => row.action);

  it('signs in a member of staff with e-mail and password, and /me answers with the person', async () => {
    const person = await createPerson(t, org);
    const response = await login({ email: person.email.toUpperCase(), password: person.password }).expect(200);
    expect(response.body.mfaRequired).toBe(false);
    expect(response.body.tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const me = await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${response.body.tokens.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ id: person.staff.id, email: person.email, roles: ['staff'] });
    expect(me.body).not.toHaveProperty('passwordHash');
    expect(me.body).not.toHaveProperty('totpSecret');
    expect(await actions(person.staff.id)).toContain('auth.login');
  });

  it('refuses a wrong password with 401 problem+json and records the failure', async () => {
    const person = await createPerson(t, org);
    const response = await login({ email: person.email, password: 'wrong-password' }).expect(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'INVALID_CREDENTIALS', type: '/problems/invalid-credentials', status: 401 });
    expect(await actions(person.staff.id)).toEqual(expect.arrayContaining(['auth.login_failed']));
  });

  it('gives the same answer for an unknown address and records it', async () => {
    const response = await login({ email: 'nobody@test.example', password: 'whatever' }).expect(401);
    expect(response.body.code).toBe('INVALID_CREDENTIALS');
    const rows = await t.dataSource
      .getRepository(AuditTrailEntry)
      .findBy({ organizationId: org, action: 'auth.login_failed', actorLabel: 'nobody@test.example' });
    expect(rows).toHaveLength(1);
  });

  it('requires the second factor for privileged roles', async () => {
    const officer = await createPerson(t, org, { roles: ['security_officer'] });
    const first = await login({ email: officer.email, password: officer.password }).expect(200);
    expect(first.body).toEqual({ mfaRequired: true });
    await login({ email: officer.email, password: officer.password, totp: '000000' }).expect(401);
    const second = await login({ email: officer.email, password: officer.password, totp: nextTotp(officer) }).expect(200);
    expect(second.body.tokens.accessToken).toEqual(expect.any(String));
    const session = await t.dataSource.getRepository(AuthSession).findOneByOrFail({ staffId: officer.staff.id });
    expect(session.mfa).toBe(true);
  });

  it('does not accept the same TOTP code twice', async () => {
    const csirt = await createPerson(t, org, { roles: ['csirt'] });
    const code = currentTotp(csirt.totpSecret!);
    await login({ email: csirt.email, password: csirt.password, totp: code }).expect(200);
    const replay = await login({ email: csirt.email, password: csirt.password, totp: code }).expect(401);
    expect(replay.body.code).toBe('INVALID_SECOND_FACTOR');
  });

  it('enrols a privileged person on first sign-in: QR, confirmation, recovery codes that work once', async () => {
    const admin = await createPerson(t, org, { roles: ['admin'], totp: false });
    const first = await login({ email: admin.email, password: admin.password }).expect(200);
    expect(first.body.mfaRequired).toBe(true);
    expect(first.body.enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Mamori:.*secret=/);
    expect(first.body.enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret = new URL(first.body.enrolment.otpauthUri).searchParams.get('secret')!;
    const again = await login({ email: admin.email, password: admin.password }).expect(200);
    expect(again.body.enrolment.otpauthUri).toBe(first.body.enrolment.otpauthUri);
    const confirmed = await login({ email: admin.email, password: admin.password, totp: currentTotp(secret) }).expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    const [recovery] = confirmed.body.recoveryCodes as string[];
    await login({ email: admin.email, password: admin.password, totp: recovery }).expect(200);
    const reused = await login({ email: admin.email, password: admin.password, totp: recovery }).expect(401);
    expect(reused.body.code).toBe('INVALID_SECOND_FACTOR');
    expect(await actions(admin.staff.id)).toEqual(expect.arrayContaining(['auth.totp_enrolment_started', 'auth.totp_enrolled', 'auth.recovery_code_used']));
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const person = await createPerson(t, org);
    await login({ email: person.email, password: 'bad-1' }).expect(401);
    await login({ email: person.email, password: 'bad-2' }).expect(401);
    const locked = await login({ email: person.email, password: 'bad-3' }).expect(423);
    expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED', status: 423, lockedUntil: expect.any(String) });
    const refused = await login({ email: person.email, password: person.password }).expect(423);
    expect(refused.body.code).toBe('ACCOUNT_LOCKED');
    expect(await actions(person.staff.id)).toEqual(expect.arrayContaining(['auth.locked', 'auth.login_refused']));
    // the lock ends (the address's lock-out, kept per address since issue 7, as well as the account's)
    await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { lockedUntil: new Date(Date.now() - 1000) });
    await t.dataSource.getRepository(SignInFailure).update({ staffId: person.staff.id }, { lockedUntil: new Date(Date.now() - 1000) });
    await login({ email: person.email, password: person.password }).expect(200);
  });

  it('rotates refresh tokens and revokes the session when a used one comes back', async () => {
    const person = await createPerson(t, org);
    const tokens = await signIn(t, person);
    const rotated = await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(200);
    expect(rotated.body.refreshToken).not.toBe(tokens.refreshToken);
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${rotated.body.accessToken}`).expect(200);
    // a minute later the old token comes back: someone kept a copy
    await t.dataSource.query(`UPDATE refresh_tokens SET used_at = now() - interval '1 minute' WHERE id = $1`, [tokens.refreshToken.split('.')[0]]);
    const reuse = await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    // the whole family is dead: the newer refresh token and the access token too
    await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${rotated.body.accessToken}`).expect(401);
    expect(await actions(person.staff.id)).toEqual(expect.arrayContaining(['auth.refresh', 'auth.session_revoked']));
  });

  it('lets two requests refresh with the same token at the same moment (two tabs) without revoking', async () => {
    const person = await createPerson(t, org);
    const tokens = await signIn(t, person);
    const [a, b] = await Promise.all([0, 1].map(() => request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken })));
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const pair of [a.body, b.body]) {
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${pair.accessToken}`).expect(200);
      await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(200);
    }
    expect(await t.dataSource.getRepository(AuthSession).findOneByOrFail({ staffId: person.staff.id })).toMatchObject({ revokedAt: null });
  });

  it('answers the same new pair to the same refresh token presented again within the grace: the session does not fork', async () => {
    const person = await createPerson(t, org);
    const tokens = await signIn(t, person);
    const refresh = (refreshToken: string) => request(t.http).post('/api/v1/auth/refresh').send({ refreshToken });
    const first = await refresh(tokens.refreshToken).expect(200);
    const again = await refresh(tokens.refreshToken).expect(200);
    expect(again.body).toEqual(first.body);
    const [a, b] = await Promise.all([first.body.refreshToken, first.body.refreshToken].map((token: string) => refresh(token)));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    // one chain: the one token not yet used is the newest one
    const session = await t.dataSource.getRepository(AuthSession).findOneByOrFail({ staffId: person.staff.id });
    const live = await t.dataSource.getRepository(RefreshToken).findBy({ sessionId: session.id, usedAt: IsNull() });
    expect(live.map((token) => token.id)).toEqual([(a.body.refreshToken as string).split('.')[0]]);
    expect(session.revokedAt).toBeNull();
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${a.body.accessToken}`).expect(200);
    // nothing secret at rest: the stored successor is a hash
    expect(JSON.stringify(await t.dataSource.getRepository(RefreshToken).findBy({ sessionId: session.id }))).not.toContain(
      (a.body.refreshToken as string).split('.')[1],
    );
    // after the grace the same token is reuse: the session ends
    await t.dataSource.query(`UPDATE refresh_tokens SET used_at = now() - interval '1 minute' WHERE id = $1`, [tokens.refreshToken.split('.')[0]]);
    expect((await refresh(tokens.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REUSED');
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${a.body.accessToken}`).expect(401);
  });

  it('issues nothing within the grace when the answered pair cannot be made again (its successor made under another key)', async () => {
    const person = await createPerson(t, org);
    const tokens = await signIn(t, person);
    const refresh = (refreshToken: string) => request(t.http).post('/api/v1/auth/refresh').send({ refreshToken });
    const first = await refresh(tokens.refreshToken).expect(200);
    // what a successor made before a SECRET_KEY rotation looks like after it: its hash is not that of the derived secret
    const successorId = (first.body.refreshToken as string).split('.')[0];
    await t.dataSource.query(`UPDATE refresh_tokens SET token_hash = repeat('0', 64) WHERE id = $1`, [successorId]);
    const again = await refresh(tokens.refreshToken).expect(401);
    expect(again.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect(again.body).not.toHaveProperty('refreshToken');
    // nothing forked, nothing revoked: the pair answered first still works
    const session = await t.dataSource.getRepository(AuthSession).findOneByOrFail({ staffId: person.staff.id });
    expect(session.revokedAt).toBeNull();
    expect(await t.dataSource.getRepository(RefreshToken).countBy({ sessionId: session.id })).toBe(2);
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
    expect(await actions(person.staff.id)).toEqual(expect.arrayContaining(['auth.refresh_refused']));
  });

  it('replaces a second factor only when the new one is confirmed, from a session opened with the old one', async () => {
    const person = await createPerson(t, org, { totp: true });
    const tokens = await signIn(t, person);
    const auth = { Authorization: `Bearer ${tokens.accessToken}` };
    const started = await request(t.http).post('/api/v1/auth/totp/enrol').set(auth).expect(200);
    const newSecret = new URL(started.body.otpauthUri).searchParams.get('secret')!;
    // until confirmed, the old factor stays in force and no secret is shown on a password-only sign-in
    const passwordOnly = await login({ email: person.email, password: person.password }).expect(200);
    expect(passwordOnly.body).toEqual({ mfaRequired: true });
    await login({ email: person.email, password: person.password, totp: currentTotp(newSecret) }).expect(401);
    await request(t.http).post('/api/v1/auth/totp/confirm').set(auth).send({ code: '000000' }).expect(401);
    const confirmed = await request(t.http)
      .post('/api/v1/auth/totp/confirm')
      .set(auth)
      .send({ code: currentTotp(newSecret) })
      .expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    await login({ email: person.email, password: person.password, totp: currentTotp(person.totpSecret!, Date.now() + 30_000) }).expect(401);
    await login({ email: person.email, password: person.password, totp: currentTotp(newSecret, Date.now() + 30_000) }).expect(200);
  });

  it('refuses to replace a confirmed factor from a session opened without it', async () => {
    const person = await createPerson(t, org);
    const tokens = await signIn(t, person);
    const auth = { Authorization: `Bearer ${tokens.accessToken}` };
    const started = await request(t.http).post('/api/v1/auth/totp/enrol').set(auth).expect(200);
    const secret = new URL(started.body.otpauthUri).searchParams.get('secret')!;
    await request(t.http)
      .post('/api/v1/auth/totp/confirm')
      .set(auth)
      .send({ code: currentTotp(secret) })
      .expect(200);
    const again = await request(t.http).post('/api/v1/auth/totp/enrol').set(auth).expect(403);
    expect(again.body.code).toBe('SECOND_FACTOR_SESSION_REQUIRED');
  });

  it('refuses a forged refresh token', async () => {
    const response = await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: '00000000-0000-4000-8000-000000000000.forged' }).expect(401);
    expect(response.body.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('logs out: the access and refresh tokens stop working', async () => {
    const person = await createPerson(t, org);
    const tokens = await signIn(t, person);
    await request(t.http).post('/api/v1/auth/logout').set('Authorization', `Bearer ${tokens.accessToken}`).expect(204);
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(401);
    await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('answers 401 problem+json without a token, and for a tampered one', async () => {
    const none = await request(t.http).get('/api/v1/me').expect(401);
    expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    await request(t.http).get('/api/v1/me').set('Authorization', 'Bearer abc.def.ghi').expect(401);
  });

  it('refuses a retired person and ends their sessions when they retire', async () => {
    const admin = await createPerson(t, org, { roles: ['admin'] });
    const person = await createPerson(t, org);
    const adminTokens = await signIn(t, admin);
    const tokens = await signIn(t, person);
    await request(t.http)
      .patch(`/api/v1/staff/${person.staff.id}`)
      .set('Authorization', `Bearer ${adminTokens.accessToken}`)
      .send({ status: 'retired' })
      .expect(200);
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(401);
    await request(t.http).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    const again = await login({ email: person.email, password: person.password }).expect(401);
    expect(again.body.code).toBe('ACCOUNT_INACTIVE');
    const sessions = await t.dataSource.getRepository(AuthSession).findBy({ staffId: person.staff.id });
    expect(sessions.every((s) => s.revokedReason === 'retired')).toBe(true);
  });

  it('names every bad field of a login body and refuses unknown fields', async () => {
    const response = await login({ email: 'not-an-email', password: '', extra: 1 }).expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'extra', 'password']);
  });
});

describe('auth rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json with Retry-After once an address exceeds the limit on sign-in', async () => {
    for (let i = 0; i < 3; i++)
      await request(t.http)
        .post('/api/v1/auth/login')
        .send({ email: `nobody${i}@test.example`, password: 'x' })
        .expect(401);
    const limited = await request(t.http).post('/api/v1/auth/login').send({ email: 'nobody@test.example', password: 'x' }).expect(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // other routes are not limited
    await request(t.http).get('/health').expect(200);
  });
});
