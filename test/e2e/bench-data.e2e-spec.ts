import { benchCompletionRate, generateBenchData, generateBenchEnrolments } from '../bench/bench-data.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('bench data: a prefecture of staff in set-based statements', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('adds the people asked for, as the app role, spread over departments, statuses and employment types; a second run continues the numbers', async () => {
    const first = await generateBenchData(t.appDatabaseUrl, 'bench-town', { staff: 2_000, departments: 8 });
    expect(first).toMatchObject({ departments: 8, staffAdded: 2_000 });
    const second = await generateBenchData(t.appDatabaseUrl, 'bench-town', { staff: 500 });
    expect(second).toMatchObject({ organizationId: first.organizationId, staffAdded: 500 });

    const [figures] = (await t.dataSource.query(
      `SELECT count(*)::int AS people, count(DISTINCT employee_number)::int AS numbers, count(DISTINCT department_id)::int AS departments,
              min(employee_number) AS first, max(employee_number) AS last,
              sum((status = 'active')::int)::int AS active, sum((status = 'retired')::int)::int AS retired,
              sum((employment_type = 'fiscal_year_appointed')::int)::int AS appointees,
              sum((search_key LIKE '%' || staff_search_text(family_name_kana) || '%')::int)::int AS searchable
         FROM staff WHERE organization_id = $1`,
      [first.organizationId],
    )) as Record<string, number | string>[];
    // 2,500 people; the second run asked for no department count, so its default (20) added departments
    expect(figures).toMatchObject({ people: 2_500, numbers: 2_500, first: 'B0000001', last: 'B0002500', searchable: 2_500 });
    expect(figures!.departments).toBeGreaterThanOrEqual(8);
    expect(figures!.retired).toBe(50); // 2%
    expect(figures!.active).toBe(2_375); // 95%
    expect(figures!.appointees).toBe(625); // one in four
  });

  it('with enrolments: courses of past fiscal years, everyone who worked there enrolled, completion rising toward 100%, some late, a few exempt; a second run enrols only the new people', async () => {
    const { organizationId: org } = await generateBenchData(t.appDatabaseUrl, 'bench-training', { staff: 1_200, departments: 6 });
    const first = await generateBenchEnrolments(t.appDatabaseUrl, org, { years: [2019, 2022], coursesPerYear: 2 });
    const eligible = async (): Promise<number> => {
      const [{ n }] = (await t.dataSource.query(
        `SELECT count(*)::int AS n FROM courses c JOIN staff s ON s.organization_id = c.organization_id
          WHERE c.organization_id = $1 AND s.joined_on <= make_date(c.fiscal_year + 1, 3, 31) AND (s.left_on IS NULL OR s.left_on >= c.opens_on)`,
        [org],
      )) as { n: number }[];
      return n;
    };
    expect(first.courses).toBe(8);
    expect(first.enrolments).toBe(await eligible());

    const years = (await t.dataSource.query(
      `SELECT e.fiscal_year, count(*)::int AS enrolled, count(e.completed_at)::int AS completed, count(e.exempt_at)::int AS exempt,
              count(*) FILTER (WHERE e.completed_late)::int AS late,
              count(*) FILTER (WHERE e.exempt_at IS NOT NULL AND s.status = 'on_leave')::int AS on_leave_exempt,
              count(*) FILTER (WHERE e.completed_at < e.enrolled_at OR e.completed_at > make_date(e.fiscal_year + 1, 4, 1)::timestamptz + interval '1 day')::int AS misplaced,
              count(*) FILTER (WHERE e.completed_late <> ((e.completed_at AT TIME ZONE 'Asia/Tokyo')::date > e.due_on))::int AS wrongly_late,
              count(*) FILTER (WHERE e.department_id IS DISTINCT FROM s.department_id)::int AS elsewhere,
              count(*) FILTER (WHERE e.completed_at IS NOT NULL AND e.exempt_at IS NOT NULL)::int AS both
         FROM enrolments e JOIN staff s ON s.id = e.staff_id
        WHERE e.organization_id = $1 GROUP BY e.fiscal_year ORDER BY e.fiscal_year`,
      [org],
    )) as Record<string, number>[];
    expect(years.map((y) => y.fiscal_year)).toEqual([2019, 2020, 2021, 2022]);
    for (const year of years) {
      expect(year.completed / (year.enrolled - year.exempt)).toBeCloseTo(benchCompletionRate(year.fiscal_year!), 1);
      expect(year).toMatchObject({ misplaced: 0, wrongly_late: 0, elsewhere: 0, both: 0 });
    }
    expect(years[0]!.late).toBeGreaterThan(years[3]!.late!);
    expect(years[3]!.late).toBeGreaterThan(0);
    expect(years[0]!.exempt).toBeGreaterThan(0);
    expect(years[3]!.on_leave_exempt).toBe(2 * 36); // the 3% on leave now, exempt in the last year's two courses
    const [courses] = (await t.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'closed')::int AS closed,
              (SELECT count(*)::int FROM course_statements st WHERE st.organization_id = $1) AS statements
         FROM courses WHERE organization_id = $1`,
      [org],
    )) as Record<string, number>[];
    expect(courses).toEqual({ n: 8, closed: 8, statements: 8 });

    // more people, then again: the same courses, only the new people enrolled
    await generateBenchData(t.appDatabaseUrl, 'bench-training', { staff: 100 });
    const second = await generateBenchEnrolments(t.appDatabaseUrl, org, { years: [2019, 2022], coursesPerYear: 2 });
    expect(second.courses).toBe(0);
    expect(first.enrolments + second.enrolments).toBe(await eligible());
    expect(second.enrolments).toBeGreaterThan(0);
  });
});
