import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuditTrailCheckpoints, checkpointSignature } from '../../src/audit-trail/audit-trail-checkpoints.service.js';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { AuditTrailWriter, entryHash, GENESIS_HASH } from '../../src/audit-trail/audit-trail.writer.js';
import { AccessTokens } from '../../src/auth/access-tokens.js';
import { systemActor } from '../../src/common/actor.js';
import { PUBLISHED_SECRET_KEYS } from '../../src/config/environment.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { projectRoot } from '../../src/database/project-root.js';
import { JobRegistry } from '../../src/jobs/job-registry.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { createPerson, signIn } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { asOwner } from '../support/owner.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';

async function organization(t: TestApp, code: string): Promise<string> {
  return (await t.get(OrganizationsService).ensure(code, `${code}町`)).id;
}

/** `count` changes of the organisation, one transaction each. */
async function audit(t: TestApp, organizationId: string, count: number, label = 'event'): Promise<void> {
  for (let i = 0; i < count; i++)
    await t
      .get(UnitOfWork)
      .run(systemActor(organizationId, 'test'), async (tx) => tx.audit({ action: 'test.event', entityType: 'test', entityId: `${label}-${i}` }));
}

const chain = (t: TestApp, organizationId: string) => t.dataSource.getRepository(AuditTrailEntry).find({ where: { organizationId }, order: { seq: 'ASC' } });

type ForgedRow = Omit<AuditTrailEntry, 'seq' | 'hash' | 'organization' | 'clientAddressLegacy'>;

