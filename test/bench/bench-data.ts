/**
 * Realistic volume for benchmarks: departments and staff of one organisation, written with
 * set-based statements (one INSERT … SELECT over generate_series per table), so a prefecture's
 * 100,000 people take seconds. Later modules add their own rows here (training enrolments,
 * incidents, …) the same way, and their bench sections call it.
 *
 * `npm run bench:data -- --staff 100000 [--departments 200] [--organization bench-town]` fills the
 * database of DATABASE_URL (default: the demo's `mamori`, migrated first with `npm run demo` or
 * `npm run cli -- migrate`). `--incidents 50000` adds incidents of FY2019 to now (incident-data.ts;
 * alone, it adds people to report them only when the organisation has none).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { FAMILY_NAMES, GIVEN_NAMES } from '../../seeds/demo-town.data.js';
import { timeOrderedIdsSql } from '../../src/common/uuid.js';
import { generateBenchIncidents } from './incident-data.js';

export interface BenchDataOptions {
  /** how many people to add (employee numbers continue after the organisation's highest B-number) */
  staff: number;
  /** how many departments to spread them over (made when the organisation has fewer) */
  departments?: number;
}

export interface BenchDataResult {
  organizationId: string;
  departments: number;
  staffAdded: number;
  ms: number;
}

/**
 * Adds `options.staff` people to the organisation `code` (created when missing): about one in four a
 * fiscal-year appointee, 3% on leave, 2% retired, spread over the departments; none can sign in.
 */
