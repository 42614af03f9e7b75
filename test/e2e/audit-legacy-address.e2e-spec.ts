import pg from 'pg';
import type { MigrationInterface } from 'typeorm';
import request from 'supertest';
import { HardenSignIn1796014047521 } from '../../migrations/1796014047521-HardenSignIn.js';
import { AdoptPolicyAcknowledgementsAsEnrolments1796102900000 } from '../../migrations/1796102900000-AdoptPolicyAcknowledgementsAsEnrolments.js';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { AuditTrailWriter, entryHash } from '../../src/audit-trail/audit-trail.writer.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { createPerson, signIn } from '../factories/staff.factory.js';
import { asOwner } from '../support/owner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Client addresses as the text column held them, forged ones among them. */
const STORED = ['not-an-address', '::ffff:127.0.0.1', '192.0.2.1/32', '2001:DB8::1', '198.51.100.7', "1.2.3.4' OR '1'='1"];

/** The migration, run as the owner through a query-runner-like client, in one transaction. */
const migrate = (t: TestApp, direction: 'up' | 'down', migration: MigrationInterface = new HardenSignIn1796014047521()) =>
  asOwner(t, async (owner) => {
    const queryRunner = { query: (sql: string, parameters?: unknown[]) => owner.query(sql, parameters).then((r: pg.QueryResult) => r.rows) };
    await migration[direction](queryRunner as never);
  });

/** A later migration dropped a table this one changes (acknowledgement_duties): undone around the test, so the schema is the one this migration knew. */
const LATER = new AdoptPolicyAcknowledgementsAsEnrolments1796102900000();

const stored = (t: TestApp, org: string) =>
  asOwner(t, async (owner) =>
    (await owner.query<{ text: string | null }>(`SELECT client_address AS text FROM audit_trail WHERE organization_id = $1 ORDER BY seq`, [org])).rows.map(
      (row) => row.text,
    ),
  );

describe('audit-trail rows stored with a text client address survive the change to inet', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await migrate(t, 'down', LATER);
  });
  afterAll(async () => {
    await migrate(t, 'up', LATER);
    await t.close();
  });

  it('keeps the text each row was sealed with, so verify stays ok, and down gives the text back', async () => {
    const org = (await t.get(OrganizationsService).ensure('legacy-town', '旧住所町')).id;
    const officer = await signIn(t, await createPerson(t, org, { roles: ['security_officer'] }));
    await t
      .get(UnitOfWork)
      .run({ ...systemActor(org, 'test'), clientAddress: '192.0.2.10' }, async (tx) => tx.audit({ action: 'test.inet', entityType: 'test' }));

    // back to before the migration: the column is text again
    await migrate(t, 'down');
    // rows the writer sealed while addresses were text (a forged X-Forwarded-For stored as it came)
    const writer = t.get(AuditTrailWriter);
    await asOwner(t, async (owner) => {
      for (const address of STORED) {
        const {
          rows: [last],
        } = await owner.query<{ hash: string }>(`SELECT hash FROM audit_trail WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1`, [org]);
        const row = {
          ...writer.pending({ ...systemActor(org, 'test'), clientAddress: address }, { action: 'test.text', entityType: 'test' }),
          previousHash: last!.hash,
        };
        await owner.query(
          `INSERT INTO audit_trail (id, organization_id, actor_id, actor_label, action, entity_type, entity_id, changes, client_address, occurred_at, key_id, previous_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            row.id,
            org,
            row.actorId,
            row.actorLabel,
            row.action,
            row.entityType,
            row.entityId,
            row.changes,
            address,
            row.occurredAt,
            row.keyId,
            row.previousHash,
            entryHash(row, writer.key),
          ],
        );
      }
    });
    const before = await stored(t, org);
    expect(before.slice(-STORED.length)).toEqual(STORED);

    await migrate(t, 'up');

    const rows = await t.dataSource.getRepository(AuditTrailEntry).find({ where: { organizationId: org }, order: { seq: 'ASC' } });
    const byText = new Map(rows.map((row, i) => [before[i], row]));
    expect(byText.get('not-an-address')).toMatchObject({ clientAddress: null, clientAddressLegacy: 'not-an-address' });
    expect(byText.get("1.2.3.4' OR '1'='1")).toMatchObject({ clientAddress: null, clientAddressLegacy: "1.2.3.4' OR '1'='1" });
    expect(byText.get('192.0.2.1/32')).toMatchObject({ clientAddress: '192.0.2.1', clientAddressLegacy: '192.0.2.1/32' });
    expect(byText.get('2001:DB8::1')).toMatchObject({ clientAddress: '2001:db8::1', clientAddressLegacy: '2001:DB8::1' });
    expect(byText.get('198.51.100.7')).toMatchObject({ clientAddress: '198.51.100.7', clientAddressLegacy: null });
    expect(byText.get('192.0.2.10')).toMatchObject({ clientAddress: '192.0.2.10', clientAddressLegacy: null });
    // legacy text exactly where inet reads the stored text back differently
    for (const [text, row] of byText) expect(row.clientAddressLegacy).toBe(row.clientAddress === text ? null : text);

    // every row still verifies, and the trail is append-only again
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, checked: rows.length, firstBreak: null });
    await expect(asOwner(t, (owner) => owner.query(`UPDATE audit_trail SET action = action WHERE organization_id = $1`, [org]))).rejects.toThrow(/append-only/);

    // the API shows the kept text (within its documented response)
    const api = await request(t.http).get('/api/v1/audit-trail?action=test.text').set('Authorization', `Bearer ${officer.accessToken}`).expect(200);
    expect(api.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ clientAddress: null, clientAddressLegacy: 'not-an-address' })]));

    // down gives every row back the text it was sealed with; up again keeps it again
    await migrate(t, 'down');
    expect(await stored(t, org)).toEqual(before);
    await migrate(t, 'up');
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({ ok: true, checked: rows.length });

    // the address of a row with legacy text is not covered by the hash; it must still be the one derived from that text
    const forged = byText.get('192.0.2.1/32')!;
    await asOwner(t, async (owner) => {
      await owner.query('SET LOCAL session_replication_role = replica');
      await owner.query(`UPDATE audit_trail SET client_address = '203.0.113.9' WHERE id = $1`, [forged.id]);
    });
    expect(await t.get(AuditTrailService).verify(org)).toMatchObject({ ok: false, firstBreak: { reason: 'hash_mismatch', id: forged.id } });
  });
});
