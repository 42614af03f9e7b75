import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuditTrailCheckpoints } from '../../src/audit-trail/audit-trail-checkpoints.service.js';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { AuditTrailWriter } from '../../src/audit-trail/audit-trail.writer.js';
import { createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { asOwner } from '../support/owner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('audit trail', () => {
  let t: TestApp;
  let org: string;
  let officer: string;
  let staffToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    officer = (await signIn(t, await createPerson(t, org, { roles: ['admin', 'security_officer'] }))).accessToken;
    staffToken = (await signIn(t, await createPerson(t, org))).accessToken;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('writes one chained row per change with actor, before/after, client address and time', async () => {
    const created = await request(t.http).post('/api/v1/departments').set(as(officer)).send({ code: 'KAIKEI', name: '会計課' }).expect(201);
    await request(t.http).patch(`/api/v1/departments/${created.body.id}`).set(as(officer)).send({ name: '会計室' }).expect(200);
    const rows = await t.dataSource.getRepository(AuditTrailEntry).find({ where: { entityId: created.body.id }, order: { seq: 'ASC' } });
    expect(rows.map((r) => r.action)).toEqual(['department.create', 'department.update']);
    expect(rows[1].changes).toEqual({ name: { before: '会計課', after: '会計室' } });
    expect(rows[1]).toMatchObject({ actorLabel: expect.stringContaining('@'), clientAddress: expect.stringMatching(/127\.0\.0\.1/) });
    expect(rows[1].previousHash).toBe(rows[0].hash);
    // each row names the key that sealed it (a public id, not the key)
    expect(rows.map((r) => r.keyId)).toEqual([t.get(AuditTrailWriter).keyId, t.get(AuditTrailWriter).keyId]);
    expect(rows[0].keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("is refused UPDATE, DELETE and TRUNCATE by the database: the app's role has no such right, and the trigger stops even the owner", async () => {
    expect(await t.get(AuditTrailCheckpoints).checkpoint(org)).toMatchObject({ written: true });
    await expect(t.dataSource.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    for (const table of ['audit_trail', 'audit_trail_checkpoints']) {
      await expect(t.dataSource.query(`UPDATE ${table} SET seq = seq`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`TRUNCATE ${table}`)).rejects.toThrow(/permission denied/);
      await expect(asOwner(t, (owner) => owner.query(`UPDATE ${table} SET seq = seq`))).rejects.toThrow(/append-only/);
      await expect(asOwner(t, (owner) => owner.query(`DELETE FROM ${table}`))).rejects.toThrow(/append-only/);
      await expect(asOwner(t, (owner) => owner.query(`TRUNCATE ${table}`))).rejects.toThrow(/append-only/);
    }
  });

  it('lists with filters and pagination, for the roles that may read it', async () => {
    const page = await request(t.http).get('/api/v1/audit-trail?action=department.*&pageSize=1').set(as(officer)).expect(200);
    expect(page.body.total).toBeGreaterThanOrEqual(2);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].action).toMatch(/^department\./);
    const denied = await request(t.http).get('/api/v1/audit-trail').set(as(staffToken)).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const bad = await request(t.http).get('/api/v1/audit-trail?from=yesterday').set(as(officer)).expect(400);
    expect(bad.body.errors[0].field).toBe('from');
  });

  it("verifies the chain, and finds a row altered behind the trigger's back", async () => {
    const ok = await request(t.http).get('/api/v1/audit-trail/verify').set(as(officer)).expect(200);
    expect(ok.body).toMatchObject({ ok: true, firstBreak: null, checkpoints: 1, lastCheckpoint: { seq: expect.stringMatching(/^\d+$/) } });
    expect(ok.body.checked).toBeGreaterThan(5);

    const victim = await t.dataSource.getRepository(AuditTrailEntry).findOneOrFail({ where: { organizationId: org, action: 'department.update' } });
    await asOwner(t, async (owner) => {
      await owner.query(`SET LOCAL session_replication_role = replica`);
      await owner.query(`UPDATE audit_trail SET changes = '{"name": {"after": "改ざん"}}' WHERE id = $1`, [victim.id]);
    });
    const broken = await request(t.http).get('/api/v1/audit-trail/verify').set(as(officer)).expect(200);
    expect(broken.body).toMatchObject({ ok: false, firstBreak: { id: victim.id, seq: victim.seq, reason: 'hash_mismatch' } });
  });

  it('appends a bulk of more entries than one staging statement takes: every entry once, in chain order, and the chain verifies', async () => {
    const bulk = await t.dataSource.query(`INSERT INTO organizations (code, name) VALUES ('bulk-town', '一括町') RETURNING id`);
    const bulkOrg = bulk[0].id as string;
    const { systemActor } = await import('../../src/common/actor.js');
    const writer = t.get(AuditTrailWriter);
    const count = 20_000 * 2 + 7; // three staging statements
    const entries = await writer.prepareMany(
      systemActor(bulkOrg, 'test'),
      Array.from({ length: count }, (_, i) => ({ action: 'test.bulk', entityType: 'test', entityId: String(i) })),
    );
    await t.dataSource.transaction((manager) => writer.appendAll(manager, entries));
    const rows = (await t.dataSource.query(`SELECT entity_id FROM audit_trail WHERE organization_id = $1 ORDER BY seq`, [bulkOrg])) as { entity_id: string }[];
    expect(rows.map((row) => Number(row.entity_id))).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(await t.get(AuditTrailService).verify(bulkOrg)).toMatchObject({ ok: true, checked: count });
  }, 120_000);

  it("finds a row deleted behind the trigger's back as a broken link", async () => {
    const other = await t.dataSource.query(`INSERT INTO organizations (code, name) VALUES ('other-town', '別町') RETURNING id`);
    const otherOrg = other[0].id as string;
    const service = t.get(AuditTrailService);
    const { UnitOfWork } = await import('../../src/database/unit-of-work.js');
    const { systemActor } = await import('../../src/common/actor.js');
    for (const n of [1, 2, 3])
      await t.get(UnitOfWork).run(systemActor(otherOrg, 'test'), async (tx) => tx.audit({ action: 'test.event', entityType: 'test', entityId: String(n) }));
    expect((await service.verify(otherOrg)).ok).toBe(true);
    const middle = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ organizationId: otherOrg, entityId: '2' });
    await asOwner(t, async (owner) => {
      await owner.query(`SET LOCAL session_replication_role = replica`);
      await owner.query(`DELETE FROM audit_trail WHERE id = $1`, [middle.id]);
    });
    const result = await service.verify(otherOrg);
    expect(result).toMatchObject({ ok: false, checked: 1, firstBreak: { reason: 'broken_link' } });
  });
});
