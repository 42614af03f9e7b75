import request from 'supertest';
import { In, Like } from 'typeorm';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuditTrailService } from '../../src/audit-trail/audit-trail.service.js';
import { AuthSession } from '../../src/auth/auth-session.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { DomainEventBus } from '../../src/common/events/domain-events.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { Course } from '../../src/training/course.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { acknowledgementDuties, countAcknowledgementDuties } from '../support/acknowledgements.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The set-based HR import over the API: what a large file writes, and what a bad one does not. */
describe('staff CSV import, set-based', () => {
  let t: TestApp;
  let org: string;
  let admin: string;
  let adminPerson: TestPerson;
  let somu: string;
  let zaisei: string;

  const HEADER = '職員番号,氏,名,氏カナ,名カナ,メールアドレス,所属コード,役割,在職状況,採用日,退職日';
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const upload = (lines: string[], query = '') =>
    request(t.http)
      .post(`/api/v1/staff/import${query}`)
      .set(as(admin))
      .attach('file', Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'), { filename: 'staff.csv', contentType: 'text/csv' });
  const counts = async () => ({
    staff: await t.dataSource.getRepository(Staff).countBy({ organizationId: org }),
    audit: await t.dataSource.getRepository(AuditTrailEntry).countBy({ organizationId: org }),
    outbox: await t.dataSource.getRepository(OutboxMessage).countBy({ organizationId: org }),
    duties: await countAcknowledgementDuties(t, { organizationId: org }),
  });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    zaisei = (await createDepartment(t, org, { code: 'ZAISEI', name: '財政課' })).id;
    adminPerson = await createPerson(t, org, { roles: ['admin'] });
    admin = (await signIn(t, adminPerson)).accessToken;
    // a policy in force that everyone acknowledges: joiners owe it
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    const ciso = await createPerson(t, org, { roles: ['ciso'] });
    const policy = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'basic-policy' });
    await t.get(PolicyVersionsService).approve(actorOf(ciso), policy.id, 1, { requireAcknowledgement: true });
  });
  afterAll(() => t.close());

  it('creates 700 people at once: one invitation each, their duties, audit rows like the API’s, a chain that verifies', async () => {
    const size = 700;
    const lines = Array.from(
      { length: size },
      (_, i) => `B${i},山田,太郎${i},ヤマダ,タロウ,bulk${i}@town.example,${i % 2 ? 'SOMU' : 'ZAISEI'},staff,在職,2024/04/01,`,
    );
    const joinedRuns: number[] = [];
    const off = t.get(DomainEventBus).subscribeAll('staff.joined', async (events) => void joinedRuns.push(events.length));
    const before = await counts();
    const response = await upload([HEADER, ...lines]).expect(200);
    off();
    expect(response.body).toEqual({ dryRun: false, rows: size, created: size, updated: 0, unchanged: 0 });
    expect(joinedRuns).toEqual([size]); // the joiners told in one run

    const people = await t.dataSource.getRepository(Staff).findBy({ organizationId: org, employeeNumber: Like('B%') });
    expect(people).toHaveLength(size);
    const b7 = people.find((p) => p.employeeNumber === 'B7')!;
    expect(b7).toMatchObject({
      familyName: '山田',
      givenName: '太郎7',
      email: 'bulk7@town.example',
      departmentId: somu,
      roles: ['staff'],
      joinedOn: '2024-04-01',
    });

    // one invitation intent per new person, as PasswordSetupService.requestLink writes it
    const invitations = await t.dataSource.getRepository(OutboxMessage).findBy({ organizationId: org, dedupeKey: In(people.map((p) => `welcome:${p.id}`)) });
    expect(invitations).toHaveLength(size);
    expect(invitations.find((m) => m.dedupeKey === `welcome:${b7.id}`)).toMatchObject({
      topic: 'auth.password_link',
      payload: { staffId: b7.id, purpose: 'invitation' },
    });

    // each joiner owes the policy in force, and is asked for it
    const duties = await acknowledgementDuties(t, { organizationId: org, staffIds: people.map((p) => p.id) });
    expect(duties).toHaveLength(size);
    const after = await counts();
    expect(after.staff - before.staff).toBe(size);
    expect(after.duties - before.duties).toBe(size);
    const asked = await t.dataSource.getRepository(OutboxMessage).findBy({ organizationId: org, topic: 'training.enrolled' });
    expect(new Set(asked.flatMap((m) => (m.payload as { enrolmentIds: string[] }).enrolmentIds)).size).toBeGreaterThanOrEqual(size);

    // audit rows: one per person, one per duty, one for the import; a person's row as the API writes it
    const created = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'staff.create', entityId: b7.id });
    const viaApi = await request(t.http)
      .post('/api/v1/staff')
      .set(as(admin))
      .send({
        employeeNumber: 'API-1',
        familyName: '山田',
        givenName: '太郎',
        familyNameKana: 'ヤマダ',
        givenNameKana: 'タロウ',
        email: 'api1@town.example',
        departmentId: somu,
        roles: ['staff'],
        joinedOn: '2024-04-01',
      })
      .expect(201);
    const apiRow = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'staff.create', entityId: viaApi.body.id });
    expect(Object.keys(created.changes).sort()).toEqual(Object.keys(apiRow.changes).sort());
    expect(created.changes.failedLoginCount).toEqual({ after: 0 });
    // a duty's row: the enrolment in the basic policy's acknowledgement course, made because the person joined
    const course = await t.dataSource.getRepository(Course).findOneByOrFail({ id: duties[0]!.courseId });
    expect(course).toMatchObject({ kind: 'policy_acknowledgement', title: '情報セキュリティ基本方針 第1版の確認' });
    const dutyRow = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'enrolment.enrol', entityId: duties[0]!.id });
    expect(dutyRow.changes.source).toEqual({ after: 'joined' });
    expect(dutyRow.changes['@context']).toEqual({ after: { courseId: course.id } });
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'enrolment.enrol', entityId: In(duties.map((d) => d.id)) })).toBe(size);
    const imported = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'staff.import', organizationId: org });
    expect(imported.changes['@context']).toEqual({ after: { dryRun: false, rows: size, created: size, updated: 0, unchanged: 0 } });

    // the chain: the import's 1,401 rows were chained in one insert, in order, after the rows before them
    const verified = await t.get(AuditTrailService).verify(org);
    expect(verified).toMatchObject({ ok: true });
    const chain = (await t.dataSource.query(
      `SELECT action, previous_hash, hash, lag(hash) OVER (ORDER BY seq) AS before FROM audit_trail WHERE organization_id = $1 ORDER BY seq`,
      [org],
    )) as { action: string; previous_hash: string; hash: string; before: string | null }[];
    expect(chain.slice(1).every((row) => row.previous_hash === row.before)).toBe(true);
  });

  it('updates known people in bulk: changed fields only, retirements end sessions, a returner keeps the duty owed (not twice)', async () => {
    const people = await Promise.all([0, 1, 2].map(() => createPerson(t, org, { departmentId: somu })));
    const [mover, leaver, keeper] = people as [TestPerson, TestPerson, TestPerson];
    await signIn(t, leaver);
    const onLeave = await createPerson(t, org, { departmentId: somu });
    await request(t.http).patch(`/api/v1/staff/${onLeave.staff.id}`).set(as(admin)).send({ status: 'on_leave' }).expect(200);
    const row = (p: TestPerson, changes: { given?: string; dept?: string; status?: string; left?: string } = {}) =>
      `${p.staff.employeeNumber},試験,${changes.given ?? '太郎'},,,${p.email},${changes.dept ?? 'SOMU'},staff,${changes.status ?? '在職'},,${changes.left ?? ''}`;
    const dutiesBefore = await countAcknowledgementDuties(t, { staffId: onLeave.staff.id });

    const preview = await upload(
      [HEADER, row(mover, { dept: 'ZAISEI', given: '次郎' }), row(leaver, { status: '退職', left: '2026/03/31' }), row(keeper), row(onLeave)],
      '?dryRun=true',
    ).expect(200);
    expect(preview.body).toEqual({ dryRun: true, rows: 4, created: 0, updated: 3, unchanged: 1 });
    expect((await t.dataSource.getRepository(Staff).findOneByOrFail({ id: mover.staff.id })).givenName).toBe('太郎');

    const response = await upload([
      HEADER,
      row(mover, { dept: 'ZAISEI', given: '次郎' }),
      row(leaver, { status: '退職', left: '2026/03/31' }),
      row(keeper),
      row(onLeave),
    ]).expect(200);
    expect(response.body).toEqual({ dryRun: false, rows: 4, created: 0, updated: 3, unchanged: 1 });
    const reread = async (p: TestPerson) => t.dataSource.getRepository(Staff).findOneByOrFail({ id: p.staff.id });
    expect(await reread(mover)).toMatchObject({ givenName: '次郎', departmentId: zaisei });
    expect(await reread(leaver)).toMatchObject({ status: 'retired', leftOn: '2026-03-31' });
    expect(await reread(onLeave)).toMatchObject({ status: 'active' });
    const updates = async (p: TestPerson) =>
      (await t.dataSource.getRepository(AuditTrailEntry).findBy({ action: 'staff.update', entityId: p.staff.id })).map((e) => e.changes);
    expect(await updates(mover)).toEqual([{ givenName: { before: '太郎', after: '次郎' }, departmentId: { before: somu, after: zaisei } }]);
    expect(await updates(keeper)).toEqual([]);
    const sessions = await t.dataSource.getRepository(AuthSession).findBy({ staffId: leaver.staff.id });
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    expect(await countAcknowledgementDuties(t, { staffId: onLeave.staff.id })).toBe(dutiesBefore); // owed already, not twice
    expect((await t.get(AuditTrailService).verify(org)).ok).toBe(true);
  });

  it('lists every bad line and field, including the ones only the database knows, and writes nothing', async () => {
    const before = await counts();
    const taken = await createPerson(t, org);
    const afterPerson = await counts();
    const response = await upload([
      HEADER,
      'C1,佐藤,一郎,サトウ,イチロウ,c1@town.example,SOMU,staff,在職,,',
      `C2,佐藤,二郎,サトウ,ジロウ,${taken.email},SOMU,staff,在職,,`,
      'C3,佐藤,,さとう,サブロウ,not-an-address,NOPE,staff;chief,休み,2024/13/01,',
      'C4,佐藤,四郎,サトウ,シロウ,c4@town.example,SOMU,admin,在職,,',
      'C1,佐藤,五郎,サトウ,ゴロウ,C1@town.example,SOMU,staff,在職,,',
    ]).expect(422);
    expect(response.body.code).toBe('STAFF_IMPORT_INVALID');
    const where = (response.body.errors as { line: number; field: string }[]).map((e) => `${e.line}:${e.field}`);
    expect(where).toEqual([
      '3:email',
      '4:departmentCode',
      '4:status',
      '4:givenName',
      '4:email',
      '4:roles',
      '4:joinedOn',
      '5:roles',
      '6:employeeNumber',
      '6:email',
    ]);
    expect(response.body.errors[0]).toEqual({ line: 3, field: 'email', messages: ['e-mail address already used by another staff member'] });
    expect(await counts()).toEqual(afterPerson);
    expect(afterPerson.staff).toBe(before.staff + 1);
  });

  it('reads the employment type (雇用形態) in its words; a file without the column leaves it as it is', async () => {
    const header = '職員番号,氏,名,メールアドレス,所属コード,雇用形態';
    await upload([header, 'E1,伊藤,一郎,e1@town.example,SOMU,会計年度任用職員', 'E2,伊藤,二郎,e2@town.example,SOMU,'], '').expect(200);
    const type = async (number: string) =>
      (await t.dataSource.getRepository(Staff).findOneByOrFail({ organizationId: org, employeeNumber: number })).employmentType;
    expect([await type('E1'), await type('E2')]).toEqual(['fiscal_year_appointed', 'regular']);
    const unchanged = await upload([
      '職員番号,氏,名,メールアドレス,所属コード',
      'E1,伊藤,一郎,e1@town.example,SOMU',
      'E3,伊藤,三郎,e3@town.example,SOMU',
    ]).expect(200);
    expect(unchanged.body).toMatchObject({ created: 1, updated: 0, unchanged: 1 });
    expect([await type('E1'), await type('E3')]).toEqual(['fiscal_year_appointed', 'regular']);
    const changed = await upload([header, 'E1,伊藤,一郎,e1@town.example,SOMU,臨時']).expect(200);
    expect(changed.body).toMatchObject({ updated: 1 });
    expect(await type('E1')).toBe('temporary');
    const refused = await upload([header, 'E2,伊藤,二郎,e2@town.example,SOMU,アルバイト']).expect(422);
    expect(refused.body.errors).toEqual([{ line: 2, field: 'employmentType', messages: [expect.stringContaining('アルバイト')] }]);
  });

  it('refuses a row that puts someone in a closed department; someone already in it keeps it', async () => {
    const header = '職員番号,氏,名,メールアドレス,所属コード';
    const haishi = await createDepartment(t, org, { code: 'HAISHI', name: '廃止課' });
    await upload([header, 'H1,廃止,一郎,h1@town.example,HAISHI', 'H3,廃止,三郎,h3@town.example,SOMU']).expect(200);
    await t.dataSource.getRepository(Department).update({ id: haishi.id }, { closedOn: '2026-11-01' });
    const before = await counts();
    const refused = await upload([header, 'H2,廃止,二郎,h2@town.example,HAISHI', 'H3,廃止,三郎,h3@town.example,HAISHI']).expect(422);
    expect(refused.body.errors).toEqual([
      { line: 2, field: 'departmentCode', messages: ['department "HAISHI" is closed'] },
      { line: 3, field: 'departmentCode', messages: ['department "HAISHI" is closed'] },
    ]);
    expect(await counts()).toEqual(before);
    // H1 is in it already: the row changes their name and keeps the department
    const kept = await upload([header, 'H1,廃止,一朗,h1@town.example,HAISHI']).expect(200);
    expect(kept.body).toMatchObject({ updated: 1 });
  });

  it('refuses a row that changes the importing administrator’s own roles, as the API does', async () => {
    const me = adminPerson.staff;
    const header = '職員番号,氏,名,メールアドレス,役割';
    const refused = await upload([header, `${me.employeeNumber},${me.familyName},${me.givenName},${me.email},admin;manager`]).expect(422);
    expect(refused.body.errors).toEqual([{ line: 2, field: 'roles', messages: ['you cannot change your own roles'] }]);
    // the same roles pass: a file may list the administrator among everyone else
    await upload([header, `${me.employeeNumber},${me.familyName},${me.givenName},${me.email},admin`]).expect(200);
  });

  it('refuses a file over 20 MB as 413 naming the file, and documents the limit', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    const refused = await request(t.http)
      .post('/api/v1/staff/import')
      .set(as(admin))
      .attach('file', big, { filename: 'staff.csv', contentType: 'text/csv' })
      .expect(413);
    expect(refused.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', errors: [{ field: 'file', messages: ['must be at most 20 MB'] }] });
    const docs = await request(t.http).get('/api/docs-json').set(as(admin)).expect(200);
    const operation = docs.body.paths['/api/v1/staff/import'].post;
    expect(JSON.stringify(operation)).toContain('20 MB');
  });
});
