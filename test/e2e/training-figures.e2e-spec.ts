import pg from 'pg';
import { jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { randomToken } from '../../src/common/secrets.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { TrainingFiguresService } from '../../src/training/training-figures.service.js';
import { TrainingWorkItems } from '../../src/web/training-completion/training-work-items.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Completion figures against a fixture computed by hand. FY2022, three departments (codes sort
 * D1 < D2 < D3), the e-learning course due 2022-12-28 and the policy acknowledgement due 2023-03-31;
 * a targeted-mail drill of the year and a course of FY2021 that the default figures leave out.
 *
 * | person | dept | course 1 (e-learning)                         | course 2 (acknowledgement) |
 * |--------|------|-----------------------------------------------|----------------------------|
 * | A1     | D1   | completed 2022-06-01                          | completed 2022-05-01       |
 * | A2     | D1   | completed 2023-01-15 (late)                   |                            |
 * | A3     | D1   | open                                          |                            |
 * | A4     | D1   | exempt from 2022-07-01 (long leave)           |                            |
 * | A5     | D1   | completed 2023-03-31 23:59 JST (late)         |                            |
 * | A6     | D1   | completed 2023-04-01 00:00 JST (late)         |                            |
 * | B1     | D2   | completed 2022-05-10                          | open                       |
 * | B2     | D2   | withdrawn 2022-10-01 (left, not completed)    |                            |
 * | B4     | D2   | open, enrolled 2023-02-01 (joiner, due 03-02) |                            |
 * | M1     | D2→D3| completed 2022-09-01 in D2 (stays there)      | open, moved to D3          |
 * | C1     | D3   | completed 2022-08-01                          |                            |
 *
 * As of 2023-03-31: D1 7 enrolled, 1 exempt, 4 completed (2 late) → 0.6667; D2 4/0/2 → 0.5;
 * D3 2/0/1 → 0.5; total 13/1/7 (2 late) → 0.5833. As of 2023-04-01 A6 counts: D1 5 completed
 * (3 late) → 0.8333, total 8 → 0.6667.
 */
