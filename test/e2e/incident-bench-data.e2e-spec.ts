import { fiscalYearOf } from '../../src/common/dates.js';
import { generateBenchData } from '../bench/bench-data.js';
import { generateBenchIncidents, incidentsPerYear } from '../bench/incident-data.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('bench data: incidents of FY2019 to now in one statement', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('spreads the incidents over the fiscal years, more each year, all of them given to the years', () => {
    const now = new Date('2026-11-30T03:00:00Z');
    const perYear = incidentsPerYear(50_000, 2019, 2026, now);
    expect([...perYear.keys()]).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect([...perYear.values()].reduce((a, b) => a + b, 0)).toBe(50_000);
    for (let year = 2020; year <= 2025; year++) expect(perYear.get(year)!).toBeGreaterThan(perYear.get(year - 1)!);
    // the current year counts for the eight months gone by
    expect(perYear.get(2026)!).toBeLessThan(perYear.get(2025)!);
  });

  it('adds incidents with gapless references per fiscal year, continuing the counters; states, severities and times as a town has them', async () => {
    const { organizationId: org } = await generateBenchData(t.appDatabaseUrl, 'bench-incidents', { staff: 300, departments: 6 });
    // a real report of this year first: the bench's numbers follow it
    await t.dataSource.query(`INSERT INTO reference_counters (organization_id, series, fiscal_year, last) VALUES ($1, 'INC', $2, 1)`, [
      org,
      fiscalYearOf(new Date()),
    ]);
    const first = await generateBenchIncidents(t.appDatabaseUrl, org, { incidents: 4_000 });
    const second = await generateBenchIncidents(t.appDatabaseUrl, org, { incidents: 1_000 });
    expect(first.incidents + second.incidents).toBe(5_000);
    const current = fiscalYearOf(new Date());
    expect(first.byYear.map((y) => y.fiscalYear)).toEqual(Array.from({ length: current - 2018 }, (_, i) => 2019 + i));
    expect(first.byYear.find((y) => y.fiscalYear === current)!.first).toBe(2);

    const years = (await t.dataSource.query(
      `SELECT i.fiscal_year, count(*)::int AS n, count(DISTINCT i.reference)::int AS refs,
              min(substring(i.reference FROM 10)::int) AS low, max(substring(i.reference FROM 10)::int) AS high,
              bool_and(i.reference LIKE 'INC-' || i.fiscal_year || '-%') AS prefixed,
              count(*) FILTER (WHERE i.fiscal_year <> (CASE WHEN extract(month FROM i.reported_at AT TIME ZONE 'Asia/Tokyo') >= 4
                                                           THEN extract(year FROM i.reported_at AT TIME ZONE 'Asia/Tokyo')
                                                           ELSE extract(year FROM i.reported_at AT TIME ZONE 'Asia/Tokyo') - 1 END))::int AS wrong_year,
              (SELECT c.last FROM reference_counters c WHERE c.organization_id = $1 AND c.series = 'INC' AND c.fiscal_year = i.fiscal_year) AS counter
         FROM incidents i WHERE i.organization_id = $1 GROUP BY i.fiscal_year ORDER BY i.fiscal_year`,
      [org],
    )) as { fiscal_year: number; n: number; refs: number; low: number; high: number; prefixed: boolean; wrong_year: number; counter: number }[];
    for (const year of years) {
      // gapless: 1 … n (this year: 2 … n + 1, after the real report), each once, and the counter at the last
      const low = year.fiscal_year === current ? 2 : 1;
      expect(year).toMatchObject({ refs: year.n, low, high: year.n + low - 1, prefixed: true, wrong_year: 0, counter: year.n + low - 1 });
    }
    // the second run continued each year's numbers
    for (const y of second.byYear) expect(y.first).toBe(first.byYear.find((f) => f.fiscalYear === y.fiscalYear)!.last + 1);

    const [mix] = (await t.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE near_miss)::int AS near_misses,
              count(*) FILTER (WHERE near_miss AND severity IS DISTINCT FROM 'L0' AND status NOT IN ('reported', 'rejected'))::int AS near_miss_not_l0,
              count(*) FILTER (WHERE status = 'reported' AND (severity IS NOT NULL OR triaged_at IS NOT NULL))::int AS untriaged_assessed,
              count(*) FILTER (WHERE status IN ('closed', 'rejected') AND closed_at IS NULL)::int AS closed_without_time,
              count(*) FILTER (WHERE status NOT IN ('closed', 'rejected') AND reported_at < now() - interval '60 days' AND status NOT IN ('recovered', 'contained'))::int AS old_open,
              count(*) FILTER (WHERE greatest(reported_at, acknowledged_at, triaged_at, contained_at, closed_at) > now() OR occurred_at > reported_at)::int AS out_of_time,
              count(DISTINCT severity)::int AS severities, count(DISTINCT category)::int AS categories, count(DISTINCT reporter_department_id)::int AS departments,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM incident_timeline e WHERE e.incident_id = i.id AND e.kind = 'reported'))::int AS without_timeline
         FROM incidents i WHERE organization_id = $1`,
      [org],
    )) as Record<string, number>[];
    expect(mix).toMatchObject({
      n: 5_000,
      near_miss_not_l0: 0,
      untriaged_assessed: 0,
      closed_without_time: 0,
      old_open: 0,
      out_of_time: 0,
      without_timeline: 0,
    });
    expect(mix!.near_misses / 5_000).toBeCloseTo(0.4, 1);
    expect(mix).toMatchObject({ severities: 4, categories: 11, departments: 6 });
  });
});
