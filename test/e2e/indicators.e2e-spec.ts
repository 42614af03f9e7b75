import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { ControlsService } from '../../src/controls/controls.service.js';
import { FiscalYearsService } from '../../src/indicators/fiscal-years.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A moment in Asia/Tokyo. */
const jst = (local: string): string => new Date(`${local}+09:00`).toISOString();

interface Row {
  code: string;
  target: number | null;
  value: number | null;
  status: string;
  numerator: number | null;
  denominator: number | null;
  projected: number | null;
  frozen: boolean;
  currentValue: number | null;
  details?: Record<string, number>;
}

/**
 * Issue 13: each computed indicator equals a fixture computed by hand, at the fiscal year's edges
 * (31 March 23:59 and 1 April 00:00 Asia/Tokyo) and as of days inside the year (on_track / at_risk);
 * near misses are never counted; manual values need a source note; closing freezes a year against
 * later edits of its records; reopening needs a reason.
 */
describe('indicators: the plan’s figures per fiscal year, manual values, the year close', () => {
  let t: TestApp;
  let org: string;
  const people = {} as Record<'officer' | 'ciso' | 'auditor' | 'staff', TestPerson>;
  const bearer = {} as Record<keyof typeof people, string>;
  const learners: TestPerson[] = [];
  const ids: Record<string, string> = {};

  const get = (who: keyof typeof people, url: string) => request(t.http).get(url).set('Authorization', `Bearer ${bearer[who]}`);
  const send = (who: keyof typeof people, method: 'put' | 'post', url: string, body: object = {}) =>
    request(t.http)[method](url).set('Authorization', `Bearer ${bearer[who]}`).send(body);
  const sql = (text: string, params: unknown[] = []) => t.dataSource.query(text, params);
  async function figures(fiscalYear: number, asOf?: string, who: keyof typeof people = 'officer'): Promise<Record<string, Row>> {
    const body = (await get(who, `/api/v1/indicators?fiscalYear=${fiscalYear}${asOf ? `&asOf=${asOf}` : ''}`).expect(200)).body as { items: Row[] };
    return Object.fromEntries(body.items.map((row) => [row.code, row]));
  }

  async function incident(reportedAt: string, fiscalYear: number, severity: string | null, status: string, nearMiss = false): Promise<string> {
    const [row] = (await sql(
      `INSERT INTO incidents (organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at, near_miss, status, severity)
       VALUES ($1, $2, $3, 'staff', '事案', '経緯', $4, $4, $4, $5, $6, $7) RETURNING id`,
      [org, `INC-${fiscalYear}-${randomUUID().slice(0, 6)}`, fiscalYear, reportedAt, nearMiss, status, severity],
    )) as { id: string }[];
    return row!.id;
  }

  async function finding(reference: string, dueDate: string, verifiedAt: string | null, actionDoneAt: string | null): Promise<void> {
    const [row] = (await sql(
      `INSERT INTO findings (organization_id, reference, fiscal_year, source, title, severity, due_date, status, verified_at, created_at)
       VALUES ($1, $2, 2022, 'manual', $2, 'medium', $3, $4, $5, $6) RETURNING id`,
      [org, reference, dueDate, verifiedAt ? 'verified' : 'in_progress', verifiedAt, jst('2022-04-20T09:00:00')],
    )) as { id: string }[];
    if (actionDoneAt)
      await sql(
        `INSERT INTO corrective_actions (organization_id, finding_id, description, due_date, status, done_at, verified_at)
         VALUES ($1, $2, '是正', $3, $4, $5, $6)`,
        [org, row!.id, dueDate, verifiedAt ? 'verified' : 'done', actionDoneAt, verifiedAt],
      );
  }

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'indicators-town');
    const department = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    people.officer = await createPerson(t, org, { roles: ['security_officer'] });
    people.ciso = await createPerson(t, org, { roles: ['ciso'] });
    people.auditor = await createPerson(t, org, { roles: ['auditor'] });
    people.staff = await createPerson(t, org, { roles: ['staff'], departmentId: department.id });
    for (const key of Object.keys(people) as (keyof typeof people)[]) bearer[key] = (await signIn(t, people[key])).accessToken;
    for (let i = 0; i < 6; i++) learners.push(await createPerson(t, org, { departmentId: department.id }));
    // the indicators (policies/indicators.yaml), the policies and the control catalogue
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));

    // ---- III-2 training, FY2022: one course due 31 December 2022; a targeted-mail drill is not a course of the completion
    const course = async (fiscalYear: number, kind: string, dueOn: string): Promise<string> => {
      const [row] = (await sql(
        `INSERT INTO courses (organization_id, fiscal_year, kind, title, opens_on, due_on, statement, status)
         VALUES ($1, $2::int, $3::varchar, $3::text || ' ' || $2::text, $4, $5, '誓約', 'published') RETURNING id`,
        [org, fiscalYear, kind, `${fiscalYear}-04-01`, dueOn],
      )) as { id: string }[];
      return row!.id;
    };
    const elearning = await course(2022, 'e_learning', '2022-12-31');
    const enrol = (courseId: string, fiscalYear: number, person: TestPerson, fields: Record<string, unknown> = {}) =>
      sql(
        `INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, due_on, enrolled_at,
                                 completed_at, exempt_at, exemption_reason, withdrawn_at)
         VALUES ($1, $2, $3, $4, $5, 'publish', (SELECT due_on FROM courses WHERE id = $2), $6, $7, $8, $9, $10)`,
        [
          org,
          courseId,
          fiscalYear,
          person.staff.id,
          person.staff.departmentId,
          jst('2022-04-05T09:00:00'),
          fields.completedAt ?? null,
          fields.exemptAt ?? null,
          fields.exemptAt ? '長期療養' : null,
          fields.withdrawnAt ?? null,
        ],
      );
    await enrol(elearning, 2022, learners[0]!, { completedAt: jst('2023-03-31T23:59:00') }); // the year's last minute: counts
    await enrol(elearning, 2022, learners[1]!, { completedAt: jst('2023-04-01T00:00:00') }); // the next year's first minute: does not
    await enrol(elearning, 2022, learners[2]!, { completedAt: jst('2022-06-01T10:00:00') });
    await enrol(elearning, 2022, learners[3]!, { exemptAt: jst('2022-05-01T09:00:00') }); // leaves the denominator
    await enrol(elearning, 2022, learners[4]!, { withdrawnAt: jst('2022-07-01T09:00:00') }); // left before completing: not enrolled
    await enrol(elearning, 2022, learners[5]!); // still owed
    const mailDrill = await course(2022, 'targeted_mail_drill', '2022-10-31');
    await enrol(mailDrill, 2022, learners[5]!); // not counted in the completion
    for (const [i, reported] of [true, false, false, false].entries())
      await sql(
        `INSERT INTO mail_drill_results (organization_id, course_id, staff_id, sent, opened, clicked, reported, created_at)
         VALUES ($1, $2, $3, true, true, $4, $5, $6)`,
        [org, mailDrill, learners[i]!.staff.id, !reported, reported, jst('2022-10-20T09:00:00')],
      );
    await sql(`INSERT INTO mail_drill_results (organization_id, course_id, staff_id, sent, created_at) VALUES ($1, $2, $3, false, $4)`, [
      org,
      mailDrill,
      learners[4]!.staff.id,
      jst('2022-10-20T09:00:00'),
    ]);
    // FY2021: completed, but another year
    const older = await course(2021, 'e_learning', '2021-12-31');
    await enrol(older, 2021, learners[5]!, { completedAt: jst('2021-06-01T09:00:00') });

    // ---- III-3/III-4 incidents (the fiscal year is the one of the report day in Tokyo)
    ids.lastMinute = await incident(jst('2023-03-31T23:59:00'), 2022, 'L1', 'triaged');
    await incident(jst('2023-04-01T00:00:00'), 2023, 'L2', 'triaged');
    await incident(jst('2022-05-10T10:00:00'), 2022, 'L3', 'contained');
    await incident(jst('2022-06-10T10:00:00'), 2022, 'L0', 'closed'); // a near miss
    await incident(jst('2022-07-10T10:00:00'), 2022, null, 'reported', true); // ticked as a near miss
    await incident(jst('2022-08-10T10:00:00'), 2022, 'L2', 'rejected'); // not an incident
    await incident(jst('2022-09-10T10:00:00'), 2022, null, 'reported'); // awaiting triage: no severity yet

    // ---- III-3 audits
    const audit = (title: string, status: string, reportedAt: string | null) =>
      sql(
        `INSERT INTO audits (organization_id, reference, fiscal_year, kind, title, scope, lead_auditor_id, planned_start, planned_end, status, reported_at, created_at)
         VALUES ($1, $2, 2022, 'internal_audit', $3, '{}', $4, '2022-09-01', '2022-09-30', $5, $6, $7)`,
        [org, `AUD-${randomUUID().slice(0, 8)}`, title, people.auditor.staff.id, status, reportedAt, jst('2022-04-10T09:00:00')],
      );
    await audit('内部監査', 'closed', jst('2022-10-01T10:00:00'));
    await audit('自己点検', 'planned', null);

    // ---- III-3 findings due in FY2022 (Tokyo days)
    await finding('F1', '2022-06-30', jst('2022-07-05T10:00:00'), jst('2022-06-30T23:00:00')); // done on its due day: on time
    await finding('F2', '2022-06-30', jst('2022-07-05T10:00:00'), jst('2022-07-01T00:30:00')); // done the day after: late
    await finding('F3', '2023-03-31', null, null); // not corrected
    await finding('F4', '2023-04-01', jst('2023-04-01T10:00:00'), null); // due in FY2023
    await finding('F5', '2022-09-30', jst('2022-09-30T10:00:00'), null); // verified on its due day without an action: on time

    // ---- III-4 policy reviews: one on time, one late, one due and not done
    const [basic] = (await sql(`SELECT id FROM policies WHERE organization_id = $1 ORDER BY key LIMIT 1`, [org])) as { id: string }[];
    const [standards] = (await sql(`SELECT id FROM policies WHERE organization_id = $1 ORDER BY key DESC LIMIT 1`, [org])) as { id: string }[];
    const review = (policyId: string, dueOn: string, reviewedAt: string) =>
      sql(`INSERT INTO policy_reviews (organization_id, policy_id, outcome, notes, reviewed_at, due_on) VALUES ($1, $2, 'no_change', '確認', $3, $4)`, [
        org,
        policyId,
        reviewedAt,
        dueOn,
      ]);
    await review(basic!.id, '2022-09-30', jst('2022-09-28T10:00:00'));
    await review(standards!.id, '2022-12-31', jst('2023-01-10T10:00:00'));
    await sql(`UPDATE policies SET next_review_due = '2023-03-31' WHERE id = $1`, [basic!.id]);
    await sql(`UPDATE policies SET next_review_due = '2024-01-10' WHERE id = $1`, [standards!.id]);

    // ---- III-5 the plan: approved 1 March 2022 (review due 28 February 2023), revised 20 March 2023
    const version = (v: number, status: string, approvedAt: string, nextReviewDue: string) =>
      sql(
        `INSERT INTO response_plan_versions (organization_id, version, body, body_hash, status, approved_at, next_review_due, created_at)
         VALUES ($1, $2, '計画', repeat('0', 64), $3, $4, $5, $4)`,
        [org, v, status, approvedAt, nextReviewDue],
      );
    await version(1, 'superseded', jst('2022-03-01T10:00:00'), '2023-02-28');
    await version(2, 'approved', jst('2023-03-20T10:00:00'), '2024-03-20');
    // drills: one held in FY2022, one cancelled; one scheduled in FY2023
    const drill = (fiscalYear: number, status: string, startsAt: string, finishedAt: string | null) =>
      sql(
        `INSERT INTO drills (organization_id, scenario_id, kind, title, starts_at, ends_at, facilitator_id, fiscal_year, status, finished_at, created_at)
         VALUES ($1, gen_random_uuid(), 'tabletop', '訓練', $2, $2::timestamptz + interval '2 hours', $3, $4, $5, $6, $7)`,
        [org, startsAt, people.officer.staff.id, fiscalYear, status, finishedAt, jst('2022-04-15T09:00:00')],
      );
    await drill(2022, 'completed', jst('2022-11-10T14:00:00'), jst('2022-11-10T16:05:00'));
    await drill(2022, 'cancelled', jst('2023-02-10T14:00:00'), null);
    await drill(2023, 'scheduled', jst('2023-11-10T14:00:00'), null);

    // another organisation's records are never counted
    const other = await testOrganization(t, 'other-town');
    await sql(
      `INSERT INTO incidents (organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at, status, severity)
       VALUES ($1, 'INC-2022-9999', 2022, 'staff', 'x', 'x', now(), now(), $2, 'triaged', 'L3')`,
      [other, jst('2022-05-01T10:00:00')],
    );
  });
  afterAll(() => t.close());

  it('computes FY2022 once it is over: every indicator equals the fixture, the edges of the year and near misses included', async () => {
    const fy = await figures(2022, '2023-04-30');
    // training: enrolled 5 (the withdrawn one left), exempt 1, owed 4; completed on 10 June and at 23:59 on 31 March, not at 00:00 on 1 April
    expect(fy.training_completion).toMatchObject({ target: 100, value: 50, numerator: 2, denominator: 4, status: 'not_met', projected: null, frozen: false });
    expect(fy.training_completion!.details).toMatchObject({ enrolled: 5, exempt: 1, completed: 2 });
    // targeted mail: 4 sent, 1 reported (the one not sent is not a recipient)
    expect(fy.targeted_mail_report_rate).toMatchObject({ target: 50, value: 25, numerator: 1, denominator: 4, status: 'not_met' });
    // incidents: the L3 of May and the L1 reported at 23:59 on 31 March; not the L2 of 00:00 on 1 April, no near miss, not the rejected, not the untriaged
    expect(fy.security_incidents).toMatchObject({ target: 0, value: 2, status: 'not_met' });
    expect(fy.security_incidents!.details).toMatchObject({ counted: 2, awaitingTriage: 1 });
    expect(fy.near_misses).toMatchObject({ target: null, value: 2, status: 'no_data' });
    expect(fy.audits_held).toMatchObject({ target: 1, value: 1, status: 'met' });
    // findings due in the year: F1 (on time), F2 (late), F3 (not corrected), F5 (on time); F4 is due in FY2023
    expect(fy.audit_findings_closed_on_time).toMatchObject({ target: 100, value: 50, numerator: 2, denominator: 4, status: 'not_met' });
    expect(fy.audit_findings_closed_on_time!.details).toMatchObject({ due: 4, onTime: 2, late: 1, notClosed: 1 });
    // reviews due in the year: one on time, one late, one not done → 1 of 3
    expect(fy.policy_reviews_on_time).toMatchObject({ target: 100, value: 33.3, numerator: 1, denominator: 3, status: 'not_met' });
    // at 31 March 2023 version 2 (approved 20 March) is in force and within its interval
    expect(fy.response_plan_approved).toMatchObject({ target: 1, value: 1, status: 'met' });
    // one drill held; the cancelled one does not count
    expect(fy.drills_held).toMatchObject({ target: 1, value: 1, status: 'met' });
    // FY2023 has the incident of 1 April 00:00 and nothing of FY2022
    const next = await figures(2023, '2024-04-30');
    expect(next.security_incidents).toMatchObject({ value: 1, status: 'not_met' });
    expect(next.near_misses!.value).toBe(0);
    expect(next.training_completion).toMatchObject({ value: null, status: 'no_data' });
  });

  it('takes the records as they stood at the end of the day asked: on_track and at_risk by the pace the year still allows', async () => {
    // 30 November 2022: one completion (June); the three still owed are not due until 31 December → on track to 100%
    const november = await figures(2022, '2022-11-30');
    expect(november.training_completion).toMatchObject({ value: 25, numerator: 1, denominator: 4, projected: 100, status: 'on_track' });
    // 15 January 2023: the due day has passed with three not done → at risk
    const january = await figures(2022, '2023-01-15');
    expect(january.training_completion).toMatchObject({ value: 25, projected: 25, status: 'at_risk' });
    // the incident of 31 March is not reported yet on 30 November; one L3 already misses the target of 0
    expect(november.security_incidents).toMatchObject({ value: 1, status: 'not_met' });
    // 31 August 2022: F1 on time, F2 late; F3 and F5 still ahead → at best 3 of 4: at risk
    const august = await figures(2022, '2022-08-31');
    expect(august.audit_findings_closed_on_time).toMatchObject({ value: 50, numerator: 1, denominator: 2, projected: 75, status: 'at_risk' });
    // 30 September 2022: the audit not reported yet, two planned → on track; 1 October: reported → met
    const september = await figures(2022, '2022-09-30');
    expect(september.audits_held).toMatchObject({ value: 0, projected: 2, status: 'on_track' });
    expect((await figures(2022, '2022-10-01')).audits_held).toMatchObject({ value: 1, status: 'met' });
    // 10 March 2023: version 1's review was due 28 February and version 2 is not approved yet → not in force
    expect((await figures(2022, '2023-03-10')).response_plan_approved).toMatchObject({ value: 0, status: 'at_risk' });
    // FY2023 on 1 June 2023: a drill scheduled in November → on track
    expect((await figures(2023, '2023-06-01')).drills_held).toMatchObject({ value: 0, projected: 1, status: 'on_track' });
    // the mail drill's results were loaded on 20 October 2022
    expect((await figures(2022, '2022-10-19')).targeted_mail_report_rate).toMatchObject({ value: null, status: 'no_data' });
  });

  it('counts the controls implemented from their status changes in the audit trail, as of a day', async () => {
    const officer = actorOf(people.officer);
    const controls = (await sql(`SELECT id FROM controls WHERE organization_id = $1 ORDER BY code LIMIT 3`, [org])) as { id: string }[];
    const [{ total }] = (await sql(`SELECT count(*)::int AS total FROM controls WHERE organization_id = $1 AND retired_at IS NULL`, [org])) as {
      total: number;
    }[];
    await t.get(ControlsService).update(officer, controls[0]!.id, { status: 'implemented' });
    await t.get(ControlsService).update(officer, controls[1]!.id, { status: 'implemented' });
    await t.get(ControlsService).update(officer, controls[2]!.id, { status: 'not_applicable', reason: '該当業務なし' });
    const current = fiscalYearOf(tokyoToday());
    const now = await figures(current);
    expect(now.controls_implemented).toMatchObject({ numerator: 2, denominator: total - 1, value: Math.round((2 / (total - 1)) * 1000) / 10 });
    // a control whose status went back is counted by its latest change
    await t.get(ControlsService).update(officer, controls[1]!.id, { status: 'partial', reason: '一部の課で未実施' });
    expect((await figures(current)).controls_implemented).toMatchObject({ numerator: 1, denominator: total - 1 });
    // FY2022 had no controls yet (the catalogue was loaded today)
    expect((await figures(2022, '2023-04-30')).controls_implemented).toMatchObject({ value: null, status: 'no_data' });
  });

  it('lists the records behind a figure on the indicator’s detail, with its history across years', async () => {
    // an auditor reads the figure, not the incidents behind it (the incidents module does not show them to auditors)
    const forAuditor = (await get('auditor', '/api/v1/indicators/security_incidents?fiscalYear=2022&asOf=2023-04-30').expect(200)).body;
    expect(forAuditor).toMatchObject({ indicator: { value: 2 }, records: [], recordsHidden: true });
    const detail = (await get('ciso', '/api/v1/indicators/security_incidents?fiscalYear=2022&asOf=2023-04-30').expect(200)).body;
    expect(detail.recordsHidden).toBe(false);
    expect(detail.indicator).toMatchObject({ code: 'security_incidents', value: 2 });
    expect(detail.records.map((r: { kind: string; state: string }) => [r.kind, r.state])).toEqual([
      ['incident', 'counted'],
      ['incident', 'counted'],
    ]);
    expect(detail.records.map((r: { linkId: string }) => r.linkId)).toContain(ids.lastMinute);
    expect(detail.history.map((h: { fiscalYear: number }) => h.fiscalYear)).toEqual(
      Array.from({ length: fiscalYearOf(tokyoToday()) - 2019 + 1 }, (_, i) => 2019 + i),
    );
    expect(detail.history.find((h: { fiscalYear: number }) => h.fiscalYear === 2022)).toMatchObject({ target: 0, value: 2, status: 'not_met', frozen: false });
    const training = (await get('officer', '/api/v1/indicators/training_completion?fiscalYear=2022&asOf=2023-04-30').expect(200)).body;
    // the two still owed at the year's end (the one completed on 1 April and the one never done), overdue
    expect(training.records.map((r: { linkId: string; state: string }) => [r.linkId, r.state])).toEqual(
      expect.arrayContaining([
        [learners[1]!.staff.id, 'overdue'],
        [learners[5]!.staff.id, 'overdue'],
      ]),
    );
    expect(training.records).toHaveLength(2);
    await get('officer', '/api/v1/indicators/no_such_indicator').expect(404);
  });

  it('takes a manual value only with a source note, within its unit, for a manual indicator of a year not closed', async () => {
    const put = (code: string, fy: number, body: object) => send('officer', 'put', `/api/v1/indicators/${code}/values/${fy}`, body);
    const missing = (await put('line_subscribers', 2022, { value: 4620 }).expect(400)).body;
    expect(missing.errors.map((e: { field: string }) => e.field)).toContain('sourceNote');
    const blank = (await put('line_subscribers', 2022, { value: 4620, sourceNote: '   ' }).expect(400)).body;
    expect(blank.errors.map((e: { field: string }) => e.field)).toContain('sourceNote');
    expect((await put('my_number_card_issuance', 2022, { value: 120, sourceNote: '総務省' }).expect(400)).body.errors[0].field).toBe('value');
    expect((await put('line_subscribers', 2022, { value: 10.5, sourceNote: 'LINE' }).expect(400)).body.errors[0].field).toBe('value');
    expect((await put('line_subscribers', 2022, { value: 1, sourceNote: 'LINE', measuredOn: '2021-12-31' }).expect(400)).body.errors[0].field).toBe(
      'measuredOn',
    );
    expect((await put('training_completion', 2022, { value: 100, sourceNote: '手入力' }).expect(409)).body.code).toBe('INDICATOR_COMPUTED');
    await send('staff', 'put', '/api/v1/indicators/line_subscribers/values/2022', { value: 1, sourceNote: 'x' }).expect(403);
    await send('officer', 'put', '/api/v1/indicators/line_subscribers/values/1999', { value: 1, sourceNote: 'x' }).expect(400);
    // nothing was written by the refusals
    const [{ n }] = (await sql(`SELECT count(*)::int AS n FROM indicator_values WHERE organization_id = $1`, [org])) as { n: number }[];
    expect(n).toBe(0);

    const first = (await put('line_subscribers', 2022, { value: 4200, sourceNote: 'LINE管理画面 2023年2月末', measuredOn: '2023-02-28' }).expect(200)).body;
    expect(first).toMatchObject({ code: 'line_subscribers', source: 'manual', value: 4200, target: 4500, status: 'not_met', measuredOn: '2023-02-28' });
    const second = (await put('line_subscribers', 2022, { value: 4620, sourceNote: 'LINE管理画面 2023年3月31日時点' }).expect(200)).body;
    expect(second).toMatchObject({ value: 4620, status: 'met', measuredOn: '2023-03-31', sourceNote: 'LINE管理画面 2023年3月31日時点', stale: false });
    const detail = (await get('officer', '/api/v1/indicators/line_subscribers?fiscalYear=2022').expect(200)).body;
    expect(detail.entries.map((e: { value: number }) => e.value)).toEqual([4620, 4200]);
    const [audit] = (await sql(`SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1 AND action = 'indicator_value.create'`, [org])) as {
      n: number;
    }[];
    expect(audit!.n).toBe(2);
    // this year has no value yet, and the last one (31 March 2023) was due again a year later: stale
    const thisYear = (await figures(fiscalYearOf(tokyoToday()))).line_subscribers!;
    expect(thisYear).toMatchObject({ value: null, status: 'no_data', nextValueDue: '2024-03-31', stale: true });
    // a year that has not begun has nothing to judge
    const future = await figures(fiscalYearOf(tokyoToday()) + 2);
    expect(new Set(Object.values(future).map((row) => row.status))).toEqual(new Set(['no_data']));
    // a value of the current year measured long ago is stale once the next one is due
    const current = fiscalYearOf(tokyoToday());
    const early = `${current}-04-01`;
    if (early < tokyoToday()) {
      const row = (await put('open_data_sets', current, { value: 14, sourceNote: '公開一覧', measuredOn: early }).expect(200)).body;
      expect(row.nextValueDue).toBe(`${current + 1}-04-01`);
      expect(row.stale).toBe(false);
    }
  });

  it('freezes a closed year: later edits of its records do not move it, the report says so; reopening needs a reason', async () => {
    const years = t.get(FiscalYearsService);
    // the CISO only, with a second factor; a year that is over
    await send('officer', 'post', '/api/v1/fiscal-years/2022/close').expect(403);
    await expect(years.close(actorOf(people.ciso, { mfa: false }), 2022)).rejects.toMatchObject({ code: 'YEAR_CLOSE_REQUIRES_SECOND_FACTOR' });
    const current = fiscalYearOf(tokyoToday());
    expect((await send('ciso', 'post', `/api/v1/fiscal-years/${current}/close`).expect(409)).body.code).toBe('FISCAL_YEAR_NOT_OVER');
    await send('ciso', 'post', '/api/v1/fiscal-years/20x2/close').expect(400);

    const close = (await send('ciso', 'post', '/api/v1/fiscal-years/2022/close', { note: '推進委員会で確認' }).expect(200)).body;
    // the head of the audit trail when the year was closed: the row just before the close's own
    const [head] = (await sql(
      `SELECT b.seq::text AS seq, b.hash FROM audit_trail c JOIN audit_trail b ON b.organization_id = c.organization_id AND b.seq < c.seq
        WHERE c.organization_id = $1 AND c.action = 'fiscal_year.close' ORDER BY b.seq DESC LIMIT 1`,
      [org],
    )) as { seq: string; hash: string }[];
    expect(close).toMatchObject({ fiscalYear: 2022, auditTrailSeq: head!.seq, auditTrailHash: head!.hash, note: '推進委員会で確認', asOf: tokyoToday() });
    expect((await send('ciso', 'post', '/api/v1/fiscal-years/2022/close').expect(409)).body.code).toBe('FISCAL_YEAR_CLOSED');
    const frozen = await figures(2022);
    expect(frozen.training_completion).toMatchObject({ value: 50, status: 'not_met', frozen: true, changedSinceClose: false, currentValue: null });

    // an old record changes: the one still owed turns out to have been completed in March 2023
    await sql(
      `UPDATE enrolments SET completed_at = $1 WHERE staff_id = $2 AND fiscal_year = 2022 AND completed_at IS NULL AND withdrawn_at IS NULL AND exempt_at IS NULL`,
      [jst('2023-03-01T10:00:00'), learners[5]!.staff.id],
    );
    const after = await figures(2022);
    expect(after.training_completion).toMatchObject({ value: 50, frozen: true, changedSinceClose: true, currentValue: 75 });
    const history = (await get('officer', '/api/v1/indicators/training_completion').expect(200)).body.history;
    expect(history.find((h: { fiscalYear: number }) => h.fiscalYear === 2022)).toMatchObject({ value: 50, frozen: true });
    // a manual value cannot go into a closed year
    expect((await send('officer', 'put', '/api/v1/indicators/open_data_sets/values/2022', { value: 13, sourceNote: '一覧' }).expect(409)).body.code).toBe(
      'FISCAL_YEAR_CLOSED',
    );
    const list = (await get('auditor', '/api/v1/fiscal-years').expect(200)).body;
    expect(list.items.find((y: { fiscalYear: number }) => y.fiscalYear === 2022)).toMatchObject({ over: true, closed: { auditTrailHash: head!.hash } });

    // reopening: with a reason, by the CISO; the figures follow the records again
    expect((await send('ciso', 'post', '/api/v1/fiscal-years/2022/reopen', {}).expect(400)).body.errors[0].field).toBe('reason');
    await send('ciso', 'post', '/api/v1/fiscal-years/2021/reopen', { reason: '誤り' }).expect(409);
    const reopened = (await send('ciso', 'post', '/api/v1/fiscal-years/2022/reopen', { reason: '研修記録の入力漏れを訂正' }).expect(200)).body;
    expect(reopened).toMatchObject({ fiscalYear: 2022, reopenReason: '研修記録の入力漏れを訂正' });
    expect((await figures(2022)).training_completion).toMatchObject({ value: 75, frozen: false });
    const actions = (await sql(`SELECT action FROM audit_trail WHERE organization_id = $1 AND entity_type = 'fiscal_year_close' ORDER BY seq`, [org])) as {
      action: string;
    }[];
    expect(actions.map((a) => a.action)).toEqual(['fiscal_year.close', 'fiscal_year.reopen']);
    // closed again: a new close, the old one kept in the history
    await send('ciso', 'post', '/api/v1/fiscal-years/2022/close').expect(200);
    const again = (await get('officer', '/api/v1/fiscal-years').expect(200)).body.items.find((y: { fiscalYear: number }) => y.fiscalYear === 2022);
    expect(again.closed).not.toBeNull();
    expect(again.reopened).toHaveLength(1);
  });

  it('is read by the security office, the CISO and the auditors only; a wrong parameter names itself', async () => {
    await get('staff', '/api/v1/indicators?fiscalYear=2022').expect(403);
    await get('staff', '/api/v1/fiscal-years').expect(403);
    await get('ciso', '/api/v1/indicators?fiscalYear=2022').expect(200);
    const bad = (await get('officer', '/api/v1/indicators?fiscalYear=22&asOf=2022-13-01').expect(400)).body;
    expect(bad.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'fiscalYear']);
    // a day far outside the plan's years is refused, not computed
    for (const asOf of ['9999-12-31', '0001-01-01'])
      expect((await get('officer', `/api/v1/indicators?asOf=${asOf}`).expect(400)).body.errors[0].field).toBe('asOf');
    expect((await get('officer', '/api/v1/indicators/audits_held?asOf=2500-04-01').expect(400)).body.errors[0].field).toBe('asOf');
  });
});
