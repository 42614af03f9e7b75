import { generateBenchData } from '../bench/bench-data.js';
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
});
