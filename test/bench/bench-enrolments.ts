/**
 * Training volume for benchmarks: courses of several fiscal years and their enrolments for the
 * staff of one organisation (made first with `generateBenchData`), written set-based: one INSERT …
 * SELECT for the courses and one for the enrolments, then VACUUM ANALYZE so the planner and the
 * visibility map (index-only scans) are as autovacuum would leave them.
 *
 * Each course enrols a share of the staff (courses for everyone, for some roles or departments);
 * completion rises year by year from the FY2017-style 84% toward 100%, one in a hundred is exempt,
 * retired people's open enrolments are withdrawn, some completions come after the due day (late),
 * and one in fifty completed enrolments stays credited to another department (people who moved).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export interface BenchEnrolmentsOptions {
  /** courses made in each fiscal year (their kinds cycle through e-learning, policy acknowledgement, classroom, targeted-mail drill, new hire) */
  coursesPerYear: number;
  /** the fiscal years, e.g. [2019, 2020, 2021, 2022] */
  years: readonly number[];
  /** the share of the staff each course enrols (0–1, default 1: everyone) */
  share?: number;
}

export interface BenchEnrolmentsResult {
  organizationId: string;
  courses: number;
  enrolments: number;
  ms: number;
}

const KINDS = ['e_learning', 'policy_acknowledgement', 'classroom', 'targeted_mail_drill', 'new_hire'] as const;

/**
 * Adds `coursesPerYear` published courses to each of `years` for the organisation `code` and enrols
 * `share` of its staff in each: staff × coursesPerYear × years × share enrolments (100,000 staff × 5
 * courses × 4 years × 0.5 = 1,000,000).
 */
export async function generateBenchEnrolments(databaseUrl: string, code: string, options: BenchEnrolmentsOptions): Promise<BenchEnrolmentsResult> {
  const share = options.share ?? 1;
  if (!Number.isInteger(options.coursesPerYear) || options.coursesPerYear < 1) throw new Error('coursesPerYear must be a whole number of at least 1');
  if (share <= 0 || share > 1) throw new Error('share must be more than 0 and at most 1');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    const { rows: orgs } = (await client.query(`SELECT id FROM organizations WHERE code = $1`, [code])) as { rows: { id: string }[] };
    if (!orgs[0]) throw new Error(`no organisation ${code}: make its staff first (generateBenchData)`);
    const organizationId = orgs[0].id;
    await client.query('BEGIN');
    const courses = await client.query(
      `INSERT INTO courses (organization_id, fiscal_year, kind, title, title_en, audience, opens_on, due_on, statement, status, published_at)
       SELECT $1, y, ($3::text[])[1 + (k - 1) % array_length($3::text[], 1)],
              'ベンチ研修 ' || y || '-' || k, 'Bench course ' || y || '-' || k, '{"all": true}',
              make_date(y, 5, 1), make_date(y, 12, 28), '誓約します。', 'published',
              make_timestamptz(y, 5, 1, 9, 0, 0, 'Asia/Tokyo')
         FROM unnest($2::int[]) y CROSS JOIN generate_series(1, $4::int) k`,
      [organizationId, [...options.years], KINDS, options.coursesPerYear],
    );
    const { rows: departments } = (await client.query(`SELECT id FROM departments WHERE organization_id = $1 ORDER BY code`, [organizationId])) as {
      rows: { id: string }[];
    };
    // u: a number in [0, 1) per person and course, spread evenly; the year's completion rate rises by 4 points a year (84, 88, 92, 96%)
    const enrolled = await client.query(
      `WITH people AS (
         SELECT s.id, s.department_id, s.status, row_number() OVER (ORDER BY s.employee_number) AS n
           FROM staff s WHERE s.organization_id = $1
       ), offered AS (
         SELECT c.id, c.fiscal_year, c.opens_on, c.due_on, row_number() OVER (ORDER BY c.fiscal_year, c.title) AS k,
                least(0.84 + 0.04 * (c.fiscal_year - $3::int), 0.98) AS rate
           FROM courses c WHERE c.organization_id = $1 AND c.fiscal_year = ANY($2::int[]) AND c.title LIKE 'ベンチ研修 %'
       ), pairs AS (
         SELECT p.id AS staff_id, p.department_id, p.status, p.n, o.*,
                ((p.n * 7919 + o.k * 104729) % 10007) / 10007.0 AS u,
                ((p.n * 31 + o.k * 17) % 1000) / 1000.0 AS pick
           FROM offered o CROSS JOIN people p
       ), timed AS (
         SELECT pairs.*, make_timestamptz(extract(year FROM opens_on)::int, 5, 1, 9, 0, 0, 'Asia/Tokyo') AS enrolled_at,
                CASE WHEN u < rate THEN make_timestamptz(extract(year FROM opens_on)::int, 5, 1, 9, 0, 0, 'Asia/Tokyo')
                                         + (u / rate) * (due_on - opens_on + 60) * interval '1 day' END AS completed_at
           FROM pairs WHERE pick < $4::numeric
       )
       INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, enrolled_at, due_on,
                               completed_at, completed_late, completed_via, exempt_at, exemption_kind, exemption_reason, withdrawn_at)
       SELECT $1, id, fiscal_year, staff_id,
              CASE WHEN completed_at IS NOT NULL AND n % 50 = 0 THEN ($5::uuid[])[1 + (n * 13) % array_length($5::uuid[], 1)] ELSE department_id END,
              'publish', enrolled_at, due_on,
              completed_at, coalesce((completed_at AT TIME ZONE 'Asia/Tokyo')::date > due_on, false),
              CASE WHEN completed_at IS NOT NULL THEN 'self' END,
              CASE WHEN completed_at IS NULL AND u < rate + 0.01 THEN enrolled_at + interval '30 days' END,
              CASE WHEN completed_at IS NULL AND u < rate + 0.01 THEN 'long_leave' END,
              CASE WHEN completed_at IS NULL AND u < rate + 0.01 THEN '長期休業' END,
              CASE WHEN completed_at IS NULL AND u >= rate + 0.01 AND status = 'retired' THEN enrolled_at + interval '200 days' END
         FROM timed`,
      [organizationId, [...options.years], Math.min(...options.years), share, departments.map((d) => d.id)],
    );
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE enrolments');
    await client.query('VACUUM ANALYZE courses');
    return { organizationId, courses: courses.rowCount ?? 0, enrolments: enrolled.rowCount ?? 0, ms: performance.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