/** Appends a row hashed under `key`, as the database's superuser (INSERT passes the append-only trigger). */
async function appendBehindTheTriggers(t: TestApp, row: ForgedRow, key: Buffer): Promise<void> {
  await asOwner(t, (client) =>
    client.query(
      `INSERT INTO audit_trail (id, organization_id, actor_id, actor_label, action, entity_type, entity_id, changes, client_address, occurred_at, key_id, previous_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        row.id,
        row.organizationId,
        row.actorId,
        row.actorLabel,
        row.action,
        row.entityType,
        row.entityId,
        row.changes,
        row.clientAddress,
        row.occurredAt,
        row.keyId,
        row.previousHash,
        entryHash(row, key),
      ],
    ),
  );
}

/** A row someone holding `keyId`'s key would append after the chain's head. */
const forgedAfter = (head: AuditTrailEntry, keyId: string | null): ForgedRow => ({
  id: randomUUID(),
  organizationId: head.organizationId,
  actorId: null,
  actorLabel: 'system:forger',
  action: 'test.forged',
  entityType: 'test',
  entityId: null,
  changes: {},
  clientAddress: null,
  occurredAt: new Date(),
  keyId,
  previousHash: head.hash,
});

/**
 * What `verify` checked before checkpoints: every link and every hash of the chain, nothing beside
 * it. (A copy of that algorithm, to show the cut it cannot see.)
 */
async function chainOnlyVerify(t: TestApp, organizationId: string): Promise<{ ok: boolean; checked: number }> {
  const writer = t.get(AuditTrailWriter);
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (const row of await chain(t, organizationId)) {
    if (row.previousHash !== previousHash || entryHash(row, writer.key) !== row.hash) return { ok: false, checked };
    previousHash = row.hash;
    checked++;
  }
  return { ok: true, checked };
}

const runSchedule = (t: TestApp, name: string, now?: Date) => t.get(JobRegistry).scheduleHandler(name)(now);

/** The compiled CLI, as an operator runs it, on the test's database. */
const cli = (t: TestApp, args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.appDatabaseUrl, SECRET_KEY: TEST_SECRET_KEY, PREVIOUS_SECRET_KEYS: '', LOG_LEVEL: 'error' },
    timeout: 60_000,
  });

describe('the audit trail anchored by signed checkpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the hourly job writes one checkpoint per organisation whose head moved, without waiting for the chain lock', async () => {
    const org = await organization(t, 'hourly-town');
    await audit(t, org, 3);
    const first = await runSchedule(t, 'audit-trail-checkpoint');
    expect(first).toMatchObject({ written: expect.any(Number) });
    const checkpoints = t.get(AuditTrailCheckpoints);
    const head = (await chain(t, org)).at(-1)!;
    const checkpoint = await checkpoints.latest(org);
    expect(checkpoint).toMatchObject({
      seq: head.seq,
      hash: head.hash,
      keyId: t.get(AuditTrailWriter).keyId,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // nothing moved: nothing written
    expect(await checkpoints.checkpoint(org)).toMatchObject({ written: false, head: { checkpointId: checkpoint!.id } });

    // the operator's command does the same
    await audit(t, org, 1, 'cli');
    const command = cli(t, ['audit-trail:checkpoint']);
    expect(command.status).toBe(0);
    expect(JSON.parse(command.stdout)).toMatchObject({ written: 1 });
    expect((await checkpoints.latest(org))!.seq).toBe((await chain(t, org)).at(-1)!.seq);

    // a writer holds the organisation's chain lock (a long import about to commit): checkpointing does not wait for it
    await audit(t, org, 1);
    await asOwner(t, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit_trail:${org}`]);
      const started = Date.now();
      const written = await checkpoints.checkpoint(org);
      expect(written).toMatchObject({ written: true, head: { seq: (await chain(t, org)).at(-1)!.seq } });
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });

  it("finds the end of the chain cut off behind the triggers' back, which the chain alone cannot show", async () => {
    const org = await organization(t, 'cut-town');
    const officer = await signIn(t, await createPerson(t, org, { roles: ['security_officer'] }));
    await audit(t, org, 5);
    await runSchedule(t, 'audit-trail-checkpoint');
    const checkpoint = (await t.get(AuditTrailCheckpoints).latest(org))!;
    await audit(t, org, 2, 'after');
    const rows = await chain(t, org);
    const anchored = rows.findIndex((row) => row.seq === checkpoint.seq);
    expect(anchored).toBe(rows.length - 3);
    expect((await t.get(AuditTrailService).verify(org)).ok).toBe(true);

    // the database's superuser removes the last rows, the checkpointed one among them, bypassing the trigger
    const keep = rows[anchored - 2]!;
    await asOwner(t, async (client) => {
      await client.query('SET session_replication_role = replica');
      await client.query('DELETE FROM audit_trail WHERE organization_id = $1 AND seq > $2', [org, keep.seq]);
    });

    // every remaining link and hash is intact: what verify checked before finds nothing
    expect(await chainOnlyVerify(t, org)).toEqual({ ok: true, checked: anchored - 1 });
    // the checkpoint names a row that is gone
    const result = await t.get(AuditTrailService).verify(org);
    expect(result).toMatchObject({
      ok: false,
      checked: anchored - 1,
      lastSeq: keep.seq,
      checkpoints: 1,
      lastCheckpoint: { id: checkpoint.id, seq: checkpoint.seq, at: checkpoint.createdAt },
      firstBreak: { reason: 'missing_after_checkpoint', seq: checkpoint.seq, id: null, checkpointId: checkpoint.id },
    });
    expect(result.firstBreak!.detail).toMatch(new RegExp(`chain ends at seq ${keep.seq}, before the row at seq ${checkpoint.seq}`));

    // through the CLI (exit 1) and the API (its documented shape)
    const command = cli(t, ['audit-trail:verify', '--organization', 'cut-town']);
    expect(command.status).toBe(1);
    expect(JSON.parse(command.stdout)).toMatchObject([
      { organization: 'cut-town', ok: false, firstBreak: { reason: 'missing_after_checkpoint', seq: checkpoint.seq } },
    ]);
    const api = await request(t.http).get('/api/v1/audit-trail/verify').set('Authorization', `Bearer ${officer.accessToken}`).expect(200);
    expect(api.body).toMatchObject({
      ok: false,
      firstBreak: { reason: 'missing_after_checkpoint', seq: checkpoint.seq, id: null },
      lastCheckpoint: { seq: checkpoint.seq },
    });

    // rows written after the cut (the verification just recorded) and checkpointed do not hide it
    expect(await t.get(AuditTrailCheckpoints).checkpoint(org)).toMatchObject({ written: true });
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({
      ok: false,
      checkpoints: 2,
      firstBreak: { reason: 'missing_after_checkpoint', seq: checkpoint.seq, checkpointId: checkpoint.id },
    });
  });

  it('cannot see rows cut after the last checkpoint: it says how far the chain is anchored', async () => {
    const org = await organization(t, 'late-town');
    await audit(t, org, 3);
    const { head } = await t.get(AuditTrailCheckpoints).checkpoint(org);
    await audit(t, org, 2, 'unanchored');
    await asOwner(t, async (client) => {
      await client.query('SET session_replication_role = replica');
      await client.query('DELETE FROM audit_trail WHERE organization_id = $1 AND seq > $2', [org, head!.seq]);
    });
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, lastSeq: head!.seq, lastCheckpoint: { seq: head!.seq } });
  });

  it('reports a checkpoint that Mamori did not sign, and keeps anchoring after it', async () => {
    const org = await organization(t, 'forged-town');
    await audit(t, org, 3);
    const head = (await chain(t, org)).at(-1)!;
    // a forged checkpoint claiming the chain went further (to make an intact chain look cut)
    const farSeq = String(BigInt(head.seq) + 1000n);
    await asOwner(t, (client) =>
      client.query(
        `INSERT INTO audit_trail_checkpoints (id, organization_id, seq, hash, key_id, signature, created_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now())`,
        [org, farSeq, 'f'.repeat(64), t.get(AuditTrailWriter).keyId, '0'.repeat(64)],
      ),
    );
    const result = await t.get(AuditTrailService).verify(org);
    expect(result).toMatchObject({
      ok: false,
      checked: 3,
      checkpoints: 0,
      lastCheckpoint: null,
      firstBreak: { reason: 'checkpoint_forged', seq: farSeq, id: null },
    });

    // the hourly job still anchors the genuine head
    expect(await t.get(AuditTrailCheckpoints).checkpoint(org)).toMatchObject({ written: true, head: { seq: head.seq } });
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({
      checkpoints: 1,
      lastCheckpoint: { seq: head.seq },
      firstBreak: { reason: 'checkpoint_forged' },
    });
  });

  it('sends the security office one daily mail with the anchored head line and what verification found', async () => {
    const org = await organization(t, 'digest-town');
    const officer = await createPerson(t, org, { roles: ['security_officer'] });
    const ciso = await createPerson(t, org, { roles: ['ciso'] });
    const staff = await createPerson(t, org);
    await audit(t, org, 2);
    const now = new Date('2026-12-01T00:00:00Z');
    const result = await runSchedule(t, 'security-digest', now);
    expect(result).toMatchObject({ day: '2026-12-01', digests: expect.any(Number) });
    const head = (await t.get(AuditTrailCheckpoints).latest(org))!;
    const digestsTo = async (email: string) => (await mailsTo(t, email)).filter((m) => m.subject.includes('操作ログ日次確認'));
    const [mail] = await digestsTo(officer.email);
    expect(mail!.subject).toBe('【Mamori】操作ログ日次確認 異常なし（2026-12-01）');
    expect(mail!.text).toContain(`番号 ${head.seq}、ハッシュ ${head.hash.slice(0, 16)}…`);
    expect(mail!.text).toContain(`署名 ${head.signature.slice(0, 16)}…`);
    expect(mail!.text).toMatch(/検証結果: 改ざんなし（\d+件を確認）/);
    expect(await digestsTo(ciso.email)).toHaveLength(1);
    expect(await digestsTo(staff.email)).toHaveLength(0);

    // once a day
    await runSchedule(t, 'security-digest', now);
    expect(await digestsTo(officer.email)).toHaveLength(1);

    // the next day, after the end was cut off, the mail says so
    await asOwner(t, async (client) => {
      await client.query('SET session_replication_role = replica');
      await client.query('DELETE FROM audit_trail WHERE organization_id = $1 AND seq >= $2', [org, head.seq]);
    });
    await runSchedule(t, 'security-digest', new Date('2026-12-02T00:00:00Z'));
    const [next] = await digestsTo(officer.email);
    expect(next!.subject).toBe('【Mamori】操作ログ日次確認 不整合あり（2026-12-02）');
    expect(next!.text).toContain(`番号 ${head.seq} で不整合（missing_after_checkpoint）`);
  });
});