export async function generateBenchData(databaseUrl: string, code: string, options: BenchDataOptions): Promise<BenchDataResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('BEGIN');
    const { rows: orgs } = (await client.query(
      `INSERT INTO organizations (code, name) VALUES ($1, $2)
       ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
      [code, 'ベンチ県'],
    )) as { rows: { id: string }[] };
    const organizationId = orgs[0]!.id;
    const wanted = options.departments ?? Math.max(20, Math.ceil(options.staff / 500));
    await client.query(
      `INSERT INTO departments (organization_id, code, name)
       SELECT $1, 'B' || lpad(n::text, 4, '0'), '部署' || n FROM generate_series(1, $2::int) n
       ON CONFLICT DO NOTHING`,
      [organizationId, wanted],
    );
    const { rows: departments } = (await client.query(`SELECT id FROM departments WHERE organization_id = $1 AND closed_on IS NULL ORDER BY code`, [
      organizationId,
    ])) as { rows: { id: string }[] };
    const { rows: last } = (await client.query(
      `SELECT coalesce(max(substring(employee_number FROM 2)::int), 0) AS n FROM staff WHERE organization_id = $1 AND employee_number ~ '^B[0-9]+$'`,
      [organizationId],
    )) as { rows: { n: number }[] };
    const first = Number(last[0]!.n) + 1;
    const inserted = await client.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, family_name_kana, given_name_kana, email,
                          department_id, roles, status, employment_type, joined_on, left_on)
       SELECT $1, 'B' || lpad(n::text, 7, '0'),
              ($4::text[])[1 + n % array_length($4::text[], 1)], ($6::text[])[1 + (n / 7) % array_length($6::text[], 1)],
              ($5::text[])[1 + n % array_length($5::text[], 1)], ($7::text[])[1 + (n / 7) % array_length($7::text[], 1)],
              'b' || n || '@' || $8::text || '.bench.example',
              ($9::uuid[])[1 + (n::bigint * 7919) % array_length($9::uuid[], 1)],
              CASE WHEN n % 40 = 0 THEN '{manager,staff}'::text[] ELSE '{staff}'::text[] END,
              CASE WHEN n % 100 < 3 THEN 'on_leave' WHEN n % 100 < 5 THEN 'retired' ELSE 'active' END,
              CASE WHEN n % 4 = 1 THEN 'fiscal_year_appointed' WHEN n % 50 = 7 THEN 'temporary' WHEN n % 50 = 23 THEN 'contractor' ELSE 'regular' END,
              make_date(1985 + n % 38, 4, 1),
              CASE WHEN n % 100 BETWEEN 3 AND 4 THEN make_date(2023, 3, 31) END
         FROM generate_series($2::int, $3::int) n`,
      [
        organizationId,
        first,
        first + options.staff - 1,
        // the demo town's sixty family and sixty given names, with their readings: names repeat as in a real town
        FAMILY_NAMES.map((family) => family.name),
        FAMILY_NAMES.map((family) => family.kana),
        GIVEN_NAMES.map((given) => given.name),
        GIVEN_NAMES.map((given) => given.kana),
        code,
        departments.map((department) => department.id),
      ],
    );
    await client.query('COMMIT');
    return { organizationId, departments: departments.length, staffAdded: inserted.rowCount ?? 0, ms: performance.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** A fiscal year's share of completions (of those not exempt): the plan's 84% of FY2017, rising toward 100%. */
export function benchCompletionRate(fiscalYear: number): number {
  return ({ 2019: 0.86, 2020: 0.91, 2021: 0.96, 2022: 0.99 } as Record<number, number>)[fiscalYear] ?? (fiscalYear < 2019 ? 0.84 : 0.995);
}

/** The share of a fiscal year's completions made after the due day (fewer as the habit takes hold). */
export function benchLateShare(fiscalYear: number): number {
  return ({ 2019: 0.15, 2020: 0.1, 2021: 0.06, 2022: 0.03 } as Record<number, number>)[fiscalYear] ?? (fiscalYear < 2019 ? 0.2 : 0.02);
}

/** The statement the bench courses' completions signed (version 1). */
const BENCH_STATEMENT = '研修の内容を理解し、情報セキュリティポリシーを遵守することを誓約します。';
const BENCH_STATEMENT_EN = 'I have understood the training and will comply with the information security policy.';

/** Of each course's enrolments, about this share is exempt (long leave, secondment) besides the people on leave in the last year. */
export const BENCH_EXEMPT_SHARE = 0.005;

/** The kinds and titles of a year's bench courses, in order (K courses a year take the first K, then repeat). */
const BENCH_COURSES: readonly { kind: string; title: string; titleEn: string }[] = [
  { kind: 'e_learning', title: '情報セキュリティ研修（全職員）', titleEn: 'Information security training (all staff)' },
  { kind: 'policy_acknowledgement', title: '情報セキュリティポリシーの確認', titleEn: 'Acknowledging the security policy' },
  { kind: 'e_learning', title: '個人情報保護研修', titleEn: 'Personal data protection training' },
  { kind: 'e_learning', title: '標的型メール対策研修', titleEn: 'Targeted e-mail training' },
];

export interface BenchEnrolmentOptions {
  /** the first and last fiscal year (default FY2019–FY2022) */
  years?: readonly [number, number];
  /** all-staff courses per fiscal year (default 3) */
  coursesPerYear?: number;
  /** connections that enrol people side by side, each a part of the staff (default 2) */
  connections?: number;
}

/** A bench course as the enrolment statements read it. */
interface BenchCourse {
  id: string;
  made: boolean;
  fiscal_year: number;
  opens_on: string;
  due_on: string;
  rate: number;
  late_share: number;
  last_year: boolean;
}

export interface BenchEnrolmentResult {
  courses: number;
  enrolments: number;
  ms: number;
}

/**
 * Courses for fiscal years past and their enrolments, in set-based statements (one INSERT … SELECT
 * for the courses, one for their statements, one per course for the enrolments of each part of the
 * staff, the parts side by side on connections of their own): each year `coursesPerYear` courses
 * for all staff, closed, in which everyone who worked there that year was enrolled (joiners during
 * the year from their joining day, due 30 days on); completion of those not exempt follows
 * {@link benchCompletionRate} (some late, {@link benchLateShare}), completion times spread over the
 * year; about 0.5% exempt with a reason, and the people now on leave exempt in the last year;
 * people who left during the year without completing are withdrawn. Credited to the person's
 * department. A second run makes no second course of a year and title; it enrols in them the people
 * not yet enrolled. 1,150,000 enrolments (100,000 staff, 3 courses, 4 years) took 46 s on a busy
 * two-core machine.
 */
export async function generateBenchEnrolments(databaseUrl: string, organizationId: string, options: BenchEnrolmentOptions = {}): Promise<BenchEnrolmentResult> {
  const [from, to] = options.years ?? [2019, 2022];
  const perYear = options.coursesPerYear ?? 3;
  const parts = options.connections ?? 2;
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let courses: BenchCourse[];
  try {
    // the courses first, committed, so the connections that enrol people see them
    await client.query('BEGIN');
    const specs = [];
    for (let year = from; year <= to; year++) {
      for (let k = 0; k < perYear; k++) {
        const course = BENCH_COURSES[k % BENCH_COURSES.length]!;
        const round = Math.floor(k / BENCH_COURSES.length);
        specs.push({
          fiscal_year: year,
          kind: course.kind,
          title: round ? `${course.title}（${round + 1}）` : course.title,
          title_en: round ? `${course.titleEn} (${round + 1})` : course.titleEn,
          // the year's courses open a month apart from June and are due about six months later
          opens_on: `${year}-${String(6 + (k % 4)).padStart(2, '0')}-01`,
          due_on: `${year}-${String(11 + (k % 2)).padStart(2, '0')}-${k % 2 ? '25' : '30'}`,
          rate: benchCompletionRate(year),
          late_share: benchLateShare(year),
          last_year: year === to,
        });
      }
    }
    // the year's courses, made once: a second run finds them by year and title
    const { rows } = (await client.query(
      `WITH spec AS (SELECT * FROM json_to_recordset($2::json)
                       AS x(fiscal_year int, kind text, title text, title_en text, opens_on date, due_on date, rate float8, late_share float8, last_year boolean)),
            made AS (
              INSERT INTO courses (organization_id, fiscal_year, kind, title, title_en, body, audience, opens_on, due_on, statement, statement_en,
                                   status, published_at, closed_at, created_at, updated_at)
              SELECT $1, x.fiscal_year, x.kind, x.title, x.title_en, '# ' || x.title, '{"all": true}', x.opens_on, x.due_on, $3, $4,
                     'closed', (x.opens_on + time '09:00') AT TIME ZONE 'Asia/Tokyo', (make_date(x.fiscal_year + 1, 3, 31) + time '18:00') AT TIME ZONE 'Asia/Tokyo',
                     (x.opens_on - 14 + time '10:00') AT TIME ZONE 'Asia/Tokyo', (make_date(x.fiscal_year + 1, 3, 31) + time '18:00') AT TIME ZONE 'Asia/Tokyo'
                FROM spec x
               WHERE NOT EXISTS (SELECT 1 FROM courses c WHERE c.organization_id = $1 AND c.fiscal_year = x.fiscal_year AND c.title = x.title)
              RETURNING id, fiscal_year, title)
       SELECT coalesce(m.id, c.id) AS id, (m.id IS NOT NULL) AS made, x.fiscal_year, x.opens_on::text AS opens_on, x.due_on::text AS due_on,
              x.rate, x.late_share, x.last_year
         FROM spec x
         LEFT JOIN made m ON m.fiscal_year = x.fiscal_year AND m.title = x.title
         LEFT JOIN courses c ON m.id IS NULL AND c.organization_id = $1 AND c.fiscal_year = x.fiscal_year AND c.title = x.title`,
      [organizationId, JSON.stringify(specs), BENCH_STATEMENT, BENCH_STATEMENT_EN],
    )) as { rows: BenchCourse[] };
    courses = rows;
    await client.query(
      `INSERT INTO course_statements (organization_id, course_id, version, text, text_en)
       SELECT $1, id, 1, $3, $4 FROM unnest($2::uuid[]) AS id`,
      [organizationId, rows.filter((c) => c.made).map((c) => c.id), BENCH_STATEMENT, BENCH_STATEMENT_EN],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }

  // the people in `parts` parts (by a hash of their id), each on a connection and in a transaction of
  // its own, committed together once every part is in; per part, one statement per course (people
  // in the order of their ids, which get time-ordered ids in that order: the rows land side by side
  // in the primary key and the (course, person) index); each row's fate is drawn from two hashes of
  // its person seeded by the course
  const clients = Array.from({ length: parts }, () => new pg.Client({ connectionString: databaseUrl }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    // each course's people are sorted in memory, not on disk
    await Promise.all(clients.map(async (c) => (await c.query('BEGIN'), await c.query(`SET LOCAL work_mem = '64MB'`))));
    const counts = await Promise.all(
      clients.map(async (client, part) => {
        let enrolled = 0;
        for (const [index, course] of courses.entries()) {
          const params: unknown[] = [organizationId, course.id, course.fiscal_year, course.opens_on, course.due_on, course.rate, course.late_share];
          // the draws' seed: the course's fiscal year and place in it, so the same people complete on every run
          params.push(course.last_year, BENCH_EXEMPT_SHARE, course.fiscal_year * 1000 + index * 2, parts, part);
          const id = timeOrderedIdsSql(params, 'row_number() OVER (ORDER BY f.staff_id)');
          const inserted = await client.query(
            `WITH m AS (
                    SELECT s.id AS staff_id, s.department_id, s.status, s.joined_on, s.left_on,
                           make_date($3 + 1, 3, 31) AS fy_end, ($4::date + time '09:00') AT TIME ZONE 'Asia/Tokyo' AS published_at,
                           (uuid_hash_extended(s.id, $10::bigint) & 2147483647) / 2147483648.0 AS u,
                           (uuid_hash_extended(s.id, $10::bigint + 1) & 2147483647) / 2147483648.0 AS v
                      FROM staff s
                     WHERE s.organization_id = $1 AND coalesce(s.joined_on, '1900-01-01') <= make_date($3 + 1, 3, 31)
                       AND (s.left_on IS NULL OR s.left_on >= $4::date) AND (s.status <> 'retired' OR s.left_on IS NOT NULL)
                       AND (uuid_hash(s.id) & 2147483647) % $11 = $12
                   ${course.made ? '' : 'AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = $2::uuid AND e.staff_id = s.id)'}),
                  f AS (
                    SELECT m.*,
                           CASE WHEN m.joined_on > $4::date THEN GREATEST($5::date, LEAST(m.joined_on + 30, m.fy_end)) ELSE $5::date END AS due_on,
                           GREATEST(m.published_at, (m.joined_on + time '09:00') AT TIME ZONE 'Asia/Tokyo') AS enrolled_at,
                           (m.u >= 1 - $9::float8 OR ($8::boolean AND m.status = 'on_leave')) AS exempt,
                           m.u < $6::float8 * (1 - $9::float8) AS completed,
                           m.u < $6::float8 * (1 - $9::float8) * $7::float8 AS late
                      FROM m)
             INSERT INTO enrolments (id, organization_id, course_id, fiscal_year, staff_id, department_id, source, enrolled_at, due_on,
                                     completed_at, completed_late, completed_via, completed_by_id, statement_version,
                                     exempt_at, exemption_kind, exemption_reason, withdrawn_at, created_at, updated_at)
             SELECT ${id}, $1, $2::uuid, $3, f.staff_id, f.department_id,
                    CASE WHEN f.joined_on > $4::date THEN 'joined' ELSE 'publish' END, f.enrolled_at, f.due_on,
                    d.completed_at, coalesce((d.completed_at AT TIME ZONE 'Asia/Tokyo')::date > f.due_on, false),
                    CASE WHEN d.completed_at IS NOT NULL THEN 'self' END, CASE WHEN d.completed_at IS NOT NULL THEN f.staff_id END,
                    CASE WHEN d.completed_at IS NOT NULL THEN 1 END,
                    d.exempt_at, CASE WHEN f.exempt THEN CASE WHEN f.status = 'on_leave' OR f.v < 0.5 THEN 'long_leave' ELSE 'secondment' END END,
                    CASE WHEN f.exempt THEN CASE WHEN f.status = 'on_leave' OR f.v < 0.5 THEN '長期の休職のため' ELSE '他団体への派遣（出向）のため' END END,
                    d.withdrawn_at, f.enrolled_at, coalesce(d.completed_at, d.exempt_at, d.withdrawn_at, f.enrolled_at)
               FROM f
              CROSS JOIN LATERAL (
                SELECT CASE WHEN NOT f.exempt AND f.completed THEN
                         -- on time: between enrolment and the due day, most near the end, in office hours; late: in the weeks after it
                         CASE WHEN f.late AND f.due_on < f.fy_end
                              THEN ((f.due_on + 1 + floor((f.fy_end - f.due_on - 1) * f.v * f.v)::int) + time '09:00' + (f.u * 997 - floor(f.u * 997)) * interval '8 hours') AT TIME ZONE 'Asia/Tokyo'
                              ELSE (((f.enrolled_at AT TIME ZONE 'Asia/Tokyo')::date + floor((f.due_on - (f.enrolled_at AT TIME ZONE 'Asia/Tokyo')::date) * sqrt(f.v))::int)
                                    + time '09:00' + (f.u * 997 - floor(f.u * 997)) * interval '8 hours') AT TIME ZONE 'Asia/Tokyo'
                         END
                       END AS completed_at,
                       CASE WHEN f.exempt THEN f.enrolled_at + interval '14 days' END AS exempt_at,
                       CASE WHEN NOT f.exempt AND NOT f.completed AND f.left_on <= f.fy_end THEN (f.left_on + time '17:00') AT TIME ZONE 'Asia/Tokyo' END AS withdrawn_at
              ) d
              ORDER BY f.staff_id`,
            params,
          );
          enrolled += inserted.rowCount ?? 0;
        }
        return enrolled;
      }),
    );
    await Promise.all(clients.map((c) => c.query('COMMIT')));
    return { courses: courses.filter((c) => c.made).length, enrolments: counts.reduce((a, b) => a + b, 0), ms: performance.now() - started };
  } catch (error) {
    await Promise.all(clients.map((c) => c.query('ROLLBACK').catch(() => undefined)));
    throw error;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

/** `--name value` of the command line. */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const incidentsText = option('incidents');
  const incidents = incidentsText === undefined ? undefined : Number(incidentsText);
  if (incidents !== undefined && (!Number.isInteger(incidents) || incidents < 0 || incidents > 5_000_000))
    throw new Error('--incidents must be a whole number from 0 to 5,000,000');
  // incidents alone: people to report them only when the organisation has none yet
  const staff = Number(option('staff') ?? (incidents === undefined ? '10000' : '0'));
  const departments = option('departments') === undefined ? undefined : Number(option('departments'));
  if (!Number.isInteger(staff) || staff < 0 || staff > 5_000_000) throw new Error('--staff must be a whole number from 0 to 5,000,000');
  if (departments !== undefined && (!Number.isInteger(departments) || departments < 1 || departments > 9_999))
    throw new Error('--departments must be a whole number from 1 to 9,999');
  const yearsText = option('years');
  const perYearText = option('courses-per-year');
  const withEnrolments = process.argv.includes('--enrolments') || yearsText !== undefined || perYearText !== undefined;
  const years = yearsText === undefined ? undefined : (/^(\d{4})(?:-(\d{4}))?$/.exec(yearsText) ?? undefined);
  if (yearsText !== undefined && (!years || Number(years[2] ?? years[1]) < Number(years[1])))
    throw new Error('--years must be a fiscal year or a range of them, as 2019-2022');
  const perYear = perYearText === undefined ? undefined : Number(perYearText);
  if (perYear !== undefined && (!Number.isInteger(perYear) || perYear < 1 || perYear > 50))
    throw new Error('--courses-per-year must be a whole number from 1 to 50');
  const url = process.env.DATABASE_URL ?? 'postgres://mamori@127.0.0.1:5432/mamori';
  let result = await generateBenchData(url, option('organization') ?? 'bench-town', { staff, departments });
  if (incidents !== undefined && option('staff') === undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = (await client
      .query(`SELECT count(*)::int AS n FROM staff WHERE organization_id = $1 AND status = 'active'`, [result.organizationId])
      .finally(() => client.end())) as { rows: { n: number }[] };
    if (rows[0]!.n === 0) result = await generateBenchData(url, option('organization') ?? 'bench-town', { staff: 1_000, departments });
  }
  const training = withEnrolments
    ? await generateBenchEnrolments(url, result.organizationId, {
        ...(years ? { years: [Number(years[1]), Number(years[2] ?? years[1])] as const } : {}),
        ...(perYear ? { coursesPerYear: perYear } : {}),
      })
    : undefined;
  const incidentsAdded = incidents === undefined ? undefined : await generateBenchIncidents(url, result.organizationId, { incidents });
  process.stdout.write(
    `${JSON.stringify({
      ...result,
      ms: Math.round(result.ms),
      ...(training ? { training: { ...training, ms: Math.round(training.ms) } } : {}),
      ...(incidentsAdded ? { incidents: { ...incidentsAdded, ms: Math.round(incidentsAdded.ms) } } : {}),
    })}\n`,
  );
}
if (process.argv[1]?.endsWith('bench-data.js')) {
  main().catch((error: Error) => {
    process.stderr.write(`bench:data: ${error.message}\n`);
    process.exit(1);
  });
}
