/**
 * The demo town's training records: FY2019–FY2022 (each year an all-staff e-learning with a quiz, a
 * classroom course for managers, a course for new staff and a targeted-mail drill with its results)
 * and the current fiscal year's all-staff e-learning, published and partly done, so the pages have
 * open work (the demo `staff` account among those who still owe it).
 *
 * History is written as it would have been recorded at the time (enrolled when the course opened or
 * when the person joined, completed over the year, some late, a few exempt with a reason, credited
 * to the person's department), in set-based statements: one INSERT … SELECT for the courses, one
 * for their statements, one for every enrolment, one for the quiz attempts, one for the drill
 * results. Completion rises from the plan's 84% baseline (see demo-training.data.ts); the people
 * who complete are drawn from a hash of their employee number, so every database gets the same.
 *
 * Each course is recorded in the audit trail (created, published, closed; its counts in the
 * context), not each historical enrolment. Idempotent: a course is known by its fiscal year, kind
 * and title; only missing ones are made, with their records, so a second run changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../src/common/actor.js';
import { addDays, tokyoToday } from '../src/common/calendar.js';
import { fiscalYearOf } from '../src/common/dates.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { DEFAULT_REMINDER_SETTINGS, type CourseAudience, type CourseKind, type Quiz } from '../src/training/course.entity.js';
import { DEFAULT_STATEMENT, DEFAULT_STATEMENT_EN } from '../src/training/courses.service.js';
import { demoActor } from './demo-compliance.seed.js';
import {
  DEMO_ALL_STAFF,
  DEMO_CLASSROOM,
  DEMO_COMPLETION_RATE,
  DEMO_CURRENT_COMPLETION_RATE,
  DEMO_CURRENT_E_LEARNING,
  DEMO_DRILL,
  DEMO_DRILL_RATES,
  DEMO_E_LEARNING,
  DEMO_EXEMPT_SHARE,
  DEMO_EXEMPTION_REASONS,
  DEMO_LATE_SHARE,
  DEMO_NEW_HIRE,
  DEMO_TRAINING_YEARS,
  type DemoELearning,
} from './demo-training.data.js';

export interface DemoTrainingResult {
  created: { courses: number; enrolments: number; quizAttempts: number; drillResults: number };
}

/** Who a course's enrolments were made for (the seed's own reading of the course's audience). */
type Members = 'all' | 'managers' | 'new_hires' | 'active';

