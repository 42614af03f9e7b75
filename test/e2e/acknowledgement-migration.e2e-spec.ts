import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { AdoptPolicyAcknowledgementsAsEnrolments1796102900000 } from '../../migrations/1796102900000-AdoptPolicyAcknowledgementsAsEnrolments.js';
import { systemActor } from '../../src/common/actor.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { CourseStatement } from '../../src/training/course-statement.entity.js';
import { Course } from '../../src/training/course.entity.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { asOwner } from '../support/owner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The migration, run as the owner through a query-runner-like client, in one transaction. */
const migrate = (t: TestApp, direction: 'up' | 'down') =>
  asOwner(t, async (owner) => {
    const queryRunner = { query: (sql: string, parameters?: unknown[]) => owner.query(sql, parameters).then((r: pg.QueryResult) => r.rows) };
    await new AdoptPolicyAcknowledgementsAsEnrolments1796102900000()[direction](queryRunner as never);
  });

interface DutyRow {
  id: string;
  staff_id: string;
  policy_version_id: string;
  due_on: string;
  created_at: Date;
  acknowledged_at: Date | null;
  client_address: string | null;
}

const duties = (t: TestApp) =>
  asOwner(
    t,
    async (owner) =>
      (
        await owner.query<DutyRow>(
          `SELECT id, staff_id, policy_version_id, due_on::text AS due_on, created_at, acknowledged_at, host(client_address) AS client_address
             FROM acknowledgement_duties ORDER BY id`,
        )
      ).rows,
  );

