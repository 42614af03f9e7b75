import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tokyoToday } from '../../src/common/calendar.js';
import { projectRoot } from '../../src/database/project-root.js';
import { createTestDatabase } from '../support/databases.js';
import { TEST_SECRET_KEY } from '../support/test-app.js';

/** The compiled CLI, as an operator runs it, on a database of this file's own. */
describe('command line', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    // the owner: one test tampers with the trail behind the triggers, which the app's role cannot
    client = new pg.Client({ connectionString: database.ownerUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  /** the demo town hashes dozens of passwords: test-strength hashing, as the test app uses (production refuses it) */
  const CHEAP_HASHING = { PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_TIME_COST: '1', PASSWORD_HASH_PARALLELISM: '1' };
  const cli = (args: string[], input = '', env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), ...args], {
      input,
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        SECRET_KEY: TEST_SECRET_KEY,
        QUEUE_PREFIX: 'mamori-test-cli',
        ...CHEAP_HASHING,
        ...env,
      },
      timeout: 60_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const count = async (table: string) => Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('lists every command', () => {
    const { code, stdout } = cli(['help']);
    expect(code).toBe(0);
    for (const command of ['migrate', 'seed:demo', 'staff:create', 'audit-trail:verify', 'totp:code']) expect(stdout).toContain(command);
  });

  it('creates the first administrator on an empty database, with a TOTP URI', () => {
    const { code, stdout, stderr } = cli(
      ['staff:create', '--email', 'First.Admin@Town.example', '--name', '山田 太郎', '--roles', 'admin,ciso'],
      'a-long-enough-password\n',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({
      id: expect.any(String),
      email: 'first.admin@town.example',
      roles: ['admin', 'ciso', 'staff'],
      otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Mamori:first\.admin%40town\.example\?/),
    });
  });

  it('gives privileged roles only to the first administrator; anyone later is asked for through a role request', async () => {
    const people = await count('staff');
    const second = cli(['staff:create', '--email', 'second.admin@town.example', '--name', '佐藤 次郎', '--roles', 'admin'], 'a-long-enough-password\n');
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stderr)).toMatchObject({
      code: 'ROLE_CHANGE_NEEDS_APPROVAL',
      detail: expect.stringMatching(/already has an administrator.*role request/),
      errors: [{ field: 'roles' }],
    });
    const cisoOnly = cli(
      ['staff:create', '--email', 'ciso@other.example', '--name', '鈴木 三郎', '--roles', 'ciso', '--organization', 'other-town'],
      'a-long-enough-password\n',
    );
    expect(cisoOnly.code).toBe(1);
    expect(cisoOnly.stderr).toMatch(/first administrator/);
    expect(await count('staff')).toBe(people);
    expect(Number((await client.query(`SELECT count(*) FROM organizations WHERE code = 'other-town'`)).rows[0].count)).toBe(0);
    const plain = cli(['staff:create', '--email', 'clerk@town.example', '--name', '田中 四郎', '--roles', 'staff'], 'a-long-enough-password\n');
    expect(plain.stderr).toBe('');
    expect(JSON.parse(plain.stdout)).toMatchObject({ email: 'clerk@town.example', roles: ['staff'] });
  });

  it('refuses bad input with one line and a non-zero exit', () => {
    const short = cli(['staff:create', '--email', 'x@town.example', '--name', '山田 花子', '--roles', 'staff'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password must be at least 12 characters/);
    const role = cli(['staff:create', '--email', 'y@town.example', '--name', '山田 花子', '--roles', 'wizard'], 'a-long-enough-password\n');
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/roles/);
    const config = cli(['help'], '', { PORT: 'eighty' });
    expect(config.code).toBe(1);
    expect(config.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Configuration error: PORT /)]);
  });

  it('seeds the demo town once: a second run changes nothing', async () => {
    const first = cli(['seed:demo']);
    expect(first.code).toBe(0);
    const seeded = JSON.parse(first.stdout);
    expect(seeded.created).toEqual({ departments: 20, staff: 407 });
    expect(seeded.compliance).toMatchObject({ policies: { controls: { created: 56 } }, approved: ['basic-policy', 'standards'], controlStatuses: 56 });
    // every active member of staff is asked to acknowledge the basic policy: enrolments in its acknowledgement course
    expect(await count(`enrolments e JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement'`)).toBe(387);
    // training: FY2019–FY2022 (all staff, managers, new staff, a drill each year) and this fiscal year's all-staff course
    expect(seeded.training.created).toMatchObject({ courses: 17, enrolments: 2050, drillResults: 1542 });
    expect(seeded.training.created.quizAttempts).toBeGreaterThan(1500);
    // incidents and near misses FY2019 to now (seeds/demo-incidents.data.ts)
    expect(seeded.incidents.created).toMatchObject({ incidents: 15, nearMisses: 11, externalReports: 6, reviews: 4 });
    // audits: an internal audit and a self-inspection a year, FY2019–FY2022 (seeds/demo-audits.data.ts), a few findings carried over
    // the response plan: eight scenarios with their playbooks, the outside contacts
    expect(seeded.responsePlan.scenarios).toMatchObject({ created: 8 });
    expect(seeded.audits).toMatchObject({ created: { audits: 8, findings: 31, correctiveActions: 32, signOffs: 80 }, carriedOver: 4 });
    // drills (seeds/demo-drills.data.ts): FY2022's first tabletop drill with two findings (after the audits' nine of FY2022), FY2023's; this year's scheduled unless its day is near or past
    expect(seeded.drills).toMatchObject({ created: { stepRecords: 28, events: 10, findings: 2, correctiveActions: 3 }, held: 2 });
    const { rows: drillFindings } = await client.query(`SELECT reference FROM findings WHERE source = 'drill' ORDER BY reference`);
    expect(drillFindings.map((f) => f.reference)).toEqual(['FND-2022-0010', 'FND-2022-0011']);
    const { rows: yearly } = await client.query(
      `SELECT c.fiscal_year, c.status, count(e.id)::int AS enrolled, count(e.exempt_at)::int AS exempt,
              round(100.0 * count(e.completed_at) / (count(e.id) - count(e.exempt_at)))::int AS rate, count(*) FILTER (WHERE e.completed_late)::int AS late
         FROM courses c JOIN enrolments e ON e.course_id = c.id
        WHERE c.kind = 'e_learning' AND c.title LIKE '情報セキュリティ研修（全職員）%'
        GROUP BY c.fiscal_year, c.status ORDER BY c.fiscal_year`,
    );
    // completion rises from the plan's 84% baseline; fewer finish late; the people on leave now were exempt in FY2022
    expect(yearly.map((y) => [y.fiscal_year, y.rate])).toEqual([
      [2019, 86],
      [2020, 91],
      [2021, 96],
      [2022, 99],
      // this year's course opened two months ago (not before 1 April): on 1 April nobody has done it yet
      [yearly[4].fiscal_year, tokyoToday().endsWith('-04-01') ? 0 : 62],
    ]);
    expect(yearly.map((y) => y.status)).toEqual(['closed', 'closed', 'closed', 'closed', 'published']);
    expect(yearly[4].enrolled).toBe(387); // the active staff, as publishing enrols them
    expect(yearly[0].late).toBeGreaterThan(yearly[3].late);
    expect(yearly[3].exempt).toBeGreaterThanOrEqual(12);
    const { rows: drills } = await client.query(
      `SELECT c.fiscal_year, round(100.0 * count(*) FILTER (WHERE m.reported) / count(*))::int AS reported
         FROM mail_drill_results m JOIN courses c ON c.id = m.course_id GROUP BY c.fiscal_year ORDER BY c.fiscal_year`,
    );
    expect(drills.map((d) => d.fiscal_year)).toEqual([2019, 2020, 2021, 2022]);
    expect(drills.map((d) => d.reported)).toEqual([...drills.map((d) => d.reported)].sort((a, b) => a - b));
    // the demo staff account still owes this year's course; every enrolment is credited to a department
    const { rows: own } = await client.query(
      `SELECT count(*) FILTER (WHERE e.completed_at IS NULL AND c.status = 'published' AND c.kind <> 'policy_acknowledgement')::int AS open, count(*) FILTER (WHERE e.department_id IS NULL)::int AS nowhere
         FROM enrolments e JOIN courses c ON c.id = e.course_id JOIN staff s ON s.id = e.staff_id WHERE s.email = 'staff@demo.mamori.example'`,
    );
    expect(own[0]).toEqual({ open: 1, nowhere: 0 });
    const training = () =>
      client.query(`SELECT count(*)::int AS n FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE c.kind <> 'policy_acknowledgement'`);
    const [staff, audit, enrolments] = [await count('staff'), await count('audit_trail'), (await training()).rows[0].n];
    const second = cli(['seed:demo']);
    expect(JSON.parse(second.stdout)).toMatchObject({
      created: { departments: 0, staff: 0 },
      compliance: { approved: [], controlStatuses: 0 },
      training: { created: { courses: 0, enrolments: 0, quizAttempts: 0, drillResults: 0 } },
      incidents: { created: { incidents: 0, nearMisses: 0, timelineEntries: 0, externalReports: 0, reviews: 0 }, underEscalation: null },
      audits: { created: { audits: 0, checklistItems: 0, findings: 0, correctiveActions: 0, signOffs: 0 }, carriedOver: 4 },
      responsePlan: { scenarios: { created: 0, revised: 0, unchanged: 8 } },
      drills: { created: { drills: 0, stepRecords: 0, events: 0, findings: 0, correctiveActions: 0 }, held: 2, scheduled: seeded.drills.scheduled },
    });
    expect([await count('staff'), await count('audit_trail'), (await training()).rows[0].n]).toEqual([staff, audit, enrolments]);
  });

  it('syncs policies/: the full catalogue once, nothing the second time, file:line for a broken file', async () => {
    const first = cli(['policies:sync']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ policies: { created: 2 }, controls: { created: 56 } });
    const audit = await count('audit_trail');
    const second = JSON.parse(cli(['policies:sync']).stdout);
    expect(second).toMatchObject({ policies: { created: 0, newDrafts: 0, unchanged: 2 }, controls: { created: 0, updated: 0, unchanged: 56, retired: 0 } });
    expect(await count('audit_trail')).toBe(audit);
    const broken = mkdtempSync(join(tmpdir(), 'mamori-policies-'));
    cpSync(join(projectRoot(), 'policies'), broken, { recursive: true });
    writeFileSync(
      join(broken, 'controls.yaml'),
      readFileSync(join(broken, 'controls.yaml'), 'utf8').replace('    chapter: 1\n', '    chapter: 1\n   bad: indentation\n'),
    );
    const failed = cli(['policies:sync', '--root', broken]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/controls\.yaml:\d+/);
    expect(await count('audit_trail')).toBe(audit);
  });

  it('verifies the audit trail and exits 1 naming the first broken link', async () => {
    const ok = cli(['audit-trail:verify']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).every((r: { ok: boolean }) => r.ok)).toBe(true);
    const { rows } = await client.query(`SELECT id, seq FROM audit_trail ORDER BY seq LIMIT 1 OFFSET 3`);
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`UPDATE audit_trail SET actor_label = 'someone-else' WHERE id = $1`, [rows[0].id]);
    await client.query('COMMIT');
    const broken = cli(['audit-trail:verify']);
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { ok: boolean; firstBreak: { id: string } | null }[];
    expect(report.find((r) => !r.ok)?.firstBreak).toMatchObject({ id: rows[0].id, seq: rows[0].seq, reason: 'hash_mismatch' });
  });
});
