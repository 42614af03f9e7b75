import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import request from 'supertest';
import { In, IsNull, Like } from 'typeorm';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor, type Actor } from '../../src/common/actor.js';
import { AppException } from '../../src/common/errors/app.exception.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { addDays, addMonths, tokyoToday } from '../../src/common/calendar.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { ReviewDueService } from '../../src/policies/review-due.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { StaffService } from '../../src/staff/staff.service.js';
import { AcknowledgementsService } from '../../src/training/acknowledgements.service.js';
import { Course } from '../../src/training/course.entity.js';
import { CoursePublishedMail } from '../../src/training/training.notifications.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { acknowledgementDuties, countAcknowledgementDuties } from '../support/acknowledgements.js';
import { deliverOutbox, sentMails } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const shipped = PoliciesSyncService.defaultRoot();
const tmpDirs: string[] = [];
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

/** a copy of the shipped policies with standards.md edited */
function standardsWith(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-reviews-'));
  tmpDirs.push(dir);
  cpSync(shipped, dir, { recursive: true });
  const path = join(dir, 'standards.md');
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error('edit changed nothing');
  writeFileSync(path, after);
  return dir;
}

describe('policy reviews → revision → CISO approval (MFA) → acknowledgement duties', () => {
  let t: TestApp;
  let org: string;
  let people: Record<'ciso' | 'officer' | 'manager' | 'staffA' | 'staffB' | 'retired' | 'onLeave', TestPerson>;
  const bearer: Record<string, { Authorization: string }> = {};
  let standards: Policy;
  let basic: Policy;
  const today = tokyoToday();

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    const deptA = await createDepartment(t, org);
    const deptB = await createDepartment(t, org);
    people = {
      ciso: await createPerson(t, org, { roles: ['ciso'], departmentId: deptA.id }),
      officer: await createPerson(t, org, { roles: ['security_officer'], departmentId: deptB.id }),
      manager: await createPerson(t, org, { roles: ['manager'], departmentId: deptA.id }),
      staffA: await createPerson(t, org, { roles: ['staff'], departmentId: deptA.id }),
      staffB: await createPerson(t, org, { roles: ['staff'], departmentId: deptB.id }),
      retired: await createPerson(t, org, { roles: ['staff'], departmentId: deptA.id }),
      onLeave: await createPerson(t, org, { roles: ['staff'], departmentId: deptA.id }),
    };
    await t.dataSource.getRepository(Staff).update({ id: people.retired.staff.id }, { status: 'retired' });
    await t.dataSource.getRepository(Staff).update({ id: people.onLeave.staff.id }, { status: 'on_leave' });
    // one sign-in per person, tokens reused
    for (const key of ['ciso', 'officer', 'manager', 'staffA', 'staffB'] as const) {
      bearer[key] = { Authorization: `Bearer ${(await signIn(t, people[key])).accessToken}` };
    }
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    basic = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'basic-policy' });
  });
  afterAll(() => t.close());

  const http = () => request(t.http);
  const version = (policy: Policy, v: number) => t.dataSource.getRepository(PolicyVersion).findOneByOrFail({ policyId: policy.id, version: v });
  const reload = (policy: Policy) => t.dataSource.getRepository(Policy).findOneByOrFail({ id: policy.id });
  const audits = (action: string, entityId?: string) => t.dataSource.getRepository(AuditTrailEntry).countBy({ action, ...(entityId ? { entityId } : {}) });

  it('shows drafts (with text and diff) only to the security office; staff see approved versions only', async () => {
    const forOfficer = await http().get(`/api/v1/policies/${standards.id}/versions`).set(bearer.officer!).expect(200);
    expect(forOfficer.body).toMatchObject({ total: 1, items: [{ version: 1, status: 'draft' }] });
    expect(forOfficer.body.items[0].body).toBeUndefined();
    const forStaff = await http().get(`/api/v1/policies/${standards.id}/versions`).set(bearer.staffA!).expect(200);
    expect(forStaff.body).toEqual({ items: [], total: 0 });
    const draft = await http().get(`/api/v1/policies/${standards.id}/versions/1`).set(bearer.officer!).expect(200);
    expect(draft.body).toMatchObject({ version: 1, status: 'draft', body: expect.stringContaining('情報セキュリティ対策基準'), diff: null });
    const hidden = await http().get(`/api/v1/policies/${standards.id}/versions/1`).set(bearer.staffA!).expect(404);
    expect(hidden.body.code).toBe('POLICY_VERSION_NOT_FOUND');
    await http().get(`/api/v1/policies/00000000-0000-4000-8000-000000000000/versions`).set(bearer.officer!).expect(404);
  });

  it('only the CISO approves: a security officer is refused; the CISO approves version 1 and the next review is one interval on', async () => {
    const refused = await http().post(`/api/v1/policies/${standards.id}/versions/1/approve`).set(bearer.officer!).send({}).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const approved = await http().post(`/api/v1/policies/${standards.id}/versions/1/approve`).set(bearer.ciso!).send({}).expect(200);
    expect(approved.body).toMatchObject({
      version: { version: 1, status: 'approved', approvedBy: people.ciso.staff.id, acknowledgementRequired: false },
      superseded: [],
      nextReviewDue: addMonths(today, 12),
      acknowledgement: null,
    });
    expect(await reload(standards)).toMatchObject({ nextReviewDue: addMonths(today, 12), revisionRequested: false });
    expect(await countAcknowledgementDuties(t)).toBe(0);
    // now staff see it
    const forStaff = await http().get(`/api/v1/policies/${standards.id}/versions/1`).set(bearer.staffA!).expect(200);
    expect(forStaff.body).toMatchObject({ status: 'approved', body: expect.any(String) });
  });

  it('records reviews: validation, roles, no_change moves the next review, revise asks for a revision', async () => {
    const bad = await http().post(`/api/v1/policies/${standards.id}/reviews`).set(bearer.officer!).send({ outcome: 'maybe', notes: '' }).expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['notes', 'outcome']);
    await http()
      .post(`/api/v1/policies/${standards.id}/reviews`)
      .set(bearer.officer!)
      .send({ outcome: 'revise', notes: 'x'.repeat(4001) })
      .expect(400);
    await http().post(`/api/v1/policies/${standards.id}/reviews`).set(bearer.staffA!).send({ outcome: 'revise', notes: '改訂' }).expect(403);

    // no_change on basic-policy (never approved): next review one interval from today
    const noChange = await http().post(`/api/v1/policies/${basic.id}/reviews`).set(bearer.ciso!).send({ outcome: 'no_change', notes: '変更なし' }).expect(201);
    expect(noChange.body).toMatchObject({
      review: { outcome: 'no_change', policyVersionId: null, dueOn: null, reviewedById: people.ciso.staff.id },
      policy: { nextReviewDue: addMonths(today, basic.reviewIntervalMonths), revisionRequested: false },
    });

    const v1 = await version(standards, 1);
    const due = (await reload(standards)).nextReviewDue;
    const auditBefore = { review: await audits('policy_review.create'), policy: await audits('policy.update', standards.id) };
    const revise = await http()
      .post(`/api/v1/policies/${standards.id}/reviews`)
      .set(bearer.officer!)
      .send({ outcome: 'revise', notes: '委員会の開催回数を年2回に改める。' })
      .expect(201);
    expect(revise.body.review).toMatchObject({
      outcome: 'revise',
      policyVersionId: v1.id,
      dueOn: due,
      reviewedById: people.officer.staff.id,
      reviewedAt: expect.any(String),
    });
    const policy = await reload(standards);
    expect(policy).toMatchObject({ revisionRequested: true, nextReviewDue: due, lastReviewedAt: expect.any(Date) });
    expect(await audits('policy_review.create')).toBe(auditBefore.review + 1);
    expect(await audits('policy.update', standards.id)).toBe(auditBefore.policy + 1);

    const listed = await http().get(`/api/v1/policies/${standards.id}/reviews`).set(bearer.ciso!).expect(200);
    expect(listed.body).toMatchObject({ total: 1, items: [{ outcome: 'revise', notes: '委員会の開催回数を年2回に改める。' }] });
    await http().get(`/api/v1/policies/${standards.id}/reviews`).set(bearer.staffA!).expect(403);
  });

  const oldClause = '少なくとも年1回開催して';
  it('approves only the latest draft; approval supersedes the old version and drafts and creates a duty per active member of staff', async () => {
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'), { root: standardsWith(oldClause, '少なくとも年2回開催して') });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'), { root: standardsWith(oldClause, '少なくとも年3回開催して') });
    const [v1, v2, v3] = [await version(standards, 1), await version(standards, 2), await version(standards, 3)];
    expect([v1.status, v2.status, v3.status]).toEqual(['approved', 'draft', 'draft']);

    const notLatest = await http()
      .post(`/api/v1/policies/${standards.id}/versions/2/approve`)
      .set(bearer.ciso!)
      .send({ requireAcknowledgement: true })
      .expect(409);
    expect(notLatest.body).toMatchObject({ code: 'POLICY_VERSION_NOT_LATEST', latestVersion: 3 });
    const badDate = await http()
      .post(`/api/v1/policies/${standards.id}/versions/3/approve`)
      .set(bearer.ciso!)
      .send({ requireAcknowledgement: true, acknowledgementDueOn: addDays(today, -1) })
      .expect(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'acknowledgementDueOn' })]);
    await http().post(`/api/v1/policies/${standards.id}/versions/3/approve`).set(bearer.ciso!).send({ requireAcknowledgement: 'yes' }).expect(400);
    expect((await version(standards, 3)).status).toBe('draft');

    const dueOn = addDays(today, 14);
    const approved = await http()
      .post(`/api/v1/policies/${standards.id}/versions/3/approve`)
      .set(bearer.ciso!)
      .send({ requireAcknowledgement: true, acknowledgementDueOn: dueOn })
      .expect(200);
    expect(approved.body).toMatchObject({
      version: { version: 3, status: 'approved', acknowledgementRequired: true, approvedBy: people.ciso.staff.id },
      superseded: [1, 2],
      nextReviewDue: addMonths(today, 12),
      acknowledgement: { dueOn, duties: 5, emails: 5 },
    });
    expect((await Promise.all([1, 2, 3].map((n) => version(standards, n)))).map((v) => [v.status, v.supersededAt === null])).toEqual([
      ['superseded', false],
      ['superseded', false],
      ['approved', true],
    ]);
    expect(await reload(standards)).toMatchObject({ revisionRequested: false, nextReviewDue: addMonths(today, 12) });

    const active = [people.ciso, people.officer, people.manager, people.staffA, people.staffB].map((p) => p.staff.id).sort();
    // the duties: enrolments in the version's acknowledgement course, published to all active staff
    const course = await t.dataSource.getRepository(Course).findOneByOrFail({ organizationId: org, policyVersionId: v3.id });
    expect(course).toMatchObject({
      kind: 'policy_acknowledgement',
      status: 'published',
      dueOn,
      audience: { all: true },
      title: '情報セキュリティ対策基準 第3版の確認',
    });
    const duties = await acknowledgementDuties(t, { policyVersionId: v3.id });
    expect(duties.map((d) => d.staffId).sort()).toEqual(active); // not the retired, not the one on leave
    expect(duties.every((d) => d.dueOn === dueOn && d.acknowledgedAt === null && d.organizationId === org)).toBe(true);

    // the outbox carries the course's id (read when sent); each active person gets one mail, in their language
    const requests = await t.dataSource.getRepository(OutboxMessage).findBy({ organizationId: org, topic: 'training.course_published' });
    expect(requests.map((m) => m.payload)).toEqual([{ courseId: course.id }]);
    const mails = (await deliverOutbox(t, { organizationId: org, topic: 'training.course_published', dispatchedAt: IsNull() })).filter((m) =>
      m.subject.includes('第3版'),
    );
    const emails = await t.dataSource.getRepository(Staff).findBy({ id: In(active) });
    expect(mails.map((m) => m.to).sort()).toEqual(emails.map((p) => p.email).sort());
    const toStaffA = mails.find((m) => m.to === people.staffA.email)!;
    expect(toStaffA).toMatchObject({ to: people.staffA.email, subject: expect.stringContaining('情報セキュリティ対策基準') });
    expect(toStaffA.text).toContain('試験 太郎 様');
    expect(toStaffA.text).toContain('第3版');

    for (const [id, action] of [
      [v1.id, 'policy_version.supersede'],
      [v2.id, 'policy_version.supersede'],
      [v3.id, 'policy_version.approve'],
      [course.id, 'course.create'],
      [course.id, 'course.publish'],
    ] as const) {
      expect(await audits(action, id)).toBe(1);
    }

    // an approved or superseded version cannot be approved (again)
    const again = await http().post(`/api/v1/policies/${standards.id}/versions/3/approve`).set(bearer.ciso!).send({}).expect(409);
    expect(again.body).toMatchObject({ code: 'POLICY_VERSION_NOT_DRAFT', status: 409 });
    const superseded = await http().post(`/api/v1/policies/${standards.id}/versions/1/approve`).set(bearer.ciso!).send({}).expect(409);
    expect(superseded.body.code).toBe('POLICY_VERSION_NOT_DRAFT');
    await http().post(`/api/v1/policies/${standards.id}/versions/9/approve`).set(bearer.ciso!).send({}).expect(404);

    // staff see the versions that were in force (3, and 1 before it), never a draft — not even v2, skipped by the approval of v3
    const forStaff = await http().get(`/api/v1/policies/${standards.id}/versions`).set(bearer.staffA!).expect(200);
    expect((forStaff.body.items as { version: number }[]).map((v) => v.version)).toEqual([3, 1]);
    await http().get(`/api/v1/policies/${standards.id}/versions/2`).set(bearer.staffA!).expect(404);
    await http().get(`/api/v1/policies/${standards.id}/versions/1`).set(bearer.staffA!).expect(200);
  });

  it('lets each person acknowledge their own duty once, and counts acknowledgements (a manager: their department)', async () => {
    const v3 = await version(standards, 3);
    const mine = await http().get('/api/v1/acknowledgements/me').set(bearer.staffA!).expect(200);
    expect(mine.body).toMatchObject({
      total: 1,
      items: [{ policyTitle: '情報セキュリティ対策基準', version: 3, acknowledgedAt: null, policyVersionId: v3.id }],
    });
    const dutyA = mine.body.items[0].id as string;
    const dutyB = (await acknowledgementDuties(t, { staffId: people.staffB.staff.id, policyVersionId: v3.id }))[0]!.id;

    const other = await http().post(`/api/v1/acknowledgements/${dutyB}/acknowledge`).set(bearer.staffA!).expect(404);
    expect(other.body.code).toBe('ACKNOWLEDGEMENT_DUTY_NOT_FOUND');
    const done = await http().post(`/api/v1/acknowledgements/${dutyA}/acknowledge`).set(bearer.staffA!).expect(200);
    expect(done.body).toMatchObject({ id: dutyA, acknowledgedAt: expect.any(String), version: 3 });
    const twice = await http().post(`/api/v1/acknowledgements/${dutyA}/acknowledge`).set(bearer.staffA!).expect(409);
    expect(twice.body.code).toBe('ALREADY_ACKNOWLEDGED');
    const stored = (await acknowledgementDuties(t, { staffId: people.staffA.staff.id })).find((d) => d.id === dutyA)!;
    expect(stored.acknowledgedAt).toBeInstanceOf(Date);
    expect(stored.clientAddress).toEqual(expect.any(String));
    expect(await audits('enrolment.complete', dutyA)).toBe(1);

    const after = await http().get('/api/v1/acknowledgements/me').set(bearer.staffA!).expect(200);
    expect(after.body.items[0].acknowledgedAt).toEqual(expect.any(String));
    const acknowledgements = t.get(AcknowledgementsService);
    expect(await acknowledgements.openDuties(actorOf(people.staffA, { mfa: false }))).toEqual([]);
    expect(await acknowledgements.openDuties(actorOf(people.staffB, { mfa: false }))).toEqual([
      { id: dutyB, policyTitle: '情報セキュリティ対策基準', policyTitleEn: 'Information Security Standards', version: 3, dueOn: addDays(today, 14) },
    ]);

    const whole = await http().get(`/api/v1/policies/${standards.id}/versions/3/acknowledgements`).set(bearer.officer!).expect(200);
    expect(whole.body).toMatchObject({ total: 5, acknowledged: 1, rate: 0.2, departmentId: null });
    expect(whole.body.items).toBeUndefined();
    const department = await http().get(`/api/v1/policies/${standards.id}/versions/3/acknowledgements?items=true`).set(bearer.manager!).expect(200);
    // department A: the ciso, the manager and staff A (the retired and on-leave people have no duty)
    expect(department.body).toMatchObject({ total: 3, acknowledged: 1, rate: 0.3333, departmentId: people.manager.staff.departmentId });
    expect((department.body.items as { staffId: string }[]).map((i) => i.staffId).sort()).toEqual(
      [people.ciso, people.manager, people.staffA].map((p) => p.staff.id).sort(),
    );
    await http().get(`/api/v1/policies/${standards.id}/versions/3/acknowledgements`).set(bearer.staffA!).expect(403);
  });

  it('refuses approval from a session without a second factor, even for the CISO', async () => {
    const service = t.get(PolicyVersionsService);
    const error = await service.approve(actorOf(people.ciso, { mfa: false }), basic.id, 1, {}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).code).toBe('APPROVAL_REQUIRES_SECOND_FACTOR');
    expect((error as AppException).status).toBe(403);
    expect((await version(basic, 1)).status).toBe('draft');
  });

  it('creates duties, audit rows and e-mails for ~400 staff in one approval (timed in npm run bench)', async () => {
    await t.dataSource.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email)
       SELECT $1, 'BULK' || n, '一括', '職員' || n, 'bulk' || n || '@test.example' FROM generate_series(1, 400) n`,
      [org],
    );
    const approved = await t.get(PolicyVersionsService).approve(actorOf(people.ciso, { mfa: true }), basic.id, 1, { requireAcknowledgement: true });
    expect(approved.acknowledgement).toEqual({ dueOn: addDays(today, 30), duties: 405, emails: 405 });
    const v1 = await version(basic, 1);
    const duties = await acknowledgementDuties(t, { policyVersionId: v1.id });
    expect(duties).toHaveLength(405);
    // the publication's audit row says how many it enrolled; each enrolment says it came from it
    const courseId = duties[0]!.courseId;
    const published = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'course.publish', entityId: courseId });
    expect(published.changes['@context']).toEqual({ after: expect.objectContaining({ enrolled: 405, audience: { all: true } }) });
    expect(Number((await t.dataSource.query(`SELECT count(*) FROM enrolments WHERE course_id = $1 AND source = 'publish'`, [courseId]))[0].count)).toBe(405);
    // one e-mail each, asked for by one outbox message carrying the course's id (not 405 rendered mails)
    const requests = await t.dataSource
      .getRepository(OutboxMessage)
      .createQueryBuilder('m')
      .where("m.topic = 'training.course_published' AND m.payload ->> 'courseId' = :courseId", { courseId })
      .getMany();
    expect(requests).toHaveLength(1);
    const recipients = await t.get(CoursePublishedMail).recipients(t.dataSource.manager, { courseId }, org);
    expect(recipients.map((r) => r.key).sort()).toEqual(duties.map((d) => d.id).sort());
  });

  it('gives the duties of the versions in force to someone who joins later, and to someone back from leave', async () => {
    const inForce = await t.dataSource.getRepository(PolicyVersion).findBy({ organizationId: org, status: 'approved', acknowledgementRequired: true });
    expect(inForce.length).toBeGreaterThan(0);
    const newcomer = await createPerson(t, org); // created through StaffService, like the API and the import
    const dutiesOf = (staffId: string) => acknowledgementDuties(t, { staffId });
    const owed = await dutiesOf(newcomer.staff.id);
    expect(owed.map((d) => d.policyVersionId).sort()).toEqual(inForce.map((v) => v.id).sort());
    expect(owed.every((d) => d.dueOn === addDays(today, 30) && d.acknowledgedAt === null)).toBe(true);
    const asked = await t.dataSource
      .getRepository(OutboxMessage)
      .createQueryBuilder('m')
      .where("m.topic = 'training.enrolled' AND m.payload -> 'enrolmentIds' ?| :ids", { ids: owed.map((d) => d.id) })
      .getMany();
    expect(asked.flatMap((m) => (m.payload as { enrolmentIds: string[] }).enrolmentIds).sort()).toEqual(owed.map((d) => d.id).sort());
    // one e-mail for each version owed
    expect(owed.length).toBeGreaterThanOrEqual(2);
    const mails = await deliverOutbox(t, { id: In(asked.map((m) => m.id)) });
    expect(
      mails
        .filter((m) => m.to === newcomer.email)
        .map((m) => m.subject)
        .sort(),
    ).toHaveLength(owed.length);

    expect(await dutiesOf(people.onLeave.staff.id)).toEqual([]);
    const admin: Actor = { ...systemActor(org, 'test'), roles: ['admin'] };
    await t.get(StaffService).update(admin, people.onLeave.staff.id, { status: 'active' });
    expect(await dutiesOf(people.onLeave.staff.id)).toHaveLength(inForce.length);
  });

  it('closes the acknowledgement course of the version a new approval supersedes; joiners owe the version in force, whatever its fiscal year', async () => {
    const v3 = await version(standards, 3);
    const v3Course = await t.dataSource.getRepository(Course).findOneByOrFail({ organizationId: org, policyVersionId: v3.id });
    const doneBefore = await countAcknowledgementDuties(t, { policyVersionId: v3.id, acknowledged: true });
    expect(doneBefore).toBeGreaterThan(0);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'), { root: standardsWith(oldClause, '少なくとも年4回開催して') });
    const approved = await t.get(PolicyVersionsService).approve(actorOf(people.ciso, { mfa: true }), standards.id, 4, { requireAcknowledgement: true });
    expect(approved).toMatchObject({ superseded: [3], acknowledgement: { duties: expect.any(Number) } });
    const v4 = await version(standards, 4);
    const courses = await t.dataSource.getRepository(Course).findBy({ organizationId: org, kind: 'policy_acknowledgement' });
    expect(courses.find((c) => c.policyVersionId === v3.id)).toMatchObject({ status: 'closed', closedAt: expect.any(Date) });
    expect(courses.find((c) => c.policyVersionId === v4.id)).toMatchObject({ status: 'published', title: '情報セキュリティ対策基準 第4版の確認' });
    expect(await audits('course.close', v3Course.id)).toBe(1);
    // what was acknowledged stays; what was not is asked no more (version 4 is)
    expect(await countAcknowledgementDuties(t, { policyVersionId: v3.id, acknowledged: true })).toBe(doneBefore);
    const mine = await http().get('/api/v1/acknowledgements/me').set(bearer.staffB!).expect(200);
    const owedOfStandards = (mine.body.items as { policyId: string; version: number; acknowledgedAt: string | null }[]).filter(
      (i) => i.policyId === standards.id && i.acknowledgedAt === null,
    );
    expect(owedOfStandards.map((i) => i.version)).toEqual([4]);
    const open = await t.get(AcknowledgementsService).openByVersion(actorOf(people.officer, { mfa: false }), today);
    expect(open.filter((row) => row.policyKey === 'standards').map((row) => row.version)).toEqual([4]);

    // a version approved in an earlier fiscal year is still acknowledged by whoever joins while it is in force
    await t.dataSource.query(`UPDATE courses SET fiscal_year = fiscal_year - 2 WHERE policy_version_id = $1`, [v4.id]);
    const joiner = await createPerson(t, org);
    const owed = await acknowledgementDuties(t, { staffId: joiner.staff.id });
    expect(owed.map((d) => d.policyVersionId).sort()).toEqual(
      (await t.dataSource.getRepository(PolicyVersion).findBy({ organizationId: org, status: 'approved', acknowledgementRequired: true }))
        .map((v) => v.id)
        .sort(),
    );
    expect(owed.find((d) => d.policyVersionId === v4.id)!.dueOn).toBe(addDays(today, 30));
    expect(owed.some((d) => d.policyVersionId === v3.id)).toBe(false);
  });
});

describe('daily review-due job', () => {
  let t: TestApp;
  let org: string;
  let officer: TestPerson;
  let ciso: TestPerson;
  let standards: Policy;
  let basic: Policy;

  beforeAll(async () => {
    t = await createTestApp({ runJobs: true });
    org = await testOrganization(t);
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    ciso = await createPerson(t, org, { roles: ['ciso', 'staff'] });
    const retiredOfficer = await createPerson(t, org, { roles: ['security_officer'] });
    await t.dataSource.getRepository(Staff).update({ id: retiredOfficer.staff.id }, { status: 'retired' });
    await createPerson(t, org, { roles: ['staff'] });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    basic = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'basic-policy' });
  });
  afterAll(async () => {
    const schedules = t.app.get<Queue>(getQueueToken('schedules'));
    for (const job of await schedules.getRepeatableJobs()) await schedules.removeRepeatableByKey(job.key);
    await schedules.obliterate({ force: true }).catch(() => undefined);
    await t.close();
  });

  it('registers the repeatable job once, with its fixed id, at 08:00 Asia/Tokyo', async () => {
    const queue = t.app.get<Queue>(getQueueToken('schedules'));
    // other features register their own schedules beside it (audit-trail-checkpoint, security-digest)
    const repeatable = (await queue.getRepeatableJobs()).filter((job) => job.name === 'review-due');
    expect(repeatable).toEqual([expect.objectContaining({ name: 'review-due', id: 'review-due-daily', cron: '0 8 * * *', tz: 'Asia/Tokyo' })]);
  });

  it('writes one e-mail per policy, kind and recipient (security officers and CISO), however often it runs', async () => {
    const today = tokyoToday();
    const yesterday = addDays(today, -1);
    const inTenDays = addDays(today, 10);
    await t.dataSource.getRepository(Policy).update({ id: standards.id }, { nextReviewDue: yesterday });
    await t.dataSource.getRepository(Policy).update({ id: basic.id }, { nextReviewDue: inTenDays });
    const processor = t.get(ReviewDueService);
    const recipients = [officer.staff.id, ciso.staff.id];

    // 25 days ago, standards was due within 30 days and basic-policy (35 days away) was not
    const earlier = await processor.findDueReviews(new Date(Date.now() - 25 * 86_400_000));
    expect(earlier).toMatchObject({ policiesDue: 1, policiesNotified: 1, dueSoon: 1, overdue: 0, emails: 2 });

    const first = await processor.findDueReviews();
    expect(first).toMatchObject({ today, policiesDue: 2, policiesNotified: 2, dueSoon: 1, overdue: 1, emails: 4 });
    const second = await processor.findDueReviews();
    expect(second).toMatchObject({ policiesDue: 2, policiesNotified: 0, emails: 0 });

    const messages = await t.dataSource.getRepository(OutboxMessage).findBy({ organizationId: org, dedupeKey: Like('review-due:%') });
    const expected = [
      ...recipients.map((id) => `review-due:${standards.id}:${yesterday}:due_soon:${id}`),
      ...recipients.map((id) => `review-due:${standards.id}:${yesterday}:overdue:${id}`),
      ...recipients.map((id) => `review-due:${basic.id}:${inTenDays}:due_soon:${id}`),
    ];
    expect(messages.map((m) => m.dedupeKey).sort()).toEqual(expected.sort());
    const overdue = messages.find((m) => m.dedupeKey === `review-due:${standards.id}:${yesterday}:overdue:${officer.staff.id}`)!;
    expect(overdue.payload).toEqual({ policyId: standards.id, staffId: officer.staff.id, dueOn: yesterday, kind: 'overdue' });
    // this app runs its jobs: the relay may be sending the message at the moment the test delivers it too (then it is
    // "being sent by another worker", and sent once by the relay); either way, one mail
    const overdueMail = () => sentMails(t).filter((m) => m.to === officer.email && m.subject.includes('期限超過'));
    for (let waited = 0; overdueMail().length === 0 && waited < 20_000; waited += 100) {
      await deliverOutbox(t, { id: overdue.id }).catch((error: unknown) => {
        if (!/being sent by another worker/.test(String(error))) throw error;
      });
      if (overdueMail().length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(overdueMail()).toEqual([expect.objectContaining({ to: officer.email, subject: expect.stringContaining('期限超過') })]);
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'policy.review_reminder', entityId: In([standards.id, basic.id]) })).toBe(3);
    const reminder = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'policy.review_reminder', entityId: basic.id });
    expect(reminder.actorLabel).toBe('system:scheduler');
  });
});
