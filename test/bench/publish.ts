/**
 * Benchmark: publishing a course to a whole organisation (issue 9). Each size gets an organisation of
 * its own with that many active staff (bench-data's generator); each run publishes a new all-staff
 * draft through CoursesService.publish, the whole call (transaction, lock, the INSERT … SELECT, the
 * course's update, audit row, outbox message, event), and, in the same run on a course of its own,
 * the floor: the one equivalent `INSERT INTO enrolments … SELECT … FROM staff WHERE …` sent as psql
 * sends it (simple query, autocommit) on a connection of its own. Both write into the same table
 * with the same indexes, so index upkeep is in both. Median of the runs.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { CoursesService } from '../../src/training/courses.service.js';
import { actorOf, createPerson } from '../factories/staff.factory.js';
import type { TestApp } from '../support/test-app.js';
import { generateBenchData } from './bench-data.js';

/** the sizes, and how many runs each (a new draft each run) */
export const PUBLISH_SIZES: readonly { people: number; runs: number }[] = [
  { people: 10_000, runs: 5 },
  { people: 100_000, runs: 3 },
];
/** issue 9's targets */
const RATIO_TARGET = 1.5;
const LARGE_TARGET_MS = 2_000;

export interface PublishFigures {
  people: number;
  runs: number;
  serviceMs: number[];
  floorMs: number[];
  enrolled: number;
}

/**
 * How many people bench-data must add to a fresh organisation for `active` of them to be active
 * (it makes numbers 1…n, and n % 100 < 5 is on leave or retired).
 */
export function staffForActive(active: number): number {
  let n = Math.floor(active / 0.95);
  const activeOf = (m: number): number => m - (Math.floor(m / 100) * 5 + Math.min(5, (m % 100) + 1) - 1);
  while (activeOf(n) < active) n++;
  while (n > 0 && activeOf(n - 1) >= active) n--;
  return n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Publishes to each size; prints value, floor and ratio through `line`. */
export async function benchPublish(t: TestApp, line: (name: string, value: string) => void): Promise<PublishFigures[]> {
  const results: PublishFigures[] = [];
  const fiscalYear = fiscalYearOf(tokyoToday());
  const dueDate = `${fiscalYear + 1}-03-15`;
  for (const { people, runs } of PUBLISH_SIZES) {
    // the security officer who publishes is one of the `people` active staff
    const data = await generateBenchData(t.appDatabaseUrl, `bench-publish-${people}`, { staff: staffForActive(people - 1) });
    const org = data.organizationId;
    const officer = await createPerson(t, org, { roles: ['security_officer'] });
    const actor = actorOf(officer);
    const courses = t.get(CoursesService);
    const [{ active }] = (await t.dataSource.query(`SELECT count(*)::int AS active FROM staff WHERE organization_id = $1 AND status = 'active'`, [org])) as {
      active: number;
    }[];
    // the planner's statistics, as autovacuum would have them (the app's role may not ANALYZE)
    const owner = new pg.Client({ connectionString: t.databaseUrl });
    await owner.connect();
    await owner.query('ANALYZE staff, enrolments').finally(() => owner.end());

    const floorClient = new pg.Client({ connectionString: t.appDatabaseUrl });
    await floorClient.connect();
    const figures: PublishFigures = { people: active, runs, serviceMs: [], floorMs: [], enrolled: 0 };
    try {
      const draft = (title: string) => courses.create(actor, { fiscalYear, kind: 'e_learning', title, audience: { all: true }, dueDate });
      const floor = async (): Promise<number> => {
        const course = await draft('床（raw SQL）');
        // as psql sends it: the statement's text alone, committed on its own
        const statement = `INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, due_on)
          SELECT s.organization_id, '${course.id}', ${fiscalYear}, s.id, s.department_id, 'publish', '${dueDate}'
            FROM staff s WHERE s.organization_id = '${org}' AND s.status = 'active'`;
        const t0 = performance.now();
        const result = await floorClient.query(statement);
        const ms = performance.now() - t0;
        if (result.rowCount !== active) throw new Error(`floor enrolled ${result.rowCount}, not ${active}`);
        return ms;
      };
      const service = async (): Promise<number> => {
        const course = await draft('情報セキュリティ研修（全職員）');
        const t0 = performance.now();
        const published = await courses.publish(actor, course.id);
        const ms = performance.now() - t0;
        if (published.enrolled !== active) throw new Error(`publish enrolled ${published.enrolled}, not ${active}`);
        figures.enrolled = published.enrolled;
        return ms;
      };
      for (let run = 0; run < runs; run++) {
        // the order alternates, so neither side always follows the other's writes
        if (run % 2 === 0) {
          figures.floorMs.push(await floor());
          figures.serviceMs.push(await service());
        } else {
          figures.serviceMs.push(await service());
          figures.floorMs.push(await floor());
        }
      }
    } finally {
      await floorClient.end();
    }
    const value = median(figures.serviceMs);
    const floorMs = median(figures.floorMs);
    const ratio = value / floorMs;
    const label = `training: publish a course to ${active.toLocaleString('en-US')} people`;
    const runsText = (values: number[]) => values.map((ms) => ms.toFixed(0)).join(', ');
    line(`${label}: raw-SQL floor (one INSERT … SELECT)`, `${floorMs.toFixed(0)} ms median of ${runs} (${runsText(figures.floorMs)})`);
    line(`${label}: CoursesService.publish`, `${value.toFixed(0)} ms median of ${runs} (${runsText(figures.serviceMs)})`);
    const targets = [`≤ ${RATIO_TARGET}× the floor: ${ratio <= RATIO_TARGET ? 'met' : 'NOT MET'}`];
    if (active >= 100_000) targets.push(`< ${LARGE_TARGET_MS / 1000} s: ${value < LARGE_TARGET_MS ? 'met' : 'NOT MET'}`);
    line(`${label}: publish ÷ floor`, `${ratio.toFixed(2)}× (${targets.join('; ')})`);
    results.push(figures);
  }
  return results;
}