describe('key rotation: rows name their key, and what older keys made is still read', () => {
  /** made here, never written down: a key of this repository is a published one */
  const KEY_B = randomBytes(24).toString('base64url');
  let a: TestApp;
  let b: TestApp | undefined;
  let c: TestApp | undefined;
  afterAll(async () => {
    await c?.close();
    await b?.close();
    await a.close();
    delete process.env.PREVIOUS_SECRET_KEYS;
  });

  it('verifies across a rotation, opens TOTP secrets, refuses access tokens of the previous key but refreshes its sessions, and names a key the ring lacks', async () => {
    a = await createTestApp();
    const appDatabaseUrl = process.env.DATABASE_URL!; // the application's connection to a's database
    const org = await organization(a, 'rotating-town');
    // the chain starts with a row as written before rows named their key: no key id, hashed without it
    const legacy = {
      id: '00000000-0000-4000-8000-00000000a001',
      organizationId: org,
      actorId: null,
      actorLabel: 'system:before-key-ids',
      action: 'test.legacy',
      entityType: 'test',
      entityId: null,
      changes: {},
      clientAddress: null,
      occurredAt: new Date(),
      previousHash: GENESIS_HASH,
    };
    expect(await chain(a, org)).toEqual([]);
    await appendBehindTheTriggers(a, { ...legacy, keyId: null }, a.get(AuditTrailWriter).key);
    const officer = await createPerson(a, org, { roles: ['security_officer'] });
    const fromA = await signIn(a, officer);
    const tokenFromA = fromA.accessToken;
    await audit(a, org, 2, 'key-a');
    const keyA = a.get(AuditTrailWriter).keyId;
    // a chain of key a's rows only
    const orgA = await organization(a, 'rotating-town-a');
    await audit(a, orgA, 2, 'key-a');
    await a.get(AuditTrailCheckpoints).checkpoint(org);
    expect(await a.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, checkpoints: 1 });

    // restarted with a new key, the old one kept as previous
    b = await createTestApp({ env: { DATABASE_URL: appDatabaseUrl, SECRET_KEY: KEY_B, PREVIOUS_SECRET_KEYS: TEST_SECRET_KEY } });
    const keyB = b.get(AuditTrailWriter).keyId;
    expect(keyB).not.toBe(keyA);
    expect(b.get(AuditTrailWriter).keys.map((key) => key.id)).toEqual([keyB, keyA]);
    await audit(b, org, 2, 'key-b');
    await b.get(AuditTrailCheckpoints).checkpoint(org);
    const rows = await chain(b, org);
    const firstOfB = rows.findIndex((row) => row.keyId === keyB);
    expect(rows[0]!.id).toBe(legacy.id);
    expect(rows.map((row) => row.keyId)).toEqual(rows.map((_, i) => (i === 0 ? null : i < firstOfB ? keyA : keyB)));
    expect(rows.length - firstOfB).toBe(2);
    expect(await b.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, checked: rows.length, checkpoints: 2, firstBreak: null });

    // the person enrolled under the old key still signs in with TOTP; an access token of the old key no longer works
    // (a retired key must not mint tokens), but the refresh token issued before the rotation gets a new pair that does
    await signIn(b, officer);
    expect(b.get(AccessTokens).verify(tokenFromA)).toBeNull();
    await request(b.http).get('/api/v1/audit-trail/verify').set('Authorization', `Bearer ${tokenFromA}`).expect(401);
    const refreshed = await request(b.http).post('/api/v1/auth/refresh').send({ refreshToken: fromA.refreshToken }).expect(200);
    await request(b.http)
      .get('/api/v1/audit-trail/verify')
      .set('Authorization', `Bearer ${refreshed.body.accessToken as string}`)
      .expect(200);

    // without the old key in the ring, verify names the key it lacks
    c = await createTestApp({ env: { DATABASE_URL: appDatabaseUrl, SECRET_KEY: KEY_B, PREVIOUS_SECRET_KEYS: '' } });
    const rowsOfA = await chain(c, orgA);
    const result = await c.get(AuditTrailService).verify(orgA);
    expect(result).toMatchObject({ ok: false, checked: 0, firstBreak: { reason: 'unknown_key', keyId: keyA, seq: rowsOfA[0]!.seq, id: rowsOfA[0]!.id } });
    expect(result.firstBreak!.detail).toContain(keyA);
    expect(c.get(AccessTokens).verify(tokenFromA)).toBeNull();
  });

  it('refuses what a leaked old key would add after the rotation: rows and checkpoints of an older key, rows without a key', async () => {
    // b runs on a's database: a's superuser connection reaches it
    const oldKey = a.get(AuditTrailWriter).keys[0]!;
    const keyB = b!.get(AuditTrailWriter).keyId;

    // a row sealed with the old key, appended after rows of the new one: its hash is right, its key is not
    const older = await organization(b!, 'older-key-town');
    await audit(b!, older, 2, 'key-b');
    const forged = forgedAfter((await chain(b!, older)).at(-1)!, oldKey.id);
    await appendBehindTheTriggers(a, forged, oldKey.trail);
    const result = await b!.get(AuditTrailService).verify(older);
    expect(result).toMatchObject({ ok: false, checked: 2, firstBreak: { reason: 'key_out_of_order', id: forged.id, keyId: oldKey.id } });
    expect(result.firstBreak!.detail).toContain(oldKey.id);

    // a row naming no key after keyed rows, sealed with the old key (or any): only the chain's start may have such rows
    const unnamed = await organization(b!, 'unnamed-key-town');
    await audit(b!, unnamed, 2, 'key-b');
    const bare = forgedAfter((await chain(b!, unnamed)).at(-1)!, null);
    await appendBehindTheTriggers(a, bare, oldKey.trail);
    expect(await b!.get(AuditTrailService).verify(unnamed)).toMatchObject({ ok: false, checked: 2, firstBreak: { reason: 'key_out_of_order', id: bare.id } });

    // a checkpoint signed with the old key after one of the new key (claiming rows that are not there)
    const anchored = await organization(b!, 'older-checkpoint-town');
    await audit(b!, anchored, 2, 'key-b');
    const { head } = await b!.get(AuditTrailCheckpoints).checkpoint(anchored);
    expect(head).toMatchObject({ keyId: keyB });
    const facts = { organizationId: anchored, seq: String(BigInt(head!.seq) + 1000n), hash: 'f'.repeat(64), keyId: oldKey.id, createdAt: new Date() };
    await asOwner(a, (client) =>
      client.query(
        `INSERT INTO audit_trail_checkpoints (id, organization_id, seq, hash, key_id, signature, created_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`,
        [anchored, facts.seq, facts.hash, facts.keyId, checkpointSignature(facts, oldKey.checkpoint), facts.createdAt],
      ),
    );
    expect(await b!.get(AuditTrailService).verify(anchored)).toMatchObject({
      ok: false,
      checkpoints: 1,
      lastCheckpoint: { seq: head!.seq },
      firstBreak: { reason: 'key_out_of_order', seq: facts.seq, id: null, keyId: oldKey.id },
    });
    // nor does it stop the hourly job anchoring the genuine head
    await audit(b!, anchored, 1, 'key-b');
    expect(await b!.get(AuditTrailCheckpoints).checkpoint(anchored)).toMatchObject({
      written: true,
      head: { seq: (await chain(b!, anchored)).at(-1)!.seq, keyId: keyB },
    });
  });
});

