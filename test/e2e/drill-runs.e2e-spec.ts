import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { elapsedMinutes, stepTiming } from '../../src/response-plan/drill-runs.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { responsePlanFixture } from '../fixtures/response-plan.js';

const MINUTE = 60_000;
/** A Tokyo wall-clock date-time without an offset (how the paper form sends it). */
function tokyo(at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 19);
}

/** Issue 12: running a drill — start, roll call, steps timed against the playbook, injects, finish, the paper record, findings, figures. */
describe('running a drill: the clock, the roll, steps against their targets, the paper record afterwards, findings on the board, the year’s figures', () => {
  let t: TestApp;
  let org: string;
  let root: string;
  let removeFixture = (): void => undefined;
  let officer: TestPerson;
  let facilitator: TestPerson;
  let invitee: TestPerson;
  let colleague: TestPerson;
  let absentee: TestPerson;
  let walkIn: TestPerson;
  let outsider: TestPerson;
  let scenarioId: string;
  let somuId: string;
  const tokens = new Map<TestPerson, string>();
  const call = (person: TestPerson, method: 'get' | 'post' | 'put' | 'delete', url: string) =>
    request(t.http)
      [method](url)
      .set('Authorization', `Bearer ${tokens.get(person)}`);

  const schedule = async (title: string, startsAt: Date) =>
    (
      await call(officer, 'post', '/api/v1/drills')
        .send({
          scenarioId,
          kind: 'tabletop',
          title,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 120 * MINUTE).toISOString(),
          location: '本庁舎3階 第1会議室',
          facilitatorId: facilitator.staff.id,
          invitees: { staffIds: [invitee.staff.id], departmentIds: [somuId] },
        })
        .expect(201)
    ).body as { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'drill-run-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    somuId = somu.id;
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    facilitator = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    invitee = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    colleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    absentee = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    walkIn = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    outsider = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    for (const person of [officer, facilitator, invitee, colleague, outsider]) tokens.set(person, (await signIn(t, person)).accessToken);
    const fixture = responsePlanFixture('mamori-drill-run-');
    root = fixture.root;
    removeFixture = fixture.remove;
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });
    [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 AND key = 'web-outage'`, [org])) as {
      id: string;
    }[];
  });
  afterAll(async () => {
    removeFixture();
    await t.close();
  });

  it('times a step by whole minutes rounded up: at the target is on time, a second over is late', () => {
    const start = new Date('2022-11-10T10:00:00+09:00');
    expect(elapsedMinutes(start, new Date('2022-11-10T10:30:00+09:00'))).toBe(30);
    expect(stepTiming(start, 30, new Date('2022-11-10T10:30:00+09:00'))).toEqual({ elapsedMinutes: 30, late: false, minutesLate: null });
    expect(stepTiming(start, 30, new Date('2022-11-10T10:30:01+09:00'))).toEqual({ elapsedMinutes: 31, late: true, minutesLate: 1 });
    expect(stepTiming(start, 30, null)).toEqual({ elapsedMinutes: null, late: null, minutesLate: null });
  });

  it('the facilitator starts it, takes the roll, marks steps and injects, finishes; the record shows late steps and the attendance rate', async () => {
    const drill = await schedule('ウェブ停止 机上訓練', new Date(Date.now() + 3600_000));

    // only its facilitator or the office runs it; the uninvited do not see it
    await call(invitee, 'post', `/api/v1/drills/${drill.id}/start`).expect(403);
    await call(outsider, 'post', `/api/v1/drills/${drill.id}/start`).expect(404);
    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/1/done`).send({}).expect(409);
    const started = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/start`).expect(200);
    expect(started.body).toMatchObject({ status: 'running' });
    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/start`).expect(409);

    // everyone invited (by name and by department) is on the roll, absent until marked
    let record = (await call(facilitator, 'get', `/api/v1/drills/${drill.id}/record`).expect(200)).body;
    expect(record.attendance).toMatchObject({ invited: 3, present: 0, walkIns: 0, rate: 0 });
    expect(record.attendance.people.map((p: { staffId: string }) => p.staffId).sort()).toEqual(
      [invitee.staff.id, colleague.staff.id, absentee.staff.id].sort(),
    );

    const roll = await call(facilitator, 'put', `/api/v1/drills/${drill.id}/attendance`)
      .send({ presentStaffIds: [invitee.staff.id, colleague.staff.id, walkIn.staff.id] })
      .expect(200);
    expect(roll.body).toMatchObject({ invited: 3, present: 2, walkIns: 1 });
    expect(roll.body.rate).toBeCloseTo(2 / 3);
    const unknown = await call(facilitator, 'put', `/api/v1/drills/${drill.id}/attendance`)
      .send({ presentStaffIds: ['00000000-0000-4000-8000-000000000000'] })
      .expect(400);
    expect(unknown.body.errors[0].field).toBe('presentStaffIds');

    // the clock: pretend the drill started 70 minutes ago (a test cannot wait), then mark steps
    const startedAt = new Date(Date.now() - 70 * MINUTE);
    await t.dataSource.query(`UPDATE drills SET started_at = $2 WHERE id = $1`, [drill.id, startedAt]);
    const early = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/1/done`)
      .send({ doneAt: tokyo(new Date(startedAt.getTime() + 8 * MINUTE)), note: '警報を確認' })
      .expect(200);
    expect(early.body).toMatchObject({ position: 1, targetMinutes: 10, elapsedMinutes: 8, late: false, note: '警報を確認' });
    const slow = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/2/done`)
      .send({ doneAt: new Date(startedAt.getTime() + 45 * MINUTE).toISOString() })
      .expect(200);
    expect(slow.body).toMatchObject({ position: 2, targetMinutes: 30, elapsedMinutes: 45, late: true, minutesLate: 15 });
    // now is 70 minutes in: the third step (target 60) is late
    const now = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/3/done`).send({}).expect(200);
    expect(now.body).toMatchObject({ position: 3, late: true });
    expect(now.body.elapsedMinutes).toBeGreaterThanOrEqual(70);
    // a mistaken tap is taken back; a time before the start or a step the playbook lacks is refused
    await call(facilitator, 'delete', `/api/v1/drills/${drill.id}/steps/3/done`).expect(204);
    const before = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/3/done`)
      .send({ doneAt: new Date(startedAt.getTime() - MINUTE).toISOString() })
      .expect(400);
    expect(before.body).toMatchObject({ code: 'DRILL_TIME_INVALID' });
    expect(before.body.errors[0].field).toBe('doneAt');
    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/9/done`).send({}).expect(404);

    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/events`).send({ kind: 'inject', text: '住民から「町HPが見られない」と電話' }).expect(201);
    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/events`).send({ kind: 'problem', text: '配信業者の夜間連絡先が古かった' }).expect(201);
    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/events`).send({ kind: 'rumour', text: 'x' }).expect(400);

    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/finish`).send({ lessons: '連絡先を四半期ごとに確かめる' }).expect(200);
    await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/3/done`).send({}).expect(400); // after the finish the time must be given

    record = (await call(invitee, 'get', `/api/v1/drills/${drill.id}/record`).expect(200)).body;
    expect(record).toMatchObject({
      drillStatus: 'completed',
      scenarioRevision: 1,
      recordedOnPaper: false,
      lessons: '連絡先を四半期ごとに確かめる',
      stepSummary: { total: 3, done: 2, onTime: 1, late: 1, notDone: 1 },
    });
    expect(record.steps.map((s: { late: boolean | null }) => s.late)).toEqual([false, true, null]);
    expect(record.events.map((e: { kind: string }) => e.kind)).toEqual(['inject', 'problem']);
    await call(outsider, 'get', `/api/v1/drills/${drill.id}/record`).expect(404);

    // a finding from the drill joins the findings board
    const raised = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/findings`)
      .send({ title: '配信業者の夜間連絡先が古い', severity: 'medium', ownerDepartmentId: somuId, controlIds: [] })
      .expect(201);
    expect(raised.body.reference).toMatch(/^FND-\d{4}-\d{4}$/);
    const board = await call(officer, 'get', `/api/v1/findings?source=drill&sourceId=${drill.id}`).expect(200);
    expect(board.body.items.map((f: { id: string }) => f.id)).toEqual([raised.body.id]);
    record = (await call(facilitator, 'get', `/api/v1/drills/${drill.id}/record`).expect(200)).body;
    expect(record.findings.map((f: { reference: string }) => f.reference)).toEqual([raised.body.reference]);

    // the audit trail has the run
    const actions = (
      (await t.dataSource.query(`SELECT action FROM audit_trail WHERE organization_id = $1 AND action LIKE 'drill%' ORDER BY seq`, [org])) as {
        action: string;
      }[]
    ).map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining(['drill.start', 'drill_attendance.mark', 'drill_step.done', 'drill_step.undo', 'drill_event.record', 'drill.finish']),
    );
  });

  it('a drill held without the network is entered afterwards from the paper sheet: all or nothing, each wrong time named', async () => {
    const startsAt = new Date(Date.now() - 26 * 3600_000);
    const drill = await schedule('停電時の机上訓練（紙）', startsAt);
    // a drill already over is being recorded, not announced: no invitation goes out
    const invitations = async (id: string) =>
      (
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE topic = 'drills.invitation' AND payload->>'drillId' = $1`, [id])) as {
          n: number;
        }[]
      )[0]!.n;
    expect(await invitations(drill.id)).toBe(0);
    const ahead = await schedule('来月の机上訓練', new Date(Date.now() + 30 * 24 * 3600_000));
    expect(await invitations(ahead.id)).toBe(1);
    // a tap on 開始 a month ahead is refused: a drill starts from the day before its day on
    const early = await call(facilitator, 'post', `/api/v1/drills/${ahead.id}/start`).expect(409);
    expect(early.body).toMatchObject({ code: 'DRILL_TOO_EARLY', scheduledOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const body = {
      startedAt: tokyo(startsAt),
      finishedAt: tokyo(new Date(startsAt.getTime() + 90 * MINUTE)),
      presentStaffIds: [invitee.staff.id, colleague.staff.id, absentee.staff.id],
      steps: [
        { position: 1, doneAt: tokyo(new Date(startsAt.getTime() + 12 * MINUTE)), note: '紙の連絡網で連絡' },
        { position: 2, doneAt: tokyo(new Date(startsAt.getTime() + 95 * MINUTE)) },
      ],
      events: [{ kind: 'inject', text: '庁舎が停電', occurredAt: tokyo(new Date(startsAt.getTime() + 5 * MINUTE)) }],
      lessons: '発電機の燃料を確かめる',
    };
    // held on another day than scheduled (more than 30 days apart): reschedule first; a step twice; a position out of range
    const otherDay = await call(facilitator, 'put', `/api/v1/drills/${drill.id}/paper-record`)
      .send({ ...body, startedAt: tokyo(new Date(startsAt.getTime() - 40 * 24 * 3600_000)) })
      .expect(400);
    expect(otherDay.body.errors.map((e: { field: string }) => e.field)).toEqual(['startedAt']);
    const twice = await call(facilitator, 'put', `/api/v1/drills/${drill.id}/paper-record`)
      .send({ ...body, steps: [body.steps[0], body.steps[0]] })
      .expect(400);
    expect(twice.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'steps.1.position' }] });
    const far = await call(facilitator, 'post', `/api/v1/drills/${drill.id}/steps/99999999999/done`).send({}).expect(400);
    expect(far.body.errors[0].field).toBe('position');
    const refused = await call(facilitator, 'put', `/api/v1/drills/${drill.id}/paper-record`).send(body).expect(400);
    expect(refused.body).toMatchObject({ code: 'DRILL_TIME_INVALID' });
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['steps.1.doneAt']);
    const untouched = (await call(facilitator, 'get', `/api/v1/drills/${drill.id}/record`).expect(200)).body;
    expect(untouched).toMatchObject({ drillStatus: 'scheduled', startedAt: null, attendance: { invited: 0 } });

    body.steps[1] = { position: 2, doneAt: tokyo(new Date(startsAt.getTime() + 29 * MINUTE)) };
    await call(facilitator, 'put', `/api/v1/drills/${drill.id}/paper-record`).send(body).expect(200);
    const record = (await call(facilitator, 'get', `/api/v1/drills/${drill.id}/record`).expect(200)).body;
    expect(record).toMatchObject({
      drillStatus: 'completed',
      recordedOnPaper: true,
      durationMinutes: 90,
      attendance: { invited: 3, present: 3, rate: 1 },
      stepSummary: { total: 3, done: 2, onTime: 1, late: 1, notDone: 1 },
    });
    expect(record.steps[0]).toMatchObject({ elapsedMinutes: 12, late: true, minutesLate: 2, note: '紙の連絡網で連絡' });
    expect(record.steps[1]).toMatchObject({ elapsedMinutes: 29, late: false });
    await call(facilitator, 'put', `/api/v1/drills/${drill.id}/paper-record`).send(body).expect(409);

    // the year's figures: two tabletop drills held; 2 of 3 then 3 of 3 invitees present; 2 of 6 steps on time
    const fiscalYear = fiscalYearOf(new Date());
    await call(facilitator, 'get', `/api/v1/response-plan/figures?fiscalYear=${fiscalYear}`).expect(403);
    await call(officer, 'get', '/api/v1/response-plan/figures').expect(400);
    const figures = (await call(officer, 'get', `/api/v1/response-plan/figures?fiscalYear=${fiscalYear}`).expect(200)).body;
    expect(figures).toMatchObject({
      fiscalYear,
      held: { tabletop: 2, functional: 0, full_scale: 0, total: 2 },
      invited: 6,
      present: 5,
      steps: { total: 6, done: 4, onTime: 2, late: 2, notDone: 2 },
      findings: 1,
      plan: { approved: false, version: null, reviewedWithinInterval: false },
    });
    expect(figures.attendanceRate).toBeCloseTo(5 / 6);
    expect(figures.onTimeRate).toBeCloseTo(2 / 6);
  });
});