/** One course to make, with what its records look like. */
interface CourseSpec {
  id: string;
  fiscal_year: number;
  kind: CourseKind;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  audience: CourseAudience;
  opens_on: string;
  due_on: string;
  quiz: Quiz | null;
  status: 'published' | 'closed';
  /** the course this one repeats (last year's of the same title), when made */
  template: string | null;
  // how the seed fills it
  members: Members;
  /** completions happen up to this day (past years: the fiscal year's end; now: yesterday) */
  until_on: string;
  rate: number;
  late_share: number;
  exempt_share: number;
  /** the people on leave now are exempt (FY2022: their leave began then) */
  exempt_on_leave: boolean;
  via: 'self' | 'attendance' | null;
  /** classroom: the sessions (days at 14:00) and the make-up one after the due day */
  sessions: string[] | null;
  makeup: string | null;
  /** the demo `staff` account still owes it */
  staff_account_open: boolean;
  drill: { opened: number; clicked: number; submitted: number; reported: number } | null;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const day = (year: number, month: number, date: number): string => `${year}-${pad(month)}-${pad(date)}`;

function allStaffCourse(
  fiscalYear: number,
  content: DemoELearning,
): Pick<CourseSpec, 'kind' | 'title' | 'title_en' | 'body' | 'body_en' | 'audience' | 'quiz'> {
  return {
    kind: 'e_learning',
    title: `${DEMO_ALL_STAFF.title}「${content.topic}」`,
    title_en: `${DEMO_ALL_STAFF.titleEn}: ${content.topicEn}`,
    body: content.body,
    body_en: content.bodyEn,
    audience: { all: true },
    quiz: content.quiz,
  };
}

/** The courses the demo town has (or should have), in the order they are made. */
export function demoCourses(today: string = tokyoToday()): Omit<CourseSpec, 'id' | 'template'>[] {
  const courses: Omit<CourseSpec, 'id' | 'template'>[] = [];
  for (const year of DEMO_TRAINING_YEARS) {
    const fyEnd = day(year + 1, 3, 31);
    const common = {
      fiscal_year: year,
      status: 'closed' as const,
      until_on: fyEnd,
      rate: DEMO_COMPLETION_RATE[year]!,
      late_share: DEMO_LATE_SHARE[year]!,
      exempt_share: 0,
      exempt_on_leave: false,
      sessions: null,
      makeup: null,
      staff_account_open: false,
      drill: null,
    };
    courses.push({
      ...common,
      ...allStaffCourse(year, DEMO_E_LEARNING[year]!),
      opens_on: day(year, 6, 1),
      due_on: day(year, 11, 30),
      members: 'all',
      exempt_share: DEMO_EXEMPT_SHARE,
      exempt_on_leave: year === DEMO_TRAINING_YEARS[DEMO_TRAINING_YEARS.length - 1],
      via: 'self',
    });
    courses.push({
      ...common,
      kind: 'classroom',
      title: DEMO_CLASSROOM.title,
      title_en: DEMO_CLASSROOM.titleEn,
      body: DEMO_CLASSROOM.body,
      body_en: DEMO_CLASSROOM.bodyEn,
      audience: { roles: ['manager'] },
      quiz: null,
      opens_on: day(year, 7, 1),
      due_on: day(year, 9, 30),
      members: 'managers',
      via: 'attendance',
      sessions: [day(year, 7, 15), day(year, 8, 19)],
      makeup: day(year, 10, 20),
    });
    courses.push({
      ...common,
      kind: 'new_hire',
      title: DEMO_NEW_HIRE.title,
      title_en: DEMO_NEW_HIRE.titleEn,
      body: DEMO_NEW_HIRE.body,
      body_en: DEMO_NEW_HIRE.bodyEn,
      audience: { newHiresSince: day(year, 4, 1) },
      quiz: null,
      opens_on: day(year, 4, 1),
      due_on: day(year, 5, 31),
      members: 'new_hires',
      via: 'self',
    });
    courses.push({
      ...common,
      kind: 'targeted_mail_drill',
      title: DEMO_DRILL.title,
      title_en: DEMO_DRILL.titleEn,
      body: DEMO_DRILL.body,
      body_en: DEMO_DRILL.bodyEn,
      audience: { all: true },
      quiz: null,
      opens_on: day(year, 10, 1),
      due_on: day(year, 10, 31),
      members: 'all',
      rate: 0,
      late_share: 0,
      via: null,
      drill: DEMO_DRILL_RATES[year]!,
    });
  }
  const current = fiscalYearOf(today);
  if (current > DEMO_TRAINING_YEARS[DEMO_TRAINING_YEARS.length - 1]!) {
    // open for the last two months (not before April), due within the next four weeks (not after March)
    const fyStart = day(current, 4, 1);
    const fyEnd = day(current + 1, 3, 31);
    const opensOn = addDays(today, -61) < fyStart ? fyStart : addDays(today, -61);
    const dueOn = addDays(today, 25) > fyEnd ? fyEnd : addDays(today, 25);
    const yesterday = addDays(today, -1);
    courses.push({
      ...allStaffCourse(current, DEMO_CURRENT_E_LEARNING),
      fiscal_year: current,
      status: 'published',
      opens_on: opensOn,
      due_on: dueOn,
      members: 'active',
      until_on: yesterday,
      rate: yesterday < opensOn ? 0 : DEMO_CURRENT_COMPLETION_RATE,
      late_share: 0,
      exempt_share: DEMO_EXEMPT_SHARE,
      exempt_on_leave: false,
      via: 'self',
      sessions: null,
      makeup: null,
      staff_account_open: true,
      drill: null,
    });
  }
  return courses;
}

/** The answers a quiz attempt gave for a score of 100, 67 or 33 (the last one or two questions wrong). */
function answers(quiz: Quiz): Record<'100' | '67' | '33', Record<string, string[]>> {
  const pick = (wrong: number) =>
    Object.fromEntries(
      quiz.questions.map((q, index) => {
        const isWrong = index >= quiz.questions.length - wrong;
        return [q.id, isWrong ? [q.choices.find((choice) => !q.correct.includes(choice.id))!.id] : [...q.correct]];
      }),
    );
  return { '100': pick(0), '67': pick(1), '33': pick(2) };
}

/** A uniform draw in [0, 1) from a person's employee number and a salt (the same in every database). */
const draw = (salt: string) => `(('x' || substr(md5(s.employee_number || ':' || ${salt}), 1, 8))::bit(32)::bigint / 4294967296.0)`;

export async function seedDemoTraining(app: INestApplicationContext, organizationId: string, today: string = tokyoToday()): Promise<DemoTrainingResult> {
  const uow = app.get(UnitOfWork);
  const officer: Actor = await demoActor(app, organizationId, 'security');
  const wanted = demoCourses(today);

  return uow.run(officer, async (tx) => {
    const existing = (await tx.manager.query(`SELECT id, fiscal_year, kind, title FROM courses WHERE organization_id = $1`, [organizationId])) as {
      id: string;
      fiscal_year: number;
      kind: string;
      title: string;
    }[];
    const key = (c: { fiscal_year: number; kind: string; title: string }) => `${c.fiscal_year}|${c.kind}|${c.title}`;
    const known = new Map(existing.map((c) => [key(c), c.id]));
    const specs: CourseSpec[] = [];
    for (const course of wanted) {
      if (known.has(key(course))) continue;
      const id = randomUUID();
      known.set(key(course), id);
      // last year's course of the same kind (the same title but for the all-staff theme) is its template
      const previous = existing
        .concat(specs.map((s) => ({ id: s.id, fiscal_year: s.fiscal_year, kind: s.kind, title: s.title })))
        .filter((c) => c.kind === course.kind && c.fiscal_year < course.fiscal_year && (course.kind === 'e_learning' || c.title === course.title))
        .filter((c) => course.kind !== 'e_learning' || c.title.startsWith(DEMO_ALL_STAFF.title))
        .sort((a, b) => b.fiscal_year - a.fiscal_year)[0];
      specs.push({ ...course, id, template: previous?.id ?? null });
    }
    const empty = { courses: 0, enrolments: 0, quizAttempts: 0, drillResults: 0 };
    if (specs.length === 0) return { created: empty };

    await tx.manager.query(
      `INSERT INTO courses (id, organization_id, fiscal_year, kind, title, title_en, body, body_en, audience, opens_on, due_on, quiz,
                            statement, statement_en, statement_version, status, published_at, published_by_id, closed_at, reminders,
                            template_id, created_by_id, created_at, updated_at)
       SELECT c.id, $1, c.fiscal_year, c.kind, c.title, c.title_en, c.body, c.body_en, c.audience, c.opens_on, c.due_on, c.quiz,
              $3, $4, 1, c.status, (c.opens_on + time '09:00') AT TIME ZONE 'Asia/Tokyo', $5,
              CASE WHEN c.status = 'closed' THEN (make_date(c.fiscal_year + 1, 4, 30) + time '17:00') AT TIME ZONE 'Asia/Tokyo' END,
              $6::jsonb, c.template, $5, (c.opens_on - 20 + time '10:00') AT TIME ZONE 'Asia/Tokyo',
              CASE WHEN c.status = 'closed' THEN (make_date(c.fiscal_year + 1, 4, 30) + time '17:00') AT TIME ZONE 'Asia/Tokyo'
                   ELSE (c.opens_on + time '09:00') AT TIME ZONE 'Asia/Tokyo' END
         FROM json_to_recordset($2::json) AS c(id uuid, fiscal_year int, kind text, title text, title_en text, body text, body_en text,
                                               audience jsonb, opens_on date, due_on date, quiz jsonb, status text, template uuid)`,
      [organizationId, JSON.stringify(specs), DEFAULT_STATEMENT, DEFAULT_STATEMENT_EN, officer.staffId, JSON.stringify(DEFAULT_REMINDER_SETTINGS)],
    );
    await tx.manager.query(
      `INSERT INTO course_statements (organization_id, course_id, version, text, text_en, created_at, updated_at)
       SELECT $1, c.id, 1, c.statement, c.statement_en, c.created_at, c.created_at FROM courses c WHERE c.id = ANY($2::uuid[])`,
      [organizationId, specs.map((s) => s.id)],
    );

    const enrolled = specs.filter((s) => s.via !== null);
    const enrolments = enrolled.length ? await insertEnrolments(tx.manager, organizationId, officer.staffId!, enrolled) : 0;
    const quizAttempts = enrolled.some((s) => s.quiz)
      ? await insertQuizAttempts(
          tx.manager,
          organizationId,
          enrolled.filter((s) => s.quiz),
        )
      : 0;
    const drills = specs.filter((s) => s.drill);
    const drillResults = drills.length ? await insertDrillResults(tx.manager, organizationId, officer.staffId!, drills) : 0;

    // the audit trail: each course made, published (with how many it enrolled) and, for past years, closed
    const counts = new Map(
      (
        (await tx.manager.query(
          `SELECT c.id, (SELECT count(*) FROM enrolments e WHERE e.course_id = c.id)::int AS enrolled,
                  (SELECT count(completed_at) FROM enrolments e WHERE e.course_id = c.id)::int AS completed,
                  (SELECT count(exempt_at) FROM enrolments e WHERE e.course_id = c.id)::int AS exempt,
                  (SELECT count(*) FROM mail_drill_results m WHERE m.course_id = c.id)::int AS drill_results,
                  to_jsonb(c) - 'body' - 'body_en' AS row
             FROM courses c WHERE c.id = ANY($1::uuid[])`,
          [specs.map((s) => s.id)],
        )) as { id: string; enrolled: number; completed: number; exempt: number; drill_results: number; row: Record<string, unknown> }[]
      ).map((row) => [row.id, row]),
    );
    tx.auditMany(
      specs.flatMap((spec) => {
        const c = counts.get(spec.id)!;
        const history = { seeded: true, ...(spec.drill ? { drillResults: c.drill_results } : { completed: c.completed, exempt: c.exempt }) };
        return [
          { action: 'course.create', entityType: 'course', entityId: spec.id, after: camelKeys(c.row), context: history },
          {
            action: 'course.publish',
            entityType: 'course',
            entityId: spec.id,
            before: { status: 'draft' },
            after: { status: 'published', publishedAt: c.row.published_at },
            context: { audience: spec.audience, enrolled: c.enrolled },
          },
          ...(spec.status === 'closed'
            ? [
                {
                  action: 'course.close',
                  entityType: 'course',
                  entityId: spec.id,
                  before: { status: 'published' },
                  after: { status: 'closed', closedAt: c.row.closed_at },
                },
              ]
            : []),
        ];
      }),
    );
    return { created: { courses: specs.length, enrolments, quizAttempts, drillResults } };
  });
}

/** snake_case keys of a row read as JSON → the entity's camelCase. */
function camelKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

type Manager = EntityManager;

/**
 * Every enrolment of the new courses in one statement: who was there (the seed's reading of the
 * audience, as of the year), when they were enrolled, who is exempt, and, of the others, exactly the
 * course's rate completed (the demo accounts first, the demo `staff` account last where it still
 * owes the course), the last of them late.
 */
async function insertEnrolments(manager: Manager, organizationId: string, officerId: string, specs: CourseSpec[]): Promise<number> {
  const rows = (await manager.query(
    `WITH c AS (
            SELECT c.*, make_date(c.fiscal_year + 1, 3, 31) AS fy_end, (c.opens_on + time '09:00') AT TIME ZONE 'Asia/Tokyo' AS published_at
              FROM json_to_recordset($2::json) AS c(id uuid, fiscal_year int, members text, opens_on date, due_on date, until_on date,
                                                    rate float8, late_share float8, exempt_share float8, exempt_on_leave boolean,
                                                    via text, sessions date[], makeup date, staff_account_open boolean, quiz jsonb)),
          m AS (
            SELECT c.id AS course_id, c.fiscal_year, c.opens_on, c.fy_end, c.until_on, c.rate, c.late_share, c.via, c.sessions, c.makeup,
                   c.quiz IS NOT NULL AS has_quiz, c.published_at,
                   s.id AS staff_id, s.department_id, s.status, s.joined_on, s.employee_number,
                   (c.staff_account_open AND s.employee_number = 'D0007') AS stays_open,
                   ${draw("c.fiscal_year || c.members || 'u'")} AS u, ${draw("c.fiscal_year || c.members || 'v'")} AS v,
                   ${draw("c.fiscal_year || c.members || 'w'")} AS w,
                   ((c.exempt_on_leave AND s.status = 'on_leave')
                    OR (${draw("c.fiscal_year || c.members || 'x'")} < c.exempt_share AND s.employee_number NOT LIKE 'D%')) AS exempt,
                   CASE WHEN s.joined_on > c.opens_on THEN 'joined' ELSE 'publish' END AS source,
                   CASE WHEN s.joined_on > c.opens_on THEN GREATEST(c.due_on, LEAST(s.joined_on + 30, make_date(c.fiscal_year + 1, 3, 31))) ELSE c.due_on END AS due_on,
                   GREATEST((c.opens_on + time '09:00') AT TIME ZONE 'Asia/Tokyo', (s.joined_on + time '09:00') AT TIME ZONE 'Asia/Tokyo') AS enrolled_at
              FROM c JOIN staff s ON s.organization_id = $1
             WHERE CASE WHEN c.members = 'active' THEN s.status = 'active'
                        ELSE s.joined_on <= c.fy_end AND (s.left_on IS NULL OR s.left_on >= c.opens_on) END
               AND (c.members <> 'managers' OR 'manager' = ANY(s.roles))
               AND (c.members <> 'new_hires' OR s.joined_on BETWEEN make_date(c.fiscal_year, 4, 1) AND c.fy_end)),
          r AS (
            SELECT m.*,
                   row_number() OVER (PARTITION BY m.course_id, m.exempt
                                      ORDER BY m.stays_open, m.employee_number LIKE 'D%' DESC, m.status = 'retired' DESC, m.u) AS rank,
                   count(*) OVER (PARTITION BY m.course_id, m.exempt) AS n
              FROM m),
          k AS (
            SELECT r.*, NOT r.exempt AND r.rank <= round(r.rate * r.n) AS completed,
                   NOT r.exempt AND r.rank <= round(r.rate * r.n) AND r.rank > round(r.rate * r.n) - round(r.late_share * round(r.rate * r.n)) AS late
              FROM r),
          t AS (
            SELECT k.*,
                   CASE WHEN NOT k.completed THEN NULL
                        WHEN k.via = 'attendance' THEN
                          ((CASE WHEN k.late THEN k.makeup WHEN k.v < 0.5 THEN k.sessions[1] ELSE k.sessions[2] END) + time '16:30') AT TIME ZONE 'Asia/Tokyo'
                        WHEN k.late AND k.due_on < k.fy_end THEN
                          ((k.due_on + 1 + floor((LEAST(k.fy_end, k.until_on) - k.due_on - 1) * k.v * k.v)::int) + time '09:00' + k.w * interval '8 hours') AT TIME ZONE 'Asia/Tokyo'
                        ELSE
                          -- between enrolment and the due day, most near the end, in office hours
                          (((k.enrolled_at AT TIME ZONE 'Asia/Tokyo')::date
                            + floor((LEAST(k.due_on, k.until_on) - (k.enrolled_at AT TIME ZONE 'Asia/Tokyo')::date) * sqrt(k.v))::int)
                           + time '09:00' + k.w * interval '8 hours') AT TIME ZONE 'Asia/Tokyo'
                   END AS completed_at
              FROM k)
     INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, enrolled_at, due_on,
                             completed_at, completed_late, completed_via, completed_by_id, statement_version, client_address, score, quiz_attempts,
                             exempt_at, exemption_kind, exemption_reason, exempted_by_id, created_at, updated_at)
     SELECT $1, t.course_id, t.fiscal_year, t.staff_id, t.department_id, t.source, t.enrolled_at, t.due_on,
            t.completed_at, coalesce((t.completed_at AT TIME ZONE 'Asia/Tokyo')::date > t.due_on, false),
            CASE WHEN t.completed THEN t.via END,
            CASE WHEN t.completed THEN CASE WHEN t.via = 'attendance' THEN $3::uuid ELSE t.staff_id END END,
            CASE WHEN t.completed AND t.via = 'self' THEN 1 END,
            CASE WHEN t.completed AND t.via = 'self' THEN ('10.20.' || (1 + floor(t.u * 997)::int % 250) || '.' || (1 + floor(t.w * 991)::int % 250))::inet END,
            CASE WHEN t.completed AND t.has_quiz THEN CASE WHEN t.w < 0.75 THEN 100 ELSE 67 END END,
            CASE WHEN t.completed AND t.has_quiz THEN CASE WHEN t.v * 997 - floor(t.v * 997) < 0.15 THEN 2 ELSE 1 END ELSE 0 END,
            CASE WHEN t.exempt THEN GREATEST(t.enrolled_at, (t.opens_on + 14 + time '10:00') AT TIME ZONE 'Asia/Tokyo') END,
            CASE WHEN t.exempt THEN CASE WHEN t.status = 'on_leave' OR t.u < 0.5 THEN 'long_leave' ELSE 'secondment' END END,
            CASE WHEN t.exempt THEN
              CASE WHEN t.status = 'on_leave' THEN ($4::text[])[1 + floor(t.v * array_length($4::text[], 1))::int]
                   WHEN t.u < 0.5 THEN ($6::text[])[1 + floor(t.v * array_length($6::text[], 1))::int]
                   ELSE ($5::text[])[1 + floor(t.v * array_length($5::text[], 1))::int] END END,
            CASE WHEN t.exempt THEN $3::uuid END,
            t.enrolled_at,
            coalesce(t.completed_at, CASE WHEN t.exempt THEN GREATEST(t.enrolled_at, (t.opens_on + 14 + time '10:00') AT TIME ZONE 'Asia/Tokyo') END, t.enrolled_at)
       FROM t
      ORDER BY t.course_id, t.staff_id
     RETURNING id`,
    [organizationId, JSON.stringify(specs), officerId, DEMO_EXEMPTION_REASONS.onLeave, DEMO_EXEMPTION_REASONS.secondment, DEMO_EXEMPTION_REASONS.longLeave],
  )) as unknown[];
  return rows.length;
}

/** The quiz attempts behind the completions: one passing attempt, after a failed one for some. */
async function insertQuizAttempts(manager: Manager, organizationId: string, specs: CourseSpec[]): Promise<number> {
  const rows = (await manager.query(
    `INSERT INTO quiz_attempts (organization_id, enrolment_id, attempt, answers, score, passed, created_at, updated_at)
     SELECT $1, e.id, a.attempt, CASE WHEN a.attempt < e.quiz_attempts THEN q.a33 WHEN e.score = 100 THEN q.a100 ELSE q.a67 END,
            CASE WHEN a.attempt < e.quiz_attempts THEN 33 ELSE e.score END, a.attempt = e.quiz_attempts,
            e.completed_at - (e.quiz_attempts - a.attempt) * interval '12 minutes' - interval '1 minute',
            e.completed_at - (e.quiz_attempts - a.attempt) * interval '12 minutes' - interval '1 minute'
       FROM json_to_recordset($2::json) AS q(id uuid, a100 jsonb, a67 jsonb, a33 jsonb)
       JOIN enrolments e ON e.course_id = q.id AND e.completed_at IS NOT NULL AND e.quiz_attempts > 0
      CROSS JOIN LATERAL generate_series(1, e.quiz_attempts) AS a(attempt)
     RETURNING id`,
    [
      organizationId,
      JSON.stringify(
        specs.map((s) => {
          const given = answers(s.quiz!);
          return { id: s.id, a100: given['100'], a67: given['67'], a33: given['33'] };
        }),
      ),
    ],
  )) as unknown[];
  return rows.length;
}

/** Each drill's results: everyone who worked there on its day got the mail; the rates of its year (demo-training.data.ts). */
async function insertDrillResults(manager: Manager, organizationId: string, officerId: string, specs: CourseSpec[]): Promise<number> {
  const rows = (await manager.query(
    `WITH d AS (
            SELECT * FROM json_to_recordset($2::json) AS d(id uuid, fiscal_year int, opens_on date,
                                                           drill json)),
          m AS (
            SELECT d.id AS course_id, d.opens_on, s.id AS staff_id, s.department_id,
                   (d.drill->>'opened')::float8 AS p_open, (d.drill->>'clicked')::float8 AS p_click,
                   (d.drill->>'submitted')::float8 AS p_submit, (d.drill->>'reported')::float8 AS p_report,
                   ${draw("d.fiscal_year || 'drill-o'")} AS o, ${draw("d.fiscal_year || 'drill-c'")} AS c,
                   ${draw("d.fiscal_year || 'drill-s'")} AS sb, ${draw("d.fiscal_year || 'drill-r'")} AS r
              FROM d JOIN staff s ON s.organization_id = $1
             WHERE s.joined_on <= d.opens_on + 14 AND (s.left_on IS NULL OR s.left_on >= d.opens_on + 14))
     INSERT INTO mail_drill_results (organization_id, course_id, staff_id, department_id, sent, opened, clicked, submitted_data, reported,
                                     imported_by_id, created_at, updated_at)
     SELECT $1, m.course_id, m.staff_id, m.department_id, true, m.o < m.p_open,
            m.o < m.p_open AND m.c < m.p_click / m.p_open,
            m.o < m.p_open AND m.c < m.p_click / m.p_open AND m.sb < m.p_submit,
            m.o < m.p_open AND m.r < m.p_report / m.p_open,
            $3, (m.opens_on + 30 + time '10:00') AT TIME ZONE 'Asia/Tokyo', (m.opens_on + 30 + time '10:00') AT TIME ZONE 'Asia/Tokyo'
       FROM m
     RETURNING id`,
    [organizationId, JSON.stringify(specs.map((s) => ({ id: s.id, fiscal_year: s.fiscal_year, opens_on: s.opens_on, drill: s.drill }))), officerId],
  )) as unknown[];
  return rows.length;
}
