import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import type { Role } from '../../src/common/roles.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { JobRegistry } from '../../src/jobs/job-registry.js';
import type { SentMail } from '../../src/notifications/mailer.service.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import type { Course } from '../../src/training/course.entity.js';
import { CoursesService } from '../../src/training/courses.service.js';
import type { CreateCourseDto } from '../../src/training/dto/course.dto.js';
import { EnrolmentCompletion } from '../../src/training/enrolment-completion.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { TrainingReminder, type ReminderRule } from '../../src/training/training-reminder.entity.js';
import { TrainingRemindersService, type TrainingRemindersResult } from '../../src/training/training-reminders.service.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox, mailsTo, sentMails } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Who =
  | 'officer'
  | 'officer2'
  | 'ciso'
  | 'somuHead'
  | 'somuManager'
  | 'kikakuManager'
  | 'late'
  | 'late2'
  | 'secretary'
  | 'planner'
  | 'done'
  | 'exempt'
  | 'withdrawn'
  | 'onLeave';

const NONE: Record<ReminderRule, number> = { before_due: 0, due_today: 0, overdue: 0, manager_weekly: 0, security_office: 0 };

describe('training reminders: each rule once per enrolment and day, to the person, their managers and the security office', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let hisho: Department;
  let people: Record<Who, TestPerson>;
  /** everyone's course (the default settings) */
  let general: Course;
  /** 企画課's course: reminded 3 days before only, 2 overdue mails, no manager, no security office */
  let planning: Course;
  const fy = fiscalYearOf(tokyoToday());
  const dueOn = `${fy}-12-01`;
  const day = (offset: number) => addDays(dueOn, offset);
  /** the job's moment on the day `offset` days from the due day: 08:30 in Tokyo */
  const at = (offset: number) => new Date(`${day(offset)}T08:30:00+09:00`);
  /** how many mails were sent before the job first ran */
  let before = 0;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'training-reminders-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' });
    kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    const person = (roles: Role[], department: Department) => createPerson(t, org, { roles, departmentId: department.id });
    people = {
      officer: await person(['security_officer'], joho),
      officer2: await person(['security_officer'], joho),
      ciso: await person(['ciso'], joho),
      somuHead: await person(['manager'], somu),
      somuManager: await person(['manager'], somu),
      kikakuManager: await person(['manager'], kikaku),
      late: await person(['staff'], somu),
      late2: await person(['staff'], somu),
      secretary: await person(['staff'], somu),
      planner: await person(['staff'], kikaku),
      done: await person(['staff'], somu),
      exempt: await person(['staff'], somu),
      withdrawn: await person(['staff'], somu),
      onLeave: await person(['staff'], somu),
    };
    await t.dataSource.query(`UPDATE departments SET head_id = $2 WHERE id = $1`, [somu.id, people.somuHead.staff.id]);
    // 秘書係 sits under 総務課 and is headed by its head; it has no manager of its own
    hisho = await createDepartment(t, org, { code: 'HISHO', name: '秘書係', parentId: somu.id, headId: people.somuHead.staff.id });
    await t.dataSource.getRepository(Staff).update({ id: people.secretary.staff.id }, { departmentId: hisho.id });

    const courses = t.get(CoursesService);
    const office = actorOf(people.officer);
    const create = (dto: Partial<CreateCourseDto>) =>
      courses.create(office, { fiscalYear: fy, kind: 'e_learning', audience: { all: true }, dueDate: dueOn, ...dto } as CreateCourseDto);
    general = (await create({ title: '情報セキュリティ研修（全職員）', titleEn: 'Security training (all staff)' }))!;
    planning = (await create({
      title: '企画課の個人情報研修',
      audience: { departmentIds: [kikaku.id] },
      reminders: { daysBefore: [3], onDueDate: false, overdueDailyLimit: 2, managerWeekly: false, securityOfficeAfterDays: null },
    }))!;
    await courses.publish(office, general.id);
    await courses.publish(office, planning.id);

    // only the people under test owe something: everyone else has completed (the one way it is done)
    const completing: Who[] = ['officer', 'officer2', 'ciso', 'somuHead', 'somuManager', 'kikakuManager', 'done'];
    const enrolments = await t.dataSource.getRepository(Enrolment).findBy({ organizationId: org });
    await t.get(UnitOfWork).run(systemActor(org, 'test'), async (tx) => {
      for (const course of [general, planning]) {
        const ids = enrolments
          .filter((e) => e.courseId === course.id && completing.some((who) => people[who].staff.id === e.staffId))
          .map((e) => ({ enrolmentId: e.id, via: 'attendance' as const }));
        await t.get(EnrolmentCompletion).record(tx, course.id, ids);
      }
    });
    await t.dataSource.query(
      `UPDATE enrolments SET exempt_at = now(), exemption_kind = 'long_leave', exemption_reason = '育児休業', exempted_by_id = $2 WHERE staff_id = $1`,
      [people.exempt.staff.id, people.officer.staff.id],
    );
    await t.dataSource.query(`UPDATE enrolments SET withdrawn_at = now() WHERE staff_id = $1`, [people.withdrawn.staff.id]);
    await t.dataSource.getRepository(Staff).update({ id: people.onLeave.staff.id }, { status: 'on_leave' });
    // two who read English
    await t.dataSource.getRepository(Staff).update({ id: people.late2.staff.id }, { locale: 'en' });
    await t.dataSource.getRepository(Staff).update({ id: people.kikakuManager.staff.id }, { locale: 'en' });
    await deliverOutbox(t); // the accounts', publications' and completions' mails: not what this file counts
    before = sentMails(t).length;
  });
  afterAll(() => t.close());

  const job = () => t.get(TrainingRemindersService);
  const enrolmentOf = (who: Who, course: Course) =>
    t.dataSource.getRepository(Enrolment).findOneByOrFail({ courseId: course.id, staffId: people[who].staff.id });
  const to = (mails: SentMail[], who: Who) => mails.filter((mail) => mail.to === people[who].email);
  const recipients = (mails: SentMail[]) => mails.map((mail) => mail.to).sort();
  const emails = (...who: Who[]) => who.map((w) => people[w].email).sort();
  const rows = (rule: ReminderRule) => t.dataSource.getRepository(TrainingReminder).countBy({ organizationId: org, rule });

  /** Runs the job twice on the day; the second run fires and writes nothing. Returns the first run and the mails it sent. */
  async function runTwice(offset: number): Promise<{ result: TrainingRemindersResult; mails: SentMail[] }> {
    const result = await job().run(at(offset));
    expect(result.today).toBe(day(offset));
    const messages = await t.dataSource.getRepository(OutboxMessage).countBy({ organizationId: org });
    const again = await job().run(new Date(at(offset).getTime() + 3 * 3_600_000)); // 11:30 the same day
    expect(again).toMatchObject({ today: day(offset), fired: NONE, mails: 0 });
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ organizationId: org })).toBe(messages);
    return { result, mails: await deliverOutbox(t) };
  }

  it('is a daily repeatable job at 08:30 in Tokyo', () => {
    const schedule = t
      .get(JobRegistry)
      .scheduleDefinitions()
      .find((s) => s.name === 'training-reminders');
    expect(schedule).toMatchObject({ cron: '30 8 * * *', tz: 'Asia/Tokyo' });
    expect(t.get(JobRegistry).scheduleHandler('training-reminders')).toBeInstanceOf(Function);
  });

  it('sends nothing on a day no rule falls on', async () => {
    const { result, mails } = await runTwice(-8);
    expect(result.fired).toEqual(NONE);
    expect(mails).toEqual([]);
  });

  it('reminds the person N days before the due day, once, for each N of the course', async () => {
    const seven = await runTwice(-7);
    expect(seven.result.fired).toEqual({ ...NONE, before_due: 4 });
    expect(recipients(seven.mails)).toEqual(emails('late', 'late2', 'secretary', 'planner'));
    const [mail] = to(seven.mails, 'late');
    const enrolment = await enrolmentOf('late', general);
    expect(mail!.subject).toBe('【研修の受講期限まであと7日】情報セキュリティ研修（全職員）');
    expect(mail!.text).toContain(`受講期限は${fy}年12月1日です（あと7日）`);
    expect(mail!.text).toContain(`http://localhost:3000/training/enrolments/${enrolment.id}`);
    const [english] = to(seven.mails, 'late2');
    expect(english!.subject).toBe('[Mamori] Training due in 7 days: Security training (all staff)');
    expect(english!.text).toContain(`is due on 1 December ${fy} (in 7 days)`);

    // the planning course reminds 3 days before only
    const three = await runTwice(-3);
    expect(three.result.fired).toEqual({ ...NONE, before_due: 1 });
    expect(recipients(three.mails)).toEqual(emails('planner'));
    expect(three.mails[0]!.subject).toBe('【研修の受講期限まであと3日】企画課の個人情報研修');

    const one = await runTwice(-1);
    expect(one.result.fired).toEqual({ ...NONE, before_due: 4 });
    expect(to(one.mails, 'planner')[0]!.subject).toContain('あと1日');
  });

  it('reminds the person on the due day where the course says so', async () => {
    const { result, mails } = await runTwice(0);
    expect(result.fired).toEqual({ ...NONE, due_today: 4 });
    expect(recipients(mails)).toEqual(emails('late', 'late2', 'secretary', 'planner'));
    expect(to(mails, 'planner').map((m) => m.subject)).toEqual(['【本日が研修の受講期限です】情報セキュリティ研修（全職員）']);
  });

  it('one audit row per run and organisation counts what fired; a run that fires nothing writes none', async () => {
    const trail = await t.dataSource.getRepository(AuditTrailEntry).find({
      where: { organizationId: org, action: 'training.reminders_sent' },
      order: { occurredAt: 'ASC' },
    });
    // -7, -3, -1 and 0 fired (once each, though each ran twice); -8 fired nothing
    expect(trail).toHaveLength(4);
    expect(trail.every((entry) => entry.actorId === null && entry.entityType === 'enrolment')).toBe(true);
    expect(trail[3]!.changes['@context']?.after).toEqual({ today: day(0), ...NONE, due_today: 4, mails: 4 });
  });

  it('reminds daily after the due day, up to the course limit in all', async () => {
    const first = await runTwice(1);
    expect(first.result.fired).toEqual({ ...NONE, overdue: 5 });
    const [overdue] = to(first.mails, 'late');
    expect(overdue!.subject).toBe('【研修の受講期限を過ぎています】情報セキュリティ研修（全職員）');
    expect(overdue!.text).toContain('を1日過ぎています');
    expect((await runTwice(2)).result.fired).toEqual({ ...NONE, overdue: 5 });
    // the planning course's limit is 2: from the third day only the general course reminds
    const third = await runTwice(3);
    expect(third.result.fired).toEqual({ ...NONE, overdue: 4 });
    expect(to(third.mails, 'planner').map((m) => m.subject)).toEqual(['【研修の受講期限を過ぎています】情報セキュリティ研修（全職員）']);
    expect((await runTwice(4)).result.fired).toEqual({ ...NONE, overdue: 4 });
    expect((await runTwice(5)).result.fired).toEqual({ ...NONE, overdue: 4 });
    // the general course's limit (5) is reached
    const sixth = await runTwice(6);
    expect(sixth.result.fired).toEqual(NONE);
    expect(sixth.mails).toEqual([]);
    const [{ n: planned }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM training_reminders WHERE enrolment_id = $1 AND rule = 'overdue'`, [
      (await enrolmentOf('planner', planning)).id,
    ])) as { n: number }[];
    expect(planned).toBe(2);
    expect(await rows('overdue')).toBe(4 * 5 + 2);
  });

  it('tells the managers weekly, one mail each listing all their late people: on day 7 and 14, not 8', async () => {
    const week = await runTwice(7);
    // 4 enrolments of the general course; the planning course tells no manager
    expect(week.result.fired).toEqual({ ...NONE, manager_weekly: 4 });
    expect(recipients(week.mails)).toEqual(emails('somuHead', 'somuManager', 'kikakuManager'));
    expect(week.result.mails).toBe(3);
    const [head] = to(week.mails, 'somuHead');
    expect(head!.subject).toBe('【研修未受講】所属の職員3名が受講期限を過ぎています');
    for (const who of ['late', 'late2', 'secretary'] as const) {
      expect(head!.text).toContain(`試験 太郎（${people[who].staff.employeeNumber}）：情報セキュリティ研修（全職員）（期限: ${fy}年12月1日、7日超過）`);
    }
    expect(head!.text).toContain('・秘書係 試験 太郎');
    expect(head!.text).toContain('http://localhost:3000/training/completion/not-completed');
    // a manager of 総務課 who does not head 秘書係 is not told of its member
    const [manager] = to(week.mails, 'somuManager');
    expect(manager!.subject).toBe('【研修未受講】所属の職員2名が受講期限を過ぎています');
    expect(manager!.text).not.toContain(people.secretary.staff.employeeNumber);
    const [kikakuMail] = to(week.mails, 'kikakuManager');
    expect(kikakuMail!.subject).toBe('[Mamori] 1 of your staff is overdue with their security training');
    expect(kikakuMail!.text).toContain(`: Security training (all staff) (due 1 December ${fy}, 7 days overdue)`);
    expect(kikakuMail!.text).toContain(people.planner.staff.employeeNumber);
    expect(kikakuMail!.text).not.toContain('企画課の個人情報研修');

    expect((await runTwice(8)).result.fired).toEqual(NONE);
    for (const offset of [9, 10, 11, 12, 13]) expect((await runTwice(offset)).mails).toEqual([]);
  });

  it('tells the security office once, after 14 days, in one digest a day each; with the managers’ second week', async () => {
    const fortnight = await runTwice(14);
    expect(fortnight.result.fired).toEqual({ ...NONE, manager_weekly: 4, security_office: 4 });
    expect(recipients(fortnight.mails)).toEqual(emails('somuHead', 'somuManager', 'kikakuManager', 'officer', 'officer2'));
    const [office] = to(fortnight.mails, 'officer');
    expect(office!.subject).toBe('【研修未受講の報告】受講期限を大きく過ぎた職員が4名います');
    expect(office!.text).toContain('14日超過');
    expect(office!.text).toContain('・企画課 試験 太郎');
    expect(office!.text).not.toContain('企画課の個人情報研修'); // its course tells no security office
    expect(office!.text).toContain('http://localhost:3000/training/completion/not-completed');

    const next = await runTwice(15);
    expect(next.result.fired).toEqual(NONE);
    expect(await rows('security_office')).toBe(4);
    expect((await runTwice(21)).result.fired).toEqual({ ...NONE, manager_weekly: 4 });
  });

  it('sends nothing to or about those who completed, are exempt, withdrawn or on leave', async () => {
    await deliverOutbox(t);
    const sent = sentMails(t).slice(before);
    for (const who of ['done', 'exempt', 'withdrawn', 'onLeave', 'ciso'] as const) {
      expect(to(sent, who)).toEqual([]);
      const [{ n }] = (await t.dataSource.query(
        `SELECT count(*)::int AS n FROM training_reminders r JOIN enrolments e ON e.id = r.enrolment_id WHERE e.staff_id = $1`,
        [people[who].staff.id],
      )) as { n: number }[];
      expect(n).toBe(0);
    }
    // 7 days before, 1 day before, the due day, 5 overdue: eight mails to the person of the general course
    expect(to(sent, 'late')).toHaveLength(8);
  });

  it('leaves out of a digest someone who completes before it is sent; nobody left, no mail', async () => {
    await job().run(at(28));
    const late = await enrolmentOf('planner', general);
    await t.get(UnitOfWork).run(systemActor(org, 'test'), (tx) => t.get(EnrolmentCompletion).record(tx, general.id, [{ enrolmentId: late.id, via: 'self' }]));
    const mails = await deliverOutbox(t);
    expect(to(mails, 'kikakuManager')).toEqual([]);
    expect(to(mails, 'somuHead')).toHaveLength(1);
    expect(to(mails, 'planner').filter((mail) => mail.subject.includes('情報セキュリティ研修（全職員）'))).toHaveLength(1); // the completion's confirmation only
  });

  it("lists open training among a department's outstanding duties, and the manager's reminder mail links it", async () => {
    const bearer = { Authorization: `Bearer ${(await signIn(t, people.somuHead)).accessToken}` };
    const response = await request(t.http).get(`/api/v1/departments/${somu.id}/outstanding-duties`).set(bearer).expect(200);
    const item = (who: Who) => (response.body.items as { staff: { id: string }; duties: object[] }[]).find((i) => i.staff.id === people[who].staff.id);
    expect(item('late')!.duties).toEqual([
      {
        kind: 'training',
        title: '情報セキュリティ研修（全職員）',
        titleEn: 'Security training (all staff)',
        version: null,
        dueOn,
        overdue: dueOn < tokyoToday(),
      },
    ]);
    for (const who of ['done', 'exempt', 'withdrawn', 'somuHead'] as const) expect(item(who)!.duties).toEqual([]);

    const reminded = await request(t.http)
      .post(`/api/v1/departments/${somu.id}/reminders`)
      .set(bearer)
      .send({ staffIds: [people.late.staff.id] })
      .expect(200);
    expect(reminded.body.sent).toBe(1);
    const [mail] = await mailsTo(t, people.late.email);
    expect(mail!.text).toContain('・【研修】情報セキュリティ研修（全職員）（期限: ');
    expect(mail!.text).toContain(`http://localhost:3000/training/enrolments/${(await enrolmentOf('late', general)).id}`);
  });
  it('lists at most 200 people in a digest and counts the rest', async () => {
    const bulk = await createDepartment(t, org, { code: 'BULK', name: '一括課' });
    const head = await createPerson(t, org, { roles: ['manager'], departmentId: bulk.id });
    await t.dataSource.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
       SELECT $1, 'BULK' || lpad(g::text, 4, '0'), '一括', '職員' || g, 'bulk' || g || '@bulk.example', $2, 'active', 'regular', '{staff}', '2015-04-01'
         FROM generate_series(1, 205) g`,
      [org, bulk.id],
    );
    const office = actorOf(people.officer);
    // due 23 days after the general course: its 7th day after is the general course's 30th (nothing else falls on it)
    const course = await t.get(CoursesService).create(office, {
      fiscalYear: fy,
      kind: 'e_learning',
      title: '一括課の研修',
      audience: { departmentIds: [bulk.id] },
      dueDate: day(23),
      reminders: { overdueDailyLimit: 0 },
    } as CreateCourseDto);
    await t.get(CoursesService).publish(office, course.id);
    // the head has done theirs (this course's, and the general one they were enrolled in when they joined)
    await t.get(UnitOfWork).run(systemActor(org, 'test'), async (tx) => {
      for (const own of await tx.manager.getRepository(Enrolment).findBy({ staffId: head.staff.id })) {
        await t.get(EnrolmentCompletion).record(tx, own.courseId, [{ enrolmentId: own.id, via: 'attendance' }]);
      }
    });
    await deliverOutbox(t);
    const { result, mails } = await runTwice(30);
    expect(result.fired).toEqual({ ...NONE, manager_weekly: 205 });
    expect(mails.map((mail) => mail.to)).toEqual([head.email]);
    expect(mails[0]!.subject).toBe('【研修未受講】所属の職員205名が受講期限を過ぎています');
    expect(mails[0]!.text.split('\n').filter((line) => line.startsWith('・一括課 '))).toHaveLength(200);
    expect(mails[0]!.text).toContain('（BULK0200）');
    expect(mails[0]!.text).not.toContain('（BULK0201）');
    expect(mails[0]!.text).toContain('・ほか5名');
  });
});