describe('production refuses the keys published in this repository', () => {
  const OWN = randomBytes(24).toString('base64url');
  const start = (script: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [join(projectRoot(), 'dist/src', script), ...(script === 'cli.js' ? ['help'] : [])], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...env },
      timeout: 30_000,
    });

  const refused = (result: ReturnType<typeof start>, variable: string, key: string) => {
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      new RegExp(`^Configuration error: ${variable} holds a key published in Mamori's repository \\(got \\(hidden\\)\\);[^\\n]*$`),
    );
    expect(result.stderr).not.toContain(key);
  };

  it.each(['main.js', 'worker.js'])('%s stops with one line naming the variable', (script) => {
    refused(start(script, { SECRET_KEY: 'compose-demo-secret-change-me-0123456789' }), 'SECRET_KEY', 'compose-demo-secret-change-me-0123456789');
  });

  // every published key is refused (environment.spec.ts); here, that the commands stop on it too
  it('the commands refuse a published key as SECRET_KEY or among PREVIOUS_SECRET_KEYS, and run on a key of your own', () => {
    refused(start('cli.js', { SECRET_KEY: PUBLISHED_SECRET_KEYS[0]! }), 'SECRET_KEY', PUBLISHED_SECRET_KEYS[0]!);
    refused(start('cli.js', { SECRET_KEY: OWN, PREVIOUS_SECRET_KEYS: TEST_SECRET_KEY }), 'PREVIOUS_SECRET_KEYS', TEST_SECRET_KEY);
    expect(start('cli.js', { SECRET_KEY: OWN }).status).toBe(0);
  });
});