describe('the policies’ acknowledgement duties become enrolments of policy_acknowledgement courses (migration 1796102900000)', () => {
  let t: TestApp;
  let org: string;
  let somu: string;
  let kikaku: string;
  let people: Record<'a' | 'b' | 'retired', TestPerson>;
  let tmp: string;
  let versions: Record<'standards1' | 'standards2' | 'basic1', PolicyVersion>;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'ack-migration-town');
    somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    kikaku = (await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' })).id;
    const ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: kikaku });
    people = {
      a: await createPerson(t, org, { departmentId: somu }),
      b: await createPerson(t, org, { departmentId: somu }),
      retired: await createPerson(t, org, { departmentId: somu }),
    };
    // standards: version 1 approved, then superseded by version 2; basic policy: version 1 in force (no acknowledgement asked: no course yet)
    const sync = t.get(PoliciesSyncService);
    await sync.sync(systemActor(org, 'test'));
    const policy = (key: string) => t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key });
    const [standards, basic] = [await policy('standards'), await policy('basic-policy')];
    await t.get(PolicyVersionsService).approve(actorOf(ciso), standards.id, 1, {});
    await t.get(PolicyVersionsService).approve(actorOf(ciso), basic.id, 1, {});
    tmp = mkdtempSync(join(tmpdir(), 'mamori-ack-migration-'));
    cpSync(PoliciesSyncService.defaultRoot(), tmp, { recursive: true });
    const file = join(tmp, 'standards.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('少なくとも年1回開催して', '少なくとも年2回開催して'));
    await sync.sync(systemActor(org, 'test'), { root: tmp });
    await t.get(PolicyVersionsService).approve(actorOf(ciso), standards.id, 2, {});
    const version = (policyId: string, v: number) => t.dataSource.getRepository(PolicyVersion).findOneByOrFail({ policyId, version: v });
    versions = { standards1: await version(standards.id, 1), standards2: await version(standards.id, 2), basic1: await version(basic.id, 1) };
    expect([versions.standards1.status, versions.standards2.status, versions.basic1.status]).toEqual(['superseded', 'approved', 'approved']);
    // approved on either side of a fiscal year's end in Tokyo: 31 March 23:59 and 1 April 00:30
    await t.dataSource.query(`UPDATE policy_versions SET approved_at = '2024-03-31T14:59:00Z' WHERE id = $1`, [versions.basic1.id]);
    await t.dataSource.query(`UPDATE policy_versions SET approved_at = '2024-03-31T15:30:00Z' WHERE id = $1`, [versions.standards2.id]);
    await t.dataSource.query(`UPDATE policy_versions SET approved_at = '2023-06-01T01:00:00Z' WHERE id = $1`, [versions.standards1.id]);
  });
  afterAll(async () => {
    await t.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('moves every duty into an enrolment with its id, one course per version, and down() moves them back', async () => {
    // back to before the migration: the duties table, as the policies module wrote it
    await migrate(t, 'down');
    const ids = {
      a1: '00000000-0000-4000-8000-00000000a001',
      b1: '00000000-0000-4000-8000-00000000b001',
      a2: '00000000-0000-4000-8000-00000000a002',
      b2: '00000000-0000-4000-8000-00000000b002',
      r2: '00000000-0000-4000-8000-00000000c002',
      aBasic: '00000000-0000-4000-8000-00000000a003',
    };
    await asOwner(t, (owner) =>
      owner.query(
        `INSERT INTO acknowledgement_duties (id, organization_id, created_at, staff_id, policy_version_id, due_on, acknowledged_at, client_address) VALUES
           ($1, $7, '2023-06-01T01:00:00Z', $8, $11, '2023-07-01', '2023-06-10T03:00:00Z', '192.0.2.1'),
           ($2, $7, '2023-06-01T01:00:00Z', $9, $11, '2023-07-01', NULL, NULL),
           ($3, $7, '2024-03-31T15:30:00Z', $8, $12, '2024-04-30', NULL, NULL),
           ($4, $7, '2024-03-31T15:30:00Z', $9, $12, '2024-04-30', '2024-05-01T00:30:00Z', '2001:db8::7'),
           ($5, $7, '2024-05-20T00:00:00Z', $10, $12, '2024-06-19', NULL, NULL),
           ($6, $7, '2024-03-31T14:59:00Z', $8, $13, '2024-04-30', '2024-04-02T00:00:00Z', '198.51.100.7')`,
        [
          ids.a1,
          ids.b1,
          ids.a2,
          ids.b2,
          ids.r2,
          ids.aBasic,
          org,
          people.a.staff.id,
          people.b.staff.id,
          people.retired.staff.id,
          versions.standards1.id,
          versions.standards2.id,
          versions.basic1.id,
        ],
      ),
    );
    const before = await duties(t);
    expect(before).toHaveLength(6);
    // since then: the retired person left, person b moved to 企画課
    await t.dataSource.getRepository(Staff).update({ id: people.retired.staff.id }, { status: 'retired' });
    await t.dataSource.getRepository(Staff).update({ id: people.b.staff.id }, { departmentId: kikaku });

    await migrate(t, 'up');

    // one course per version, with the statement people sign, published while the version is in force
    const courses = await t.dataSource.getRepository(Course).find({ where: { organizationId: org, kind: 'policy_acknowledgement' } });
    const courseOf = (v: PolicyVersion) => courses.find((c) => c.policyVersionId === v.id)!;
    expect(courses).toHaveLength(3);
    expect(courseOf(versions.standards1)).toMatchObject({
      fiscalYear: 2023,
      title: '情報セキュリティ対策基準 第1版の確認',
      titleEn: 'Acknowledgement of Information Security Standards, version 1',
      audience: { all: true },
      opensOn: '2023-06-01',
      dueOn: '2023-07-01',
      status: 'closed',
      closedAt: expect.any(Date),
      statement: '情報セキュリティポリシー「情報セキュリティ対策基準」第1版を読み、遵守することを誓約します。',
      statementVersion: 1,
    });
    expect(courseOf(versions.standards2)).toMatchObject({
      fiscalYear: 2024,
      opensOn: '2024-04-01',
      dueOn: '2024-06-19', // the latest due day of its duties (a joiner's)
      status: 'published',
      publishedAt: new Date('2024-03-31T15:30:00Z'),
      closedAt: null,
    });
    expect(courseOf(versions.basic1)).toMatchObject({ fiscalYear: 2023, opensOn: '2024-03-31', dueOn: '2024-04-30', status: 'published' });
    const statements = await t.dataSource.getRepository(CourseStatement).findBy({ organizationId: org });
    expect(statements.map((s) => [s.courseId, s.version, s.text]).sort()).toEqual(courses.map((c) => [c.id, 1, c.statement]).sort());

    // each duty is an enrolment with the same id
    const enrolments = await t.dataSource.getRepository(Enrolment).findBy({ organizationId: org });
    const byId = new Map(enrolments.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual(before.map((d) => d.id).sort());
    for (const duty of before) {
      const enrolment = byId.get(duty.id)!;
      const course = courses.find((c) => c.policyVersionId === duty.policy_version_id)!;
      expect(enrolment).toMatchObject({
        courseId: course.id,
        fiscalYear: course.fiscalYear,
        staffId: duty.staff_id,
        source: 'migrated',
        enrolledAt: duty.created_at,
        dueOn: duty.due_on,
        completedAt: duty.acknowledged_at,
        completedVia: duty.acknowledged_at ? 'migrated' : null,
        completedById: duty.acknowledged_at ? duty.staff_id : null,
        statementVersion: duty.acknowledged_at ? 1 : null,
        clientAddress: duty.client_address,
      });
    }
    // credited to the person's department now; late when acknowledged after the due day (Tokyo); a leaver's open one withdrawn
    expect(byId.get(ids.b2)).toMatchObject({ departmentId: kikaku, completedLate: true });
    expect(byId.get(ids.a2)).toMatchObject({ departmentId: somu, completedLate: false, withdrawnAt: null });
    expect(byId.get(ids.aBasic)!.completedLate).toBe(false);
    expect(byId.get(ids.r2)!.withdrawnAt).toBeInstanceOf(Date);
    await expect(t.dataSource.query(`SELECT 1 FROM acknowledgement_duties`)).rejects.toThrow(/does not exist/);
    // a version with a course stays
    await expect(asOwner(t, (owner) => owner.query(`DELETE FROM policy_versions WHERE id = $1`, [versions.standards1.id]))).rejects.toThrow(/foreign key/);

    // down() gives the duties back as they were, and takes the courses away
    await migrate(t, 'down');
    expect(await duties(t)).toEqual(before);
    expect(await t.dataSource.getRepository(Course).countBy({ organizationId: org })).toBe(0);
    expect(await t.dataSource.getRepository(Enrolment).countBy({ organizationId: org })).toBe(0);
    await migrate(t, 'up');
    expect((await t.dataSource.getRepository(Enrolment).findBy({ organizationId: org })).map((e) => e.id).sort()).toEqual(before.map((d) => d.id).sort());
  });

  it('keeps the links working: the API lists and acknowledges a migrated duty by its id; the superseded version’s open one is no longer asked for', async () => {
    const bearer = { Authorization: `Bearer ${(await signIn(t, people.a)).accessToken}` };
    const mine = await request(t.http).get('/api/v1/acknowledgements/me').set(bearer).expect(200);
    expect(mine.body).toMatchObject({
      total: 3,
      items: [
        { id: '00000000-0000-4000-8000-00000000a002', version: 2, acknowledgedAt: null, dueOn: '2024-04-30' },
        { id: '00000000-0000-4000-8000-00000000a001', acknowledgedAt: '2023-06-10T03:00:00.000Z' },
        { id: '00000000-0000-4000-8000-00000000a003', acknowledgedAt: '2024-04-02T00:00:00.000Z' },
      ],
    });
    const done = await request(t.http).post('/api/v1/acknowledgements/00000000-0000-4000-8000-00000000a002/acknowledge').set(bearer).expect(200);
    expect(done.body).toMatchObject({ id: '00000000-0000-4000-8000-00000000a002', acknowledgedAt: expect.any(String), version: 2 });
    const again = await request(t.http).post('/api/v1/acknowledgements/00000000-0000-4000-8000-00000000a001/acknowledge').set(bearer).expect(409);
    expect(again.body.code).toBe('ALREADY_ACKNOWLEDGED');
    expect(await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id: '00000000-0000-4000-8000-00000000a002' })).toMatchObject({
      completedVia: 'self',
      statementVersion: 1,
      completedLate: true,
    });

    // person b's duty of version 1 was never done, but version 2 is in force: nothing is asked of them for version 1
    const b = { Authorization: `Bearer ${(await signIn(t, people.b)).accessToken}` };
    const theirs = await request(t.http).get('/api/v1/acknowledgements/me').set(b).expect(200);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).toEqual(['00000000-0000-4000-8000-00000000b002']);
    const closed = await request(t.http).post('/api/v1/acknowledgements/00000000-0000-4000-8000-00000000b001/acknowledge').set(b).expect(409);
    expect(closed.body.code).toBe('COURSE_NOT_PUBLISHED');
  });
});
