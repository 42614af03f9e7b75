import request from 'supertest';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { StaffService } from '../../src/staff/staff.service.js';
import { Course } from '../../src/training/course.entity.js';
import { CoursesService } from '../../src/training/courses.service.js';
import { EnrolmentCompletion } from '../../src/training/enrolment-completion.js';
import { ExemptionsService } from '../../src/training/exemptions.service.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('training: publishing enrols the audience in one statement; enrolments follow joiners, movers, leavers and returners', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let officer: TestPerson;
  let admin: TestPerson;
  let officerBearer: { Authorization: string };
  const fy = fiscalYearOf(tokyoToday());
  const dueDate = `${fy}-12-28`;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'training-enrolment-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    admin = await createPerson(t, org, { roles: ['admin'], departmentId: kikaku.id });
    officerBearer = { Authorization: `Bearer ${(await signIn(t, officer)).accessToken}` };
  });
  afterAll(() => t.close());

  const http = () => request(t.http);
  const enrolmentsOf = (courseId: string) => t.dataSource.getRepository(Enrolment).findBy({ courseId });

  /** `count` people of a department in one INSERT … SELECT (a town's staff, without the factory's password hashing). */
  async function bulkStaff(
    count: number,
    departmentId: string,
    prefix: string,
    extra: Partial<Record<'status' | 'employment_type' | 'roles', string>> = {},
  ): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
       SELECT $1, $2 || g, '一括', '職員' || g, $2 || g || '@bulk.example', $3, $5, $6, $7::text[], '2015-04-01'
         FROM generate_series(1, $4) g`,
      [org, prefix, departmentId, count, extra.status ?? 'active', extra.employment_type ?? 'regular', extra.roles ?? '{staff}'],
    );
  }

  it('refuses a course whose audience names nobody or an unknown department, naming the field', async () => {
    const empty = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'e_learning', title: '研修', audience: {}, dueDate });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('audience');
    const unknown = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'e_learning', title: '研修', audience: { departmentIds: [somu.id, '00000000-0000-4000-8000-000000000000'] }, dueDate });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('audience.departmentIds.1');
    const quiz = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({
        fiscalYear: fy,
        kind: 'e_learning',
        title: '研修',
        audience: { all: true },
        dueDate,
        quiz: {
          passMark: 80,
          questions: [
            {
              id: 'q1',
              text: '?',
              choices: [
                { id: 'a', text: 'A' },
                { id: 'b', text: 'B' },
              ],
              correct: ['z'],
            },
          ],
        },
      });
    expect(quiz.status).toBe(400);
    expect(quiz.body.errors[0].field).toBe('quiz.questions.0.correct.0');
    const dates = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'e_learning', title: '研修', audience: { all: true }, dueDate, opensOn: `${fy + 1}-01-10` });
    expect(dates.status).toBe(400);
    expect(dates.body.errors[0].field).toBe('opensOn');
    expect(await t.dataSource.getRepository(Course).countBy({ organizationId: org })).toBe(0);
  });

  it('refuses null for a field a course must have, and a follow-up that is a drill or a policy acknowledgement, naming the field', async () => {
    const draft = await t
      .get(CoursesService)
      .create(actorOf(officer), { fiscalYear: fy, kind: 'targeted_mail_drill', title: '訓練', audience: { all: true }, dueDate });
    for (const field of ['title', 'audience', 'statement', 'reminders']) {
      const refused = await http()
        .patch(`/api/v1/training/courses/${draft.id}`)
        .set(officerBearer)
        .send({ [field]: null });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field, messages: [expect.stringContaining('cannot be null')] }]);
    }
    const otherDrill = await t
      .get(CoursesService)
      .create(actorOf(officer), { fiscalYear: fy, kind: 'targeted_mail_drill', title: '別の訓練', audience: { all: true }, dueDate });
    const followUp = await http().patch(`/api/v1/training/courses/${draft.id}`).set(officerBearer).send({ followUpCourseId: otherDrill.id });
    expect(followUp.status).toBe(400);
    expect(followUp.body.errors[0].field).toBe('followUpCourseId');
    await t.dataSource.getRepository(Course).delete({ id: draft.id });
    await t.dataSource.getRepository(Course).delete({ id: otherDrill.id });
  });

  it('publishes to the whole audience in one statement: 3,000 people, on-leave staff left out, once only', async () => {
    await bulkStaff(3000, somu.id, 'BULK');
    await bulkStaff(5, somu.id, 'LEAVE', { status: 'on_leave' });
    const created = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'e_learning', title: '情報セキュリティ研修（全職員）', audience: { all: true }, dueDate });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', dueDate, opensOn: `${fy}-04-01`, statementVersion: 1, enrolled: 0 });

    const published = await http().post(`/api/v1/training/courses/${created.body.id}/publish`).set(officerBearer);
    expect(published.status).toBe(200);
    const active = await t.dataSource.getRepository(Staff).countBy({ organizationId: org, status: 'active' });
    expect(published.body.enrolled).toBe(active);
    expect(published.body.course.status).toBe('published');
    const rows = await enrolmentsOf(created.body.id);
    expect(rows).toHaveLength(active);
    expect(rows.every((row) => row.source === 'publish' && row.dueOn === dueDate && row.fiscalYear === fy)).toBe(true);
    expect(rows.filter((row) => row.departmentId === somu.id)).toHaveLength(3000);

    // one audit row for the publication, naming its audience and how many it enrolled; one outbox message
    const [audit] = (await t.dataSource.query(
      `SELECT changes->'@context'->'after' AS context FROM audit_trail WHERE organization_id = $1 AND action = 'course.publish' AND entity_id = $2`,
      [org, created.body.id],
    )) as { context: { enrolled: number; audience: object } }[];
    expect(audit!.context).toEqual({ enrolled: active, audience: { all: true } });
    const [{ n }] = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE organization_id = $1 AND topic = 'training.course_published'`,
      [org],
    )) as { n: number }[];
    expect(n).toBe(1);

    const again = await http().post(`/api/v1/training/courses/${created.body.id}/publish`).set(officerBearer);
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('course-not-draft');
    expect(await enrolmentsOf(created.body.id)).toHaveLength(active);
  });

  it('enrols only the audience: departments, roles, employment types and new hires combine', async () => {
    await bulkStaff(3, kikaku.id, 'KAIKEI', { employment_type: 'fiscal_year_appointed' });
    await bulkStaff(2, kikaku.id, 'NEWMGR', { roles: '{staff,manager}' });
    const courses = t.get(CoursesService);
    const officerActor = actorOf(officer);
    const byType = await courses.create(officerActor, {
      fiscalYear: fy,
      kind: 'e_learning',
      title: '会計年度任用職員向け',
      audience: { departmentIds: [kikaku.id], employmentTypes: ['fiscal_year_appointed'] },
      dueDate,
    });
    expect((await courses.publish(officerActor, byType.id)).enrolled).toBe(3);
    const byRole = await courses.create(officerActor, { fiscalYear: fy, kind: 'e_learning', title: '管理職向け', audience: { roles: ['manager'] }, dueDate });
    expect((await courses.publish(officerActor, byRole.id)).enrolled).toBe(2);
    const newHires = await courses.create(officerActor, {
      fiscalYear: fy,
      kind: 'new_hire',
      title: '新規採用職員研修',
      audience: { newHiresSince: `${fy}-04-01` },
      dueDate,
    });
    // the factory's people have no joining day, the bulk ones joined in 2015: nobody yet
    expect((await courses.publish(officerActor, newHires.id)).enrolled).toBe(0);
  });

  it('a joiner is enrolled in the open courses of their audience, due 30 days on; a mover takes open enrolments along; completed ones stay where done', async () => {
    const courses = t.get(CoursesService);
    const officerActor = actorOf(officer);
    const somuOnly = await courses.create(officerActor, {
      fiscalYear: fy,
      kind: 'e_learning',
      title: '総務課研修',
      audience: { departmentIds: [somu.id] },
      dueDate: `${fy}-04-30`,
    });
    await courses.publish(officerActor, somuOnly.id);
    const all = (await t.dataSource.getRepository(Course).findOneByOrFail({ organizationId: org, title: '情報セキュリティ研修（全職員）' })).id;

    const joiner = await createPerson(t, org, { departmentId: somu.id });
    const mine = await t.dataSource.getRepository(Enrolment).findBy({ staffId: joiner.staff.id });
    expect(mine.map((e) => e.courseId).sort()).toEqual([all, somuOnly.id].sort());
    expect(mine.every((e) => e.source === 'joined' && e.departmentId === somu.id)).toBe(true);
    const joinerDue = mine.find((e) => e.courseId === somuOnly.id)!.dueOn;
    expect(joinerDue >= `${fy}-04-30`).toBe(true);
    expect(joinerDue <= `${fy + 1}-03-31`).toBe(true);

    // completes the all-staff course in 総務課, then moves to 企画課
    const allEnrolment = mine.find((e) => e.courseId === all)!;
    await t
      .get(UnitOfWork)
      .run(actorOf(joiner), (tx) => t.get(EnrolmentCompletion).record(tx, all, [{ enrolmentId: allEnrolment.id, via: 'self', statementVersion: 1 }]));
    await t.get(StaffService).update(actorOf(admin), joiner.staff.id, { departmentId: kikaku.id });
    const after = await t.dataSource.getRepository(Enrolment).findBy({ staffId: joiner.staff.id });
    expect(after.find((e) => e.courseId === all)!.departmentId).toBe(somu.id); // done in 総務課: stays credited there
    expect(after.find((e) => e.courseId === somuOnly.id)!.departmentId).toBe(kikaku.id); // open: moves with them

    // retires: open enrolments withdrawn; comes back: opened again
    await t.get(StaffService).update(actorOf(admin), joiner.staff.id, { status: 'retired' });
    const retired = await t.dataSource.getRepository(Enrolment).findBy({ staffId: joiner.staff.id });
    expect(retired.find((e) => e.courseId === somuOnly.id)!.withdrawnAt).not.toBeNull();
    expect(retired.find((e) => e.courseId === all)!.withdrawnAt).toBeNull();
    await t.get(StaffService).update(actorOf(admin), joiner.staff.id, { status: 'active' });
    const back = await t.dataSource.getRepository(Enrolment).findBy({ staffId: joiner.staff.id });
    expect(back.find((e) => e.courseId === somuOnly.id)!.withdrawnAt).toBeNull();
    expect(back.find((e) => e.courseId === somuOnly.id)!.dueOn >= tokyoToday()).toBe(true); // back after the date: not overdue at once
    expect(back).toHaveLength(2);
  });

  it('lifting the exemption of someone who retired meanwhile withdraws the enrolment: they owe nothing', async () => {
    const person = await createPerson(t, org, { departmentId: somu.id });
    const [enrolment] = await t.dataSource.getRepository(Enrolment).findBy({ staffId: person.staff.id });
    await t.get(ExemptionsService).exempt(actorOf(officer), enrolment!.id, { kind: 'long_leave', reason: '病気休暇' });
    await t.get(StaffService).update(actorOf(admin), person.staff.id, { status: 'retired' });
    await t.get(ExemptionsService).unexempt(actorOf(officer), enrolment!.id);
    const after = await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id: enrolment!.id });
    expect(after).toMatchObject({ exemptAt: null, completedAt: null });
    expect(after.withdrawnAt).not.toBeNull();
  });

  it('completing twice records one completion, one audit row and one mail', async () => {
    const person = await createPerson(t, org, { departmentId: somu.id });
    const [enrolment] = await t.dataSource.getRepository(Enrolment).findBy({ staffId: person.staff.id });
    const complete = () =>
      t
        .get(UnitOfWork)
        .run(actorOf(person), (tx) =>
          t.get(EnrolmentCompletion).record(tx, enrolment!.courseId, [{ enrolmentId: enrolment!.id, via: 'self', statementVersion: 1 }]),
        );
    expect(await complete()).toEqual([enrolment!.id]);
    const first = await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id: enrolment!.id });
    expect(await complete()).toEqual([]);
    const second = await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id: enrolment!.id });
    expect(second.completedAt).toEqual(first.completedAt);
    const [{ audits }] = (await t.dataSource.query(`SELECT count(*)::int AS audits FROM audit_trail WHERE action = 'enrolment.complete' AND entity_id = $1`, [
      enrolment!.id,
    ])) as {
      audits: number;
    }[];
    expect(audits).toBe(1);
    const [{ mails }] = (await t.dataSource.query(
      `SELECT count(*)::int AS mails FROM outbox_messages WHERE topic = 'training.completed' AND payload->>'enrolmentId' = $1`,
      [enrolment!.id],
    )) as { mails: number }[];
    expect(mails).toBe(1);
  });

  it('repeats a course into the next fiscal year as a draft, once', async () => {
    const courses = t.get(CoursesService);
    const all = await t.dataSource.getRepository(Course).findOneByOrFail({ organizationId: org, title: '情報セキュリティ研修（全職員）' });
    const copy = await http()
      .post(`/api/v1/training/courses/${all.id}/repeat`)
      .set(officerBearer)
      .send({ fiscalYear: fy + 1 });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ fiscalYear: fy + 1, status: 'draft', dueDate: `${fy + 1}-12-28`, templateId: all.id, title: all.title });
    const twice = await http()
      .post(`/api/v1/training/courses/${all.id}/repeat`)
      .set(officerBearer)
      .send({ fiscalYear: fy + 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.errors[0].field).toBe('fiscalYear');
    // staff see published courses, not drafts
    const staff = await createPerson(t, org, { departmentId: somu.id });
    const list = await courses.list(actorOf(staff), { page: 1, pageSize: 200 });
    expect(list.items.every((item) => item.course.status !== 'draft')).toBe(true);
  });
});