describe('training figures: completion = completed ÷ (enrolled − exempt), as of any day, by department, course, role, employment type', () => {
  let t: TestApp;
  let org: string;
  const dept = {} as Record<'A' | 'B' | 'C', string>;
  const staff = {} as Record<string, string>;
  const course = {} as Record<'c1' | 'c2' | 'drill' | 'old', string>;
  let officer: TestPerson;
  let managerA: TestPerson;
  let officerBearer: { Authorization: string };
  let managerBearer: { Authorization: string };
  let cisoBearer: { Authorization: string };
  let staffBearer: { Authorization: string };
  const csrf = randomToken(32);
  let officerToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'training-figures-town');
    dept.A = (await createDepartment(t, org, { code: 'D1', name: '総務課', nameEn: 'General Affairs' })).id;
    dept.B = (await createDepartment(t, org, { code: 'D2', name: '税務課' })).id;
    dept.C = (await createDepartment(t, org, { code: 'D3', name: '福祉課' })).id;
    const other = (await createDepartment(t, org, { code: 'D9', name: '企画課' })).id;
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: other });
    managerA = await createPerson(t, org, { roles: ['manager'], departmentId: dept.A });
    const ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: other });
    officerToken = (await signIn(t, officer)).accessToken;
    officerBearer = { Authorization: `Bearer ${officerToken}` };
    managerBearer = { Authorization: `Bearer ${(await signIn(t, managerA)).accessToken}` };
    cisoBearer = { Authorization: `Bearer ${(await signIn(t, ciso)).accessToken}` };
    staffBearer = { Authorization: `Bearer ${(await signIn(t, await createPerson(t, org, { departmentId: dept.A })))!.accessToken}` };

    const people: [string, string, string, string][] = [
      // key, department, employment type, roles
      ['A1', dept.A, 'regular', '{staff,manager}'],
      ['A2', dept.A, 'fiscal_year_appointed', '{staff}'],
      ['A3', dept.A, 'fiscal_year_appointed', '{staff}'],
      ['A4', dept.A, 'regular', '{staff}'],
      ['A5', dept.A, 'regular', '{staff}'],
      ['A6', dept.A, 'regular', '{staff}'],
      ['B1', dept.B, 'regular', '{staff}'],
      ['B2', dept.B, 'regular', '{staff}'],
      ['B4', dept.B, 'regular', '{staff}'],
      ['M1', dept.C, 'regular', '{staff}'],
      ['C1', dept.C, 'regular', '{staff}'],
    ];
    for (const [key, department, employmentType, roles] of people) {
      const [row] = (await t.dataSource.query(
        `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
         VALUES ($1, $2::text, '受講', $2::text, lower($2::text) || '@figures.example', $3, 'active', $4, $5::text[], '2015-04-01') RETURNING id`,
        [org, `F-${key}`, department, employmentType, roles],
      )) as { id: string }[];
      staff[key] = row!.id;
    }
    const addCourse = async (fiscalYear: number, kind: string, title: string, dueOn: string): Promise<string> => {
      const [row] = (await t.dataSource.query(
        `INSERT INTO courses (organization_id, fiscal_year, kind, title, audience, opens_on, due_on, statement, status, published_at)
         VALUES ($1, $2, $3, $4, '{"all": true}', make_date($2, 4, 1), $5, '誓約します。', 'published', now()) RETURNING id`,
        [org, fiscalYear, kind, title, dueOn],
      )) as { id: string }[];
      return row!.id;
    };
    course.c1 = await addCourse(2022, 'e_learning', '情報セキュリティ研修', '2022-12-28');
    course.c2 = await addCourse(2022, 'policy_acknowledgement', '基本方針の確認', '2023-03-31');
    course.drill = await addCourse(2022, 'targeted_mail_drill', '標的型メール訓練', '2022-11-30');
    course.old = await addCourse(2021, 'e_learning', '情報セキュリティ研修（前年度）', '2021-12-28');

    const start = '2022-04-01T09:00:00+09:00';
    const enrol = (
      key: string,
      courseKey: keyof typeof course,
      fields: { department?: string; enrolledAt?: string; dueOn?: string; completedAt?: string; late?: boolean; exemptAt?: string; withdrawnAt?: string } = {},
    ) =>
      t.dataSource.query(
        `INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, enrolled_at, due_on, completed_at, completed_late,
                                 exempt_at, exemption_kind, exemption_reason, withdrawn_at)
         SELECT $1, c.id, c.fiscal_year, $3, $4, 'publish', $5, coalesce($6::date, c.due_on), $7, $8, $9,
                CASE WHEN $9::timestamptz IS NOT NULL THEN 'long_leave' END, CASE WHEN $9::timestamptz IS NOT NULL THEN '育児休業（1年）' END, $10
           FROM courses c WHERE c.id = $2`,
        [
          org,
          course[courseKey],
          staff[key],
          fields.department ?? null,
          fields.enrolledAt ?? start,
          fields.dueOn ?? null,
          fields.completedAt ?? null,
          fields.late ?? false,
          fields.exemptAt ?? null,
          fields.withdrawnAt ?? null,
        ],
      );
    await enrol('A1', 'c1', { department: dept.A, completedAt: '2022-06-01T10:00:00+09:00' });
    await enrol('A2', 'c1', { department: dept.A, completedAt: '2023-01-15T10:00:00+09:00', late: true });
    await enrol('A3', 'c1', { department: dept.A });
    await enrol('A4', 'c1', { department: dept.A, exemptAt: '2022-07-01T09:00:00+09:00' });
    await enrol('A5', 'c1', { department: dept.A, completedAt: '2023-03-31T23:59:00+09:00', late: true });
    await enrol('A6', 'c1', { department: dept.A, completedAt: '2023-04-01T00:00:00+09:00', late: true });
    await enrol('B1', 'c1', { department: dept.B, completedAt: '2022-05-10T10:00:00+09:00' });
    await enrol('B2', 'c1', { department: dept.B, withdrawnAt: '2022-10-01T09:00:00+09:00' });
    await enrol('B4', 'c1', { department: dept.B, enrolledAt: '2023-02-01T09:00:00+09:00', dueOn: '2023-03-02' });
    await enrol('M1', 'c1', { department: dept.B, completedAt: '2022-09-01T10:00:00+09:00' });
    await enrol('C1', 'c1', { department: dept.C, completedAt: '2022-08-01T10:00:00+09:00' });
    await enrol('A1', 'c2', { department: dept.A, completedAt: '2022-05-01T10:00:00+09:00' });
    await enrol('B1', 'c2', { department: dept.B });
    await enrol('M1', 'c2', { department: dept.C });
    // left out unless asked: the drill (its own figures) and the year before
    await enrol('A1', 'drill', { department: dept.A });
    await enrol('A3', 'drill', { department: dept.A, completedAt: '2022-11-01T10:00:00+09:00' });
    await enrol('A1', 'old', { department: dept.A, enrolledAt: '2021-05-01T09:00:00+09:00' });
  });
  afterAll(() => t.close());

  const http = () => request(t.http);
  const completion = (query: string, auth = officerBearer) => http().get(`/api/v1/training/completion?${query}`).set(auth);
  const row = (counts: [number, number, number, number], rate: number | null) => ({
    enrolled: counts[0],
    exempt: counts[1],
    completed: counts[2],
    late: counts[3],
    rate,
  });

  it('by department as of 31 March 2023: the hand-computed rows, a mover’s completion kept where it was done, the withdrawn and the drill left out', async () => {
    const response = await completion('fiscalYear=2022&groupBy=department&asOf=2023-03-31');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ fiscalYear: 2022, asOf: '2023-03-31', groupBy: 'department', scope: 'all', courseId: null, total: 3 });
    expect(response.body.kinds).not.toContain('targeted_mail_drill');
    expect(response.body.items).toEqual([
      { departmentId: dept.A, departmentCode: 'D1', departmentName: '総務課', departmentNameEn: 'General Affairs', ...row([7, 1, 4, 2], 0.6667) },
      { departmentId: dept.B, departmentCode: 'D2', departmentName: '税務課', departmentNameEn: null, ...row([4, 0, 2, 0], 0.5) },
      { departmentId: dept.C, departmentCode: 'D3', departmentName: '福祉課', departmentNameEn: null, ...row([2, 0, 1, 0], 0.5) },
    ]);
    expect(response.body.totals).toEqual(row([13, 1, 7, 2], 0.5833));
  });

  it('counts a completion at 23:59 on 31 March (Tokyo) in the fiscal year’s figures and one at 00:00 on 1 April only from that day', async () => {
    const march = await completion('fiscalYear=2022&asOf=2023-03-31');
    const april = await completion('fiscalYear=2022&asOf=2023-04-01');
    expect(march.body.items[0]).toMatchObject(row([7, 1, 4, 2], 0.6667));
    expect(april.body.items[0]).toMatchObject(row([7, 1, 5, 3], 0.8333));
    expect(april.body.totals).toEqual(row([13, 1, 8, 3], 0.6667));
    // the fiscal year is over: without a day, its figures are those of 31 March
    const byDefault = await completion('fiscalYear=2022');
    expect(byDefault.body.asOf).toBe('2023-03-31');
    expect(byDefault.body.totals).toEqual(march.body.totals);
  });

  it('as of a day in the year: later completions, exemptions and joiners are not yet counted, a later withdrawal not yet out', async () => {
    const response = await completion('fiscalYear=2022&asOf=2022-09-30');
    expect(response.body.items.map((item: { departmentCode: string }) => item.departmentCode)).toEqual(['D1', 'D2', 'D3']);
    expect(response.body.items[0]).toMatchObject(row([7, 1, 2, 0], 0.3333));
    expect(response.body.items[1]).toMatchObject(row([4, 0, 2, 0], 0.5));
    expect(response.body.items[2]).toMatchObject(row([2, 0, 1, 0], 0.5));
    // before anyone was enrolled: no rows, no rate
    const before = await completion('fiscalYear=2022&asOf=2022-03-31');
    expect(before.body.items).toEqual([]);
    expect(before.body.totals).toEqual(row([0, 0, 0, 0], null));
  });

  it('by course, role (a person under each role they hold, once in the total), employment type and the whole year', async () => {
    const byCourse = await completion('fiscalYear=2022&groupBy=course&asOf=2023-03-31');
    expect(byCourse.body.items).toEqual([
      {
        courseId: course.c1,
        courseTitle: '情報セキュリティ研修',
        courseTitleEn: null,
        courseKind: 'e_learning',
        dueDate: '2022-12-28',
        ...row([10, 1, 6, 2], 0.6667),
      },
      {
        courseId: course.c2,
        courseTitle: '基本方針の確認',
        courseTitleEn: null,
        courseKind: 'policy_acknowledgement',
        dueDate: '2023-03-31',
        ...row([3, 0, 1, 0], 0.3333),
      },
    ]);
    expect(byCourse.body.totals).toEqual(row([13, 1, 7, 2], 0.5833));

    const byRole = await completion('fiscalYear=2022&groupBy=role&asOf=2023-03-31');
    expect(byRole.body.items).toEqual([
      { role: 'manager', ...row([2, 0, 2, 0], 1) },
      { role: 'staff', ...row([13, 1, 7, 2], 0.5833) },
    ]);
    expect(byRole.body.totals).toEqual(row([13, 1, 7, 2], 0.5833));

    const byType = await completion('fiscalYear=2022&groupBy=employment_type&asOf=2023-03-31');
    expect(byType.body.items).toEqual([
      { employmentType: 'regular', ...row([11, 1, 6, 1], 0.6) },
      { employmentType: 'fiscal_year_appointed', ...row([2, 0, 1, 1], 0.5) },
    ]);

    const year = await completion('fiscalYear=2022&groupBy=fiscal_year&asOf=2023-03-31');
    expect(year.body.items).toEqual([{ fiscalYear: 2022, ...row([13, 1, 7, 2], 0.5833) }]);
    const before = await completion('fiscalYear=2021&groupBy=fiscal_year&asOf=2022-03-31');
    expect(before.body.items).toEqual([{ fiscalYear: 2021, ...row([1, 0, 0, 0], 0) }]);
  });

  it('one course, or one kind: the drill only when asked for', async () => {
    const one = await completion(`fiscalYear=2022&courseId=${course.c2}&asOf=2023-03-31`);
    expect(one.body.totals).toEqual(row([3, 0, 1, 0], 0.3333));
    expect(one.body.courseId).toBe(course.c2);
    const drill = await completion('fiscalYear=2022&kind=targeted_mail_drill&asOf=2023-03-31');
    expect(drill.body.kinds).toEqual(['targeted_mail_drill']);
    expect(drill.body.items).toEqual([expect.objectContaining({ departmentCode: 'D1', ...row([2, 0, 1, 0], 0.5) })]);
    const drillCourse = await completion(`fiscalYear=2022&courseId=${course.drill}&asOf=2023-03-31`);
    expect(drillCourse.body.totals).toEqual(row([2, 0, 1, 0], 0.5));
  });

  it('runs one statement per figure set, answered by the figures index', async () => {
    const service = t.get(TrainingFiguresService);
    const queries: string[] = [];
    const original = t.dataSource.manager.query.bind(t.dataSource.manager);
    const spy = jest.spyOn(t.dataSource.manager, 'query').mockImplementation((sql: string, parameters?: Parameters<typeof original>[1]) => {
      queries.push(sql);
      return original(sql, parameters);
    });
    try {
      for (const groupBy of ['department', 'course', 'role', 'employment_type', 'fiscal_year'] as const) {
        queries.length = 0;
        await service.completion(actorOf(officer), { fiscalYear: 2022, groupBy, asOf: '2023-03-31' });
        expect({ groupBy, statements: queries.length }).toEqual({ groupBy, statements: 1 });
      }
      queries.length = 0;
      await service.completion(actorOf(officer), { fiscalYear: 2022, groupBy: 'department', asOf: '2023-03-31' });
    } finally {
      spy.mockRestore();
    }
    // the by-department statement reads the index alone
    const sql = queries[0]!;
    const parameters = [org, 2022, ['e_learning', 'classroom', 'policy_acknowledgement', 'new_hire'], new Date('2023-04-01T00:00:00+09:00').toISOString()];
    // on one connection of the owner, without the index of open enrolments (the indicators' list of the
    // people not trained, which a table this small could use as well): the figures index answers alone
    const owner = new pg.Client({ connectionString: t.databaseUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('SET LOCAL enable_seqscan = off');
      await owner.query('DROP INDEX ix_enrolments_open_until');
      const plan = JSON.stringify((await owner.query(`EXPLAIN ${sql}`, parameters)).rows);
      expect(plan).toMatch(/Index Only Scan using ix_enrolments_figures/);
    } finally {
      await owner.query('ROLLBACK');
      await owner.end();
    }
  });

  it('shows a manager their own department only; the office and the CISO see every one; other staff are refused', async () => {
    const mine = await completion('fiscalYear=2022&asOf=2023-03-31', managerBearer);
    expect(mine.status).toBe(200);
    expect(mine.body.scope).toBe('department');
    expect(mine.body.items).toEqual([expect.objectContaining({ departmentId: dept.A, ...row([7, 1, 4, 2], 0.6667) })]);
    expect(mine.body.totals).toEqual(row([7, 1, 4, 2], 0.6667));
    const byCourse = await completion('fiscalYear=2022&groupBy=course&asOf=2023-03-31', managerBearer);
    expect(byCourse.body.items).toEqual([
      expect.objectContaining({ courseId: course.c1, ...row([6, 1, 3, 2], 0.6) }),
      expect.objectContaining({ courseId: course.c2, ...row([1, 0, 1, 0], 1) }),
    ]);
    const list = await http().get('/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31').set(managerBearer);
    expect(list.body.items.map((item: { employeeNumber: string }) => item.employeeNumber)).toEqual(['F-A3', 'F-A6']);
    const elsewhere = await http().get(`/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31&departmentId=${dept.B}`).set(managerBearer);
    expect(elsewhere.body).toMatchObject({ items: [], total: 0 });
    const ciso = await completion('fiscalYear=2022&asOf=2023-03-31', cisoBearer);
    expect(ciso.body.items).toHaveLength(3);
    expect((await completion('fiscalYear=2022', staffBearer)).status).toBe(403);
    expect((await http().get('/api/v1/training/not-completed?fiscalYear=2022').set(staffBearer)).status).toBe(403);
  });

  it('counts for the work queue what people still owe today, all of it overdue here (a manager: their department only)', async () => {
    const items = t.get(TrainingWorkItems);
    const days = { today: tokyoToday(), until: tokyoToday() };
    const [office] = await items.workItems(actorOf(officer), days);
    const [mine] = await items.workItems(actorOf(managerA), days);
    const [{ open }] = (await t.dataSource.query(
      `SELECT count(*)::int AS open FROM enrolments e JOIN courses c ON c.id = e.course_id
        WHERE e.organization_id = $1 AND c.status = 'published' AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL`,
      [org],
    )) as { open: number }[];
    expect(office).toMatchObject({ label: 'work.trainingOpen', count: open, overdue: open, href: '/training/completion/not-completed' });
    expect(office!.count).toBeGreaterThan(mine!.count);
    expect(mine!.count).toBeGreaterThan(0);
    expect(mine!.overdue).toBe(mine!.count);
    expect(await items.workItems(actorOf(await createPerson(t, org, { departmentId: dept.A })), days)).toEqual([]);
  });

  it('lists who has not completed as of the day, by department and person, with days overdue, a page at a time; the exempt apart', async () => {
    const list = await http().get('/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31').set(officerBearer);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 5, page: 1, pageSize: 50, fiscalYear: 2022, asOf: '2023-03-31', state: 'open' });
    expect(
      list.body.items.map((item: { employeeNumber: string; courseId: string; overdueDays: number; departmentCode: string }) => [
        item.departmentCode,
        item.employeeNumber,
        item.courseId,
        item.overdueDays,
      ]),
    ).toEqual([
      ['D1', 'F-A3', course.c1, 93],
      ['D1', 'F-A6', course.c1, 93],
      ['D2', 'F-B1', course.c2, 0],
      ['D2', 'F-B4', course.c1, 29],
      ['D3', 'F-M1', course.c2, 0],
    ]);
    expect(list.body.items[0]).toMatchObject({
      name: '受講 F-A3',
      staffId: staff.A3,
      departmentName: '総務課',
      courseTitle: '情報セキュリティ研修',
      dueDate: '2022-12-28',
    });
    const second = await http().get('/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31&page=2&pageSize=2').set(officerBearer);
    expect(second.body.items.map((item: { employeeNumber: string }) => item.employeeNumber)).toEqual(['F-B1', 'F-B4']);
    expect(second.body.total).toBe(5);
    const beyond = await http().get('/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31&page=9').set(officerBearer);
    expect(beyond.body).toMatchObject({ items: [], total: 5 });
    const filtered = await http()
      .get(`/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31&departmentId=${dept.B}&courseId=${course.c1}`)
      .set(officerBearer);
    expect(filtered.body.items.map((item: { employeeNumber: string }) => item.employeeNumber)).toEqual(['F-B4']);

    const exempt = await http().get('/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31&state=exempt').set(officerBearer);
    expect(exempt.body.items).toEqual([
      expect.objectContaining({
        employeeNumber: 'F-A4',
        exemptionKind: 'long_leave',
        exemptionReason: '育児休業（1年）',
        exemptAt: new Date('2022-07-01T00:00:00Z').toISOString(),
      }),
    ]);
    // a manager sees who is exempt, not why
    const managers = await http().get('/api/v1/training/not-completed?fiscalYear=2022&asOf=2023-03-31&state=exempt').set(managerBearer);
    expect(managers.body.items).toHaveLength(1);
    expect(managers.body.items[0]).not.toHaveProperty('exemptionReason');
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    const refused = async (path: string, field: string) => {
      const response = await http().get(path).set(officerBearer);
      expect({ path, status: response.status, fields: (response.body.errors ?? []).map((e: { field: string }) => e.field) }).toEqual({
        path,
        status: 400,
        fields: [field],
      });
    };
    await refused('/api/v1/training/completion', 'fiscalYear');
    await refused('/api/v1/training/completion?fiscalYear=twenty', 'fiscalYear');
    await refused('/api/v1/training/completion?fiscalYear=2022&groupBy=section', 'groupBy');
    await refused('/api/v1/training/completion?fiscalYear=2022&asOf=2023-02-30', 'asOf');
    await refused('/api/v1/training/completion?fiscalYear=2022&courseId=nope', 'courseId');
    await refused('/api/v1/training/completion?fiscalYear=2022&kind=webinar', 'kind');
    await refused('/api/v1/training/not-completed?fiscalYear=2022&departmentId=1', 'departmentId');
    await refused('/api/v1/training/not-completed?fiscalYear=2022&state=late', 'state');
    await refused('/api/v1/training/not-completed?fiscalYear=2022&pageSize=1000', 'pageSize');
    await refused('/api/v1/training/completion.csv?fiscalYear=2022&lang=fr', 'lang');
    await refused('/api/v1/training/not-completed.xlsx', 'fiscalYear');
  });

  async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ArrayBuffer);
    return book;
  }
  const binary = (r: request.Test) =>
    r.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

  it('exports the figures by department as XLSX (real percentages and dates) and CSV (UTF-8 with BOM), in Japanese or English; each export audited', async () => {
    const xlsx = await binary(http().get('/api/v1/training/completion.xlsx?fiscalYear=2022&asOf=2023-03-31').set(officerBearer));
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect(xlsx.headers['content-disposition']).toContain('training-completion-2022-department-2023-03-31.xlsx');
    const book = await workbook(xlsx.body as Buffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('受講状況');
    expect(sheet.getRow(1).values).toEqual([undefined, '部署', '部署コード', '対象者', '免除', '受講対象（分母）', '受講完了', 'うち期限後', '受講率']);
    expect(sheet.getRow(2).values).toEqual([undefined, '総務課', 'D1', 7, 1, 6, 4, 2, 0.6667]);
    expect(sheet.getRow(5).values).toEqual([undefined, '合計', '', 13, 1, 12, 7, 2, 0.5833]);
    expect(sheet.getCell('H2').numFmt).toBe('0.0%');
    const conditions = book.worksheets[1]!;
    expect(conditions.getCell('B2').value).toEqual(new Date(Date.UTC(2023, 2, 31)));
    expect(conditions.getCell('B1').value).toBe('令和4年度（2022年度）');

    const csv = await binary(http().get('/api/v1/training/completion.csv?fiscalYear=2022&asOf=2023-03-31&groupBy=course').set(officerBearer));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      '研修,研修の種類,期限,対象者,免除,受講対象（分母）,受講完了,うち期限後,受講率（%）',
      '情報セキュリティ研修,eラーニング,2022/12/28,10,1,9,6,2,66.67',
      '基本方針の確認,ポリシーの確認,2023/03/31,3,0,3,1,0,33.33',
      '合計,,,13,1,12,7,2,58.33',
      '',
    ]);
    const english = await binary(http().get('/api/v1/training/completion.csv?fiscalYear=2022&asOf=2023-03-31&lang=en').set(officerBearer));
    expect((english.body as Buffer).toString('utf8').split('\r\n')[0]).toBe(
      '\uFEFFDepartment,Department code,Enrolled,Exempt,Owed (denominator),Completed,Late,Completion (%)',
    );

    const audited = (await t.dataSource.query(
      `SELECT changes -> '@context' -> 'after' AS context FROM audit_trail WHERE organization_id = $1 AND action = 'training.export' ORDER BY seq`,
      [org],
    )) as { context: { report: string; format: string; locale: string; rows: number } }[];
    expect(audited.map((entry) => [entry.context.report, entry.context.format, entry.context.locale, entry.context.rows])).toEqual([
      ['completion', 'xlsx', 'ja', 3],
      ['completion', 'csv', 'ja', 2],
      ['completion', 'csv', 'en', 3],
    ]);
  });

  it('exports the not-completed list and the exempt as XLSX and CSV, every row, due days as dates', async () => {
    const xlsx = await binary(http().get('/api/v1/training/not-completed.xlsx?fiscalYear=2022&asOf=2023-03-31').set(officerBearer));
    expect(xlsx.status).toBe(200);
    const sheet = (await workbook(xlsx.body as Buffer)).worksheets[0]!;
    expect(sheet.name).toBe('未受講者');
    expect(sheet.getRow(1).values).toEqual([undefined, '職員番号', '氏名', '部署コード', '部署', '研修', '研修の種類', '期限', '期限超過日数']);
    expect(sheet.rowCount).toBe(6);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      'F-A3',
      '受講 F-A3',
      'D1',
      '総務課',
      '情報セキュリティ研修',
      'eラーニング',
      new Date(Date.UTC(2022, 11, 28)),
      93,
    ]);

    const csv = await binary(http().get('/api/v1/training/not-completed.csv?fiscalYear=2022&asOf=2023-03-31&state=exempt').set(officerBearer));
    const lines = (csv.body as Buffer).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFF職員番号,氏名,部署コード,部署,研修,研修の種類,期限,免除日,免除の種類,理由');
    expect(lines[1]).toBe('F-A4,受講 F-A4,D1,総務課,情報セキュリティ研修,eラーニング,2022/12/28,2022/07/01,長期休業,育児休業（1年）');
    expect(lines).toHaveLength(3);
    // a manager's export: their department, no reasons
    const managers = await binary(http().get('/api/v1/training/not-completed.csv?fiscalYear=2022&asOf=2023-03-31&state=exempt').set(managerBearer));
    expect((managers.body as Buffer).toString('utf8').split('\r\n')[0]).toBe('\uFEFF職員番号,氏名,部署コード,部署,研修,研修の種類,期限,免除日,免除の種類');
  });

  describe('the completion board', () => {
    const page = (token: string) => ({ Accept: 'text/html', Cookie: `mamori_at=${token}; mamori_csrf=${csrf}` });

    it('shows a bar per department against the 100% line (SVG with a text alternative) and the same figures in a table', async () => {
      const response = await http().get('/training/completion?fiscalYear=2022&asOf=2023-03-31').set(page(officerToken));
      expect(response.status).toBe(200);
      const html = response.text;
      expect(html).toContain('<svg width="100%"');
      expect(html).toMatch(/role="img" aria-labelledby="chart-title" aria-describedby="chart-desc"/);
      expect(html).toContain('<title id="chart-title">部署別の受講率（令和4年度（2022年度）、2023年3月31日現在）</title>');
      expect(html).toContain('総務課 66.7%（4/6人）');
      expect((html.match(/<rect /g) ?? []).length).toBe(6); // a track and a bar per department
      expect(html).toContain('<option value="2022" selected>令和4年度（2022年度）</option>');
      expect(html).toContain('href="/training/completion.xlsx?fiscalYear&#x3D;2022&amp;asOf&#x3D;2023-03-31"');
      expect(html).toContain('href="/training/completion/not-completed?fiscalYear&#x3D;2022&amp;asOf&#x3D;2023-03-31"');
      const csv = await binary(http().get('/training/completion.csv?fiscalYear=2022&asOf=2023-03-31').set(page(officerToken)));
      expect(csv.status).toBe(200);
      expect((csv.body as Buffer).toString('utf8').startsWith('\uFEFF部署,')).toBe(true);
    });

    it("shows a manager their own department's bar only", async () => {
      const managerToken = managerBearer.Authorization.slice('Bearer '.length);
      const response = await http().get('/training/completion?fiscalYear=2022&asOf=2023-03-31').set(page(managerToken));
      expect(response.status).toBe(200);
      expect(response.text).toContain('所属部署の数値だけを表示しています。');
      expect((response.text.match(/<rect /g) ?? []).length).toBe(2);
      expect(response.text).toContain('総務課 66.7%（4/6人）');
      expect(response.text).not.toContain('税務課');
    });

    it('lists who has not completed, and refuses a day that is not one on the page itself', async () => {
      const list = await http().get(`/training/completion/not-completed?fiscalYear=2022&asOf=2023-03-31&departmentId=${dept.A}`).set(page(officerToken));
      expect(list.status).toBe(200);
      expect(list.text).toContain('受講 F-A3');
      expect(list.text).not.toContain('受講 F-B4');
      const refused = await http().get('/training/completion?fiscalYear=2022&asOf=2023-13-01').set(page(officerToken));
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('基準日は、年・月・日のそろった日付で入力してください');
      expect(refused.text).toMatch(/id="asOf"[^>]*aria-invalid="true"/);
    });
  });
});
