/**
 * Realistic volume for benchmarks: departments and staff of one organisation, written with
 * set-based statements (one INSERT … SELECT over generate_series per table), so a prefecture's
 * 100,000 people take seconds. Later modules add their own rows here (training enrolments,
 * incidents, …) the same way, and their bench sections call it.
 *
 * `npm run bench:data -- --staff 100000 [--departments 200] [--organization bench-town]` fills the
 * database of DATABASE_URL (default: the demo's `mamori`, migrated first with `npm run demo` or
 * `npm run cli -- migrate`).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { FAMILY_NAMES, GIVEN_NAMES } from '../../seeds/demo-town.data.js';

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
              ($9::uuid[])[1 + (n * 7919) % array_length($9::uuid[], 1)],
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

/** `--name value` of the command line. */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const staff = Number(option('staff') ?? '10000');
  const departments = option('departments') === undefined ? undefined : Number(option('departments'));
  if (!Number.isInteger(staff) || staff < 1 || staff > 5_000_000) throw new Error('--staff must be a whole number from 1 to 5,000,000');
  if (departments !== undefined && (!Number.isInteger(departments) || departments < 1 || departments > 9_999))
    throw new Error('--departments must be a whole number from 1 to 9,999');
  const url = process.env.DATABASE_URL ?? 'postgres://mamori@127.0.0.1:5432/mamori';
  const result = await generateBenchData(url, option('organization') ?? 'bench-town', { staff, departments });
  process.stdout.write(`${JSON.stringify({ ...result, ms: Math.round(result.ms) })}\n`);
}

if (process.argv[1]?.endsWith('bench-data.js')) {
  main().catch((error: Error) => {
    process.stderr.write(`bench:data: ${error.message}\n`);
    process.exit(1);
  });
}
