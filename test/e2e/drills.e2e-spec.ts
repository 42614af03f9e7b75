import type ICAL from 'ical.js';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { parseCalendar } from '../support/ical.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** An invitation parsed with ical.js: the calendar, its one event. */
function parse(text: string): { calendar: ICAL.Component; event: ICAL.Event } {
  const { calendar, events } = parseCalendar(text);
  expect(events).toHaveLength(1);
  return { calendar, event: events[0]! };
}

/** Issue 12: drills scheduled for a scenario, their invitations as iCalendar (updated, cancelled), read only by those invited. */
describe('drills: scheduled by the security office, invitations as RFC 5545 for the invited, changes raise SEQUENCE, cancellation sends CANCEL', () => {
  let t: TestApp;
  let org: string;
  let officer: TestPerson;
  let manager: TestPerson;
  let staff: TestPerson;
  let scenarioId: string;
  const tokens = new Map<TestPerson, string>();
  const as = (person: TestPerson) => ({
    get: (url: string) =>
      request(t.http)
        .get(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    post: (url: string) =>
      request(t.http)
        .post(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    patch: (url: string) =>
      request(t.http)
        .patch(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
  });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'drill-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    staff = await createPerson(t, org, { roles: ['staff'], departmentId: zeimu.id });
    for (const person of [officer, manager, staff]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'));
    [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 ORDER BY key LIMIT 1`, [org])) as {
      id: string;
    }[];
  });
  afterAll(async () => {
    await t.close();
  });

  it('schedules, invites by role, changes the time (SEQUENCE 1), cancels (METHOD:CANCEL, SEQUENCE 2); the uninvited see nothing; bad input names the field', async () => {
    const body = {
      scenarioId,
      kind: 'tabletop',
      title: 'ランサムウェア机上訓練, 第1回',
      startsAt: '2026-12-10T10:00:00+09:00',
      endsAt: '2026-12-10T11:30:00+09:00',
      location: '本庁舎3階 第1会議室',
      onlineUrl: 'https://meet.example/drill',
      facilitatorId: officer.staff.id,
      invitees: { roles: ['manager'] },
    };
    // bad input: the end before the start, an unknown scenario, a kind not in the list
    const backwards = await as(officer)
      .post('/api/v1/drills')
      .send({ ...body, endsAt: '2026-12-10T09:00:00+09:00' })
      .expect(400);
    expect(backwards.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(backwards.body.errors.map((e: { field: string }) => e.field)).toEqual(['endsAt']);
    const unknown = await as(officer)
      .post('/api/v1/drills')
      .send({ ...body, scenarioId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(unknown.body).toMatchObject({ code: 'DRILL_LINK_INVALID' });
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['scenarioId']);
    const kind = await as(officer)
      .post('/api/v1/drills')
      .send({ ...body, kind: 'rehearsal' })
      .expect(400);
    expect(kind.body.errors.map((e: { field: string }) => e.field)).toEqual(['kind']);
    await as(manager).post('/api/v1/drills').send(body).expect(403);

    const scheduled = (await as(officer).post('/api/v1/drills').send(body).expect(201)).body;
    expect(scheduled).toMatchObject({ status: 'scheduled', sequence: 0, fiscalYear: 2026, startsAt: '2026-12-10T01:00:00.000Z' });

    // the invited manager (by role) reads it and its invitation
    expect((await as(manager).get('/api/v1/drills?fiscalYear=2026').expect(200)).body).toMatchObject({ total: 1, page: 1, items: [{ id: scheduled.id }] });
    const ics = await as(manager).get(`/api/v1/drills/${scheduled.id}/invite.ics`).expect(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.text).toMatch(/\r\n$/);
    expect(ics.text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const first = parse(ics.text);
    expect(first.calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(first.event.uid).toBe(`drill-${scheduled.id}@mamori`);
    expect(first.event.sequence).toBe(0);
    expect(first.event.summary).toBe('訓練: ランサムウェア机上訓練, 第1回');
    expect(first.event.startDate.zone.tzid).toBe('Asia/Tokyo');
    expect([first.event.startDate.hour, first.event.startDate.minute]).toEqual([10, 0]);
    expect(first.event.startDate.toJSDate().toISOString()).toBe('2026-12-10T01:00:00.000Z');
    expect(first.event.endDate.toJSDate().toISOString()).toBe('2026-12-10T02:30:00.000Z');
    expect(first.event.organizer).toBe(`mailto:${officer.email}`);
    expect(first.event.description).toContain('https://meet.example/drill');

    // a member of staff not invited sees neither the drill nor its invitation, nor it in the list
    await as(staff).get(`/api/v1/drills/${scheduled.id}`).expect(404);
    await as(staff).get(`/api/v1/drills/${scheduled.id}/invite.ics`).expect(404);
    expect((await as(staff).get('/api/v1/drills').expect(200)).body.total).toBe(0);

    // a new time: SEQUENCE 1, the same UID
    const moved = (
      await as(officer).patch(`/api/v1/drills/${scheduled.id}`).send({ startsAt: '2026-12-11T14:00:00+09:00', endsAt: '2026-12-11T15:00:00+09:00' }).expect(200)
    ).body;
    expect(moved).toMatchObject({ sequence: 1, status: 'scheduled' });
    const second = parse((await as(manager).get(`/api/v1/drills/${scheduled.id}/invite.ics`).expect(200)).text);
    expect(second.event.uid).toBe(first.event.uid);
    expect(second.event.sequence).toBe(1);
    expect([second.event.startDate.day, second.event.startDate.hour]).toEqual([11, 14]);
    const refused = await as(officer).patch(`/api/v1/drills/${scheduled.id}`).send({ endsAt: '2026-12-11T13:00:00+09:00' }).expect(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['endsAt']);

    // cancelled: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE 2; no more changes
    expect((await as(officer).post(`/api/v1/drills/${scheduled.id}/cancel`).send({ reason: '台風接近のため' }).expect(200)).body).toMatchObject({
      status: 'cancelled',
      sequence: 2,
      cancelReason: '台風接近のため',
    });
    const third = parse((await as(manager).get(`/api/v1/drills/${scheduled.id}/invite.ics`).expect(200)).text);
    expect(third.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(third.event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(third.event.uid).toBe(first.event.uid);
    expect(third.event.sequence).toBe(2);
    expect((await as(officer).patch(`/api/v1/drills/${scheduled.id}`).send({ title: 'x' }).expect(409)).body).toMatchObject({ code: 'DRILL_NOT_SCHEDULED' });

    const actions = (await t.dataSource.query(`SELECT action FROM audit_trail WHERE organization_id = $1 AND entity_type = 'drill' ORDER BY occurred_at, seq`, [
      org,
    ])) as {
      action: string;
    }[];
    expect(actions.map((a) => a.action)).toEqual(['drill.schedule', 'drill.update', 'drill.cancel']);
  });
});
