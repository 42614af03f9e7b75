import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordSetupService } from '../../src/auth/password-setup.service.js';
import { systemActor } from '../../src/common/actor.js';
import { excessPrivileges } from '../../src/database/database-privileges.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { ScrubPasswordLinksFromTheOutbox1796099000000 } from '../../migrations/1796099000000-ScrubPasswordLinksFromTheOutbox.js';
import { createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { asOwner } from '../support/owner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** What someone holding a copy of the database, or the app's own credentials, could do. */
describe('the database as an attacker with its credentials sees it', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
  });
  afterAll(() => t.close());

  describe("the app's role holds only what the app needs", () => {
    it('is no superuser and cannot switch the triggers off, rewrite the trail, truncate or change the schema', async () => {
      const [role] = (await t.dataSource.query(`SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user`)) as {
        name: string;
        rolsuper: boolean;
      }[];
      expect(role).toEqual({ name: 'mamori_test_app', rolsuper: false });
      await expect(t.dataSource.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`UPDATE audit_trail SET action = action`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`DELETE FROM audit_trail`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`TRUNCATE staff`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`ALTER TABLE audit_trail DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
      await expect(t.dataSource.query(`DROP TRIGGER audit_trail_append_only ON audit_trail`)).rejects.toThrow(/must be owner/);
      await expect(t.dataSource.query(`CREATE TABLE stash (x text)`)).rejects.toThrow(/permission denied/);
      await expect(t.dataSource.query(`INSERT INTO schema_migrations (timestamp, name) VALUES (1, 'x')`)).rejects.toThrow(/permission denied/);
      expect(await excessPrivileges(t.dataSource)).toEqual([]);
    });

    it('still does all its work: a person is created, signs in, and the change is in the trail', async () => {
      const admin = await signIn(t, await createPerson(t, org, { roles: ['admin'] }));
      const suffix = randomBytes(4).toString('hex');
      await request(t.http)
        .post('/api/v1/staff')
        .set({ Authorization: `Bearer ${admin.accessToken}` })
        .send({ employeeNumber: `R-${suffix}`, familyName: '権限', givenName: '確認', email: `r-${suffix}@test.example`, roles: ['staff'] })
        .expect(201);
      const [{ count }] = (await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_trail WHERE action = 'staff.create'`)) as { count: number }[];
      expect(count).toBeGreaterThan(0);
    });

    it('names what a superuser connection could do that the app must not', async () => {
      const owner = await new DataSource({ type: 'postgres', url: t.databaseUrl }).initialize();
      try {
        expect(await excessPrivileges(owner)).toEqual(expect.arrayContaining(['is a superuser', 'owns the audit trail table']));
      } finally {
        await owner.destroy();
      }
    });
  });

  describe('no live password link at rest', () => {
    const LINK = /http:\/\/localhost:3000\/password\/set\?token=(\S+)/;

    /** Rows of any table whose text holds `needle` (read as the owner: every table, whatever the app may see). */
    async function rowsHolding(needle: string): Promise<string[]> {
      return asOwner(t, async (owner) => {
        const { rows: tables } = await owner.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
        const found: string[] = [];
        for (const { name } of tables) {
          const { rows } = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" x WHERE x::text LIKE '%' || $1 || '%'`, [needle]);
          if (rows[0]!.n > 0) found.push(name);
        }
        return found;
      });
    }

    it('keeps neither the link, its secret nor the mail body anywhere once an invitation has been sent', async () => {
      const person = await createPerson(t, org);
      await t.get(PasswordSetupService).invite({ ...systemActor(org, 'test'), roles: ['admin'] }, person.staff.id);
      const mail = (await mailsTo(t, person.email)).find((m) => LINK.test(m.text));
      const token = LINK.exec(mail!.text)![1]!;
      expect(await t.get(PasswordSetupService).isUsable(token)).toBe(true);
      const secret = token.split('.')[1]!;
      expect(await rowsHolding(secret)).toEqual([]);
      expect(await rowsHolding('password/set?token=')).toEqual([]);
      expect(await rowsHolding(mail!.text.split('\n')[2]!.slice(0, 20))).toEqual([]);
    });

    it('scrubs the mails stored rendered before the outbox carried intents, and ends the links they held', async () => {
      const person = await createPerson(t, org);
      // a row as the old catch-all topic stored it: the whole mail, link included
      const link = await t.get(UnitOfWork).run(systemActor(org, 'test'), (tx) => t.get(PasswordSetupService).issue(tx, person.staff, 'invitation'));
      const token = link.url.split('token=')[1]!;
      await asOwner(t, (owner) =>
        owner.query(`INSERT INTO outbox_messages (organization_id, topic, dedupe_key, payload) VALUES ($1, 'notification.email', $2, $3)`, [
          org,
          `invitation:${link.tokenId}`,
          { to: person.email, subject: 'パスワードを設定してください', text: `次のリンクを開いてください。\n${link.url}\n` },
        ]),
      );
      expect(await rowsHolding(token.split('.')[1]!)).toEqual(['outbox_messages']);
      expect(await t.get(PasswordSetupService).isUsable(token)).toBe(true);

      await asOwner(t, async (owner) => {
        const queryRunner = { query: (sql: string, parameters?: unknown[]) => owner.query(sql, parameters).then((r: pg.QueryResult) => r.rows) };
        await new ScrubPasswordLinksFromTheOutbox1796099000000().up(queryRunner as never);
      });

      expect(await rowsHolding(token.split('.')[1]!)).toEqual([]);
      expect(await rowsHolding('password/set?token=')).toEqual([]);
      expect(await t.get(PasswordSetupService).isUsable(token)).toBe(false);
      const [row] = (await t.dataSource.query(`SELECT payload FROM outbox_messages WHERE dedupe_key = $1`, [`invitation:${link.tokenId}`])) as {
        payload: Record<string, unknown>;
      }[];
      expect(row!.payload).toEqual({ to: person.email, scrubbed: expect.any(String) });
    });
  });
});
