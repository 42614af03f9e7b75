import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { CalendarFeedsService } from '../../src/calendar-feeds/calendar-feeds.service.js';
import { DrillRemindersService } from '../../src/response-plan/drill-reminders.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import type { SentMail } from '../../src/notifications/mailer.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import type { CreateCourseDto } from '../../src/training/dto/course.dto.js';
import { CoursesService } from '../../src/training/courses.service.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox } from '../support/mail.js';
import { parseCalendar } from '../support/ical.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The invitation a mail carries: its METHOD, and its one event's UID, SEQUENCE, start and status. */
function invitationOf(mail: SentMail): { method: string; uid: string; sequence: number; start: Date; status: string; tz: string } {
  expect(mail.calendar).toBeDefined();
  const { calendar, events } = parseCalendar(mail.calendar!.content);
  expect(events).toHaveLength(1);
  const method = String(calendar.getFirstPropertyValue('method'));
  expect(mail.calendar!.method).toBe(method);
  const event = events[0]!;
  return {
    method,
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate(),
    status: String(event.component.getFirstPropertyValue('status')),
    tz: event.startDate.zone?.tzid ?? '',
  };
}

/** Issue 12: drill invitations by mail (scheduled, changed, cancelled), reminders a week and a day before, and each person's private calendar feed. */
describe('drill invitations by mail with the .ics attached, reminders, and the private calendar subscription', () => {
  let t: TestApp;
  let org: string;
  let scenarioId: string;
  let officer: TestPerson;
  /** 総務課: invited by department */
  let alice: TestPerson;
  /** 税務課: invited by name, then taken off */
  let bob: TestPerson;
  /** an auditor: invited by role */
  let eve: TestPerson;
  /** 税務課: not invited to the drill under test; invited to another */
  let dave: TestPerson;
  /** 総務課, retired: never mailed */
  let retired: TestPerson;
  let drillId: string;
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
    delete: (url: string) =>
      request(t.http)
        .delete(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
  });
  const CSRF = 'c'.repeat(43);
  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const form = (person: TestPerson, path: string) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF });
  const words = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x3D;/g, '=')
      .replace(/\s+/g, ' ');
  const byRecipient = (mails: SentMail[]) => new Map(mails.map((mail) => [mail.to, mail]));
  const drillBody = () => ({
    scenarioId,
    kind: 'tabletop',
    title: 'ランサムウェア机上訓練',
    startsAt: '2027-12-10T14:00:00+09:00',
    endsAt: '2027-12-10T16:00:00+09:00',
    location: '本庁舎3階 第1会議室',
    onlineUrl: 'https://meet.example/drill',
    facilitatorId: officer.staff.id,
  });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'drill-invitations-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    alice = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    bob = await createPerson(t, org, { roles: ['staff'], departmentId: zeimu.id });
    eve = await createPerson(t, org, { roles: ['auditor'] });
    dave = await createPerson(t, org, { roles: ['staff'], departmentId: zeimu.id });
    retired = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    await t.dataSource.getRepository(Staff).update({ id: retired.staff.id }, { status: 'retired' });
    await t.dataSource.getRepository(Staff).update({ id: eve.staff.id }, { locale: 'en' });
    for (const person of [officer, alice, bob, dave]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'));
    [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 ORDER BY key LIMIT 1`, [org])) as {
      id: string;
    }[];
    await deliverOutbox(t); // what creating the people sent
  });
  afterAll(() => t.close());

  it('scheduling mails the facilitator and every active invitee (by department, name and role) the invitation; a change raises SEQUENCE and cancels for whoever it took off', async () => {
    const scheduled = await as(officer)
      .post('/api/v1/drills')
      .send({ ...drillBody(), invitees: { departmentIds: [alice.staff.departmentId], staffIds: [bob.staff.id], roles: ['auditor'] } })
      .expect(201);
    drillId = scheduled.body.id as string;

    const first = byRecipient(await deliverOutbox(t));
    expect([...first.keys()].sort()).toEqual([officer.email, alice.email, bob.email, eve.email].sort());
    const toAlice = first.get(alice.email)!;
    expect(toAlice.subject).toBe('【訓練のご案内】ランサムウェア机上訓練（2027年12月10日（金）14:00〜16:00）');
    expect(toAlice.text).toContain('日時: 2027年12月10日（金）14:00〜16:00');
    expect(toAlice.text).toContain('場所: 本庁舎3階 第1会議室');
    expect(toAlice.text).toContain('オンライン: https://meet.example/drill');
    expect(toAlice.text).toContain('種別: 机上訓練');
    expect(toAlice.text).toContain(`http://localhost:3000/drills/${drillId}`);
    expect(first.get(eve.email)!.subject).toBe('[Mamori] Drill invitation: ランサムウェア机上訓練');
    expect(first.get(eve.email)!.text).toContain('When: Fri 10 December 2027, 14:00–16:00');
    const invited = invitationOf(toAlice);
    expect(invited).toEqual({
      method: 'REQUEST',
      uid: `drill-${drillId}@mamori`,
      sequence: 0,
      start: new Date('2027-12-10T05:00:00Z'),
      status: 'CONFIRMED',
      tz: 'Asia/Tokyo',
    });
    // the mail carries the same invitation as invite.ics (but its DTSTAMP)
    const ics = await as(alice).get(`/api/v1/drills/${drillId}/invite.ics`).expect(200);
    const strip = (text: string) => text.replace(/^DTSTAMP:.*$/m, '');
    expect(strip(toAlice.calendar!.content)).toBe(strip(ics.text));
    expect(toAlice.calendar!.filename).toBe('invite.ics');

    // an hour later, and no longer bob: everyone still invited gets SEQUENCE 1, bob the cancellation
    await as(officer)
      .patch(`/api/v1/drills/${drillId}`)
      .send({
        startsAt: '2027-12-10T15:00:00+09:00',
        endsAt: '2027-12-10T17:00:00+09:00',
        invitees: { departmentIds: [alice.staff.departmentId], roles: ['auditor'] },
      })
      .expect(200);
    const second = byRecipient(await deliverOutbox(t));
    expect([...second.keys()].sort()).toEqual([officer.email, alice.email, bob.email, eve.email].sort());
    expect(second.get(alice.email)!.subject).toMatch(/^【訓練の予定変更】/);
    expect(invitationOf(second.get(alice.email)!)).toMatchObject({ method: 'REQUEST', sequence: 1, start: new Date('2027-12-10T06:00:00Z') });
    expect(second.get(bob.email)!.subject).toMatch(/^【訓練のご案内の取消】/);
    expect(invitationOf(second.get(bob.email)!)).toMatchObject({ method: 'CANCEL', uid: `drill-${drillId}@mamori`, sequence: 1, status: 'CANCELLED' });
    // delivering again sends nothing more
    expect(await deliverOutbox(t, {})).toEqual([]);
  });

  it('reminds the people a week and a day before the drill’s day (Tokyo), each once', async () => {
    const job = t.get(DrillRemindersService);
    expect((await job.remind('2027-12-02')).fired).toEqual({ week_before: 0, day_before: 0 });
    expect((await job.remind('2027-12-03')).fired).toEqual({ week_before: 3, day_before: 0 });
    expect((await job.remind('2027-12-03')).fired).toEqual({ week_before: 0, day_before: 0 });
    expect((await job.remind('2027-12-05')).fired).toEqual({ week_before: 0, day_before: 0 }); // still in the week's window: already reminded
    const week = byRecipient(await deliverOutbox(t));
    expect([...week.keys()].sort()).toEqual([officer.email, alice.email, eve.email].sort());
    expect(week.get(alice.email)!.subject).toBe('【訓練は7日後です】ランサムウェア机上訓練');
    expect(week.get(alice.email)!.text).toContain('日時: 2027年12月10日（金）15:00〜17:00');

    expect((await job.remind('2027-12-09')).fired).toEqual({ week_before: 0, day_before: 3 });
    expect((await job.remind('2027-12-09')).fired).toEqual({ week_before: 0, day_before: 0 });
    const day = byRecipient(await deliverOutbox(t));
    expect([...day.keys()].sort()).toEqual([officer.email, alice.email, eve.email].sort());
    expect(day.get(alice.email)!.subject).toBe('【訓練は明日です】ランサムウェア机上訓練');
    expect(day.get(eve.email)!.subject).toBe('[Mamori] Drill tomorrow: ランサムウェア机上訓練');
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM drill_reminders WHERE drill_id = $1`, [drillId])) as { n: number }[];
    expect(n).toBe(6);
  });

  it('the subscription feed lists only the person’s own drills and open training; it is shown once, replaced, and after DELETE gives 404', async () => {
    // another drill, dave's only; and one of alice's department, cancelled
    const daves = await as(officer)
      .post('/api/v1/drills')
      .send({ ...drillBody(), title: '税務課の訓練', invitees: { staffIds: [dave.staff.id] } })
      .expect(201);
    const cancelled = await as(officer)
      .post('/api/v1/drills')
      .send({ ...drillBody(), title: '中止になる訓練', invitees: { departmentIds: [alice.staff.departmentId] } })
      .expect(201);
    await as(officer)
      .post(`/api/v1/drills/${cancelled.body.id as string}/cancel`)
      .send({ reason: '庁舎の停電' })
      .expect(200);
    const cancelMail = byRecipient(await deliverOutbox(t)).get(alice.email)!;
    expect(cancelMail.subject).toMatch(/^【訓練の中止】中止になる訓練/);
    expect(invitationOf(cancelMail)).toMatchObject({ method: 'CANCEL', sequence: 1, status: 'CANCELLED' });
    // training: 総務課 owes a course (alice), bob's department does not
    const courses = t.get(CoursesService);
    const fy = fiscalYearOf(new Date());
    const course = (await courses.create(actorOf(officer), {
      fiscalYear: fy,
      kind: 'e_learning',
      title: '個人情報の取扱い研修',
      audience: { departmentIds: [alice.staff.departmentId!] },
      dueDate: `${fy + 1}-02-15`,
    } as CreateCourseDto))!;
    await courses.publish(actorOf(officer), course.id);
    const enrolment = await t.dataSource.getRepository(Enrolment).findOneByOrFail({ courseId: course.id, staffId: alice.staff.id });

    expect((await as(alice).get('/api/v1/me/calendar-feed').expect(200)).body).toEqual({ active: false, createdAt: null, lastUsedAt: null });
    const made = await as(alice).post('/api/v1/me/calendar-feed').expect(201);
    expect(made.headers['cache-control']).toMatch(/no-store/);
    const url = made.body.url as string;
    expect(url).toMatch(/^http:\/\/localhost:3000\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const path = new URL(url).pathname;
    const token = path.slice('/calendar/'.length, -'.ics'.length);

    const fetched = await request(t.http).get(path).expect(200);
    expect(fetched.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(fetched.headers['cache-control']).toBe('private, no-store');
    expect(fetched.headers['set-cookie']).toBeUndefined(); // no session, no page cookies: a calendar is not a browser
    const { calendar, events } = parseCalendar(fetched.text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Mamori 予定');
    expect(calendar.getFirstPropertyValue('method')).toBeNull();
    const byUid = new Map(events.map((event) => [event.uid, event]));
    expect([...byUid.keys()].sort()).toEqual(
      [`drill-${drillId}@mamori`, `drill-${cancelled.body.id as string}@mamori`, `enrolment-${enrolment.id}@mamori`].sort(),
    );
    expect(byUid.has(`drill-${daves.body.id as string}@mamori`)).toBe(false);
    const drill = byUid.get(`drill-${drillId}@mamori`)!;
    expect(drill.sequence).toBe(1);
    expect(drill.startDate.toJSDate()).toEqual(new Date('2027-12-10T06:00:00Z'));
    expect(drill.startDate.zone?.tzid).toBe('Asia/Tokyo');
    expect(byUid.get(`drill-${cancelled.body.id as string}@mamori`)!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    const due = byUid.get(`enrolment-${enrolment.id}@mamori`)!;
    expect(due.startDate.isDate).toBe(true);
    expect(due.startDate.toString()).toBe(`${fy + 1}-02-15`);
    expect(due.summary).toBe('研修の期限: 個人情報の取扱い研修');

    // dave's feed: his drill only, no training
    const davesUrl = new URL((await as(dave).post('/api/v1/me/calendar-feed').expect(201)).body.url as string).pathname;
    expect(parseCalendar((await request(t.http).get(davesUrl).expect(200)).text).events.map((event) => event.uid)).toEqual([
      `drill-${daves.body.id as string}@mamori`,
    ]);

    // the status tells when, never the address; the token is kept only as its hash
    const status = await as(alice).get('/api/v1/me/calendar-feed').expect(200);
    expect(status.body).toMatchObject({ active: true, createdAt: made.body.createdAt });
    expect(status.body.lastUsedAt).not.toBeNull();
    expect(status.text).not.toContain(token);
    const stored = (await t.dataSource.query(`SELECT token_hash FROM calendar_feeds WHERE staff_id = $1`, [alice.staff.id])) as { token_hash: string }[];
    expect(stored.map((row) => row.token_hash)).not.toContain(token);

    // a new address stops the old one
    const again = await as(alice).post('/api/v1/me/calendar-feed').expect(201);
    const newPath = new URL(again.body.url as string).pathname;
    expect(newPath).not.toBe(path);
    const old = await request(t.http).get(path).expect(404);
    await request(t.http).get(newPath).expect(200);

    // stopped: 404, the same answer as a token never issued
    await as(alice).delete('/api/v1/me/calendar-feed').expect(204);
    const stopped = await request(t.http).get(newPath).expect(404);
    const never = await request(t.http)
      .get(`/calendar/${'A'.repeat(43)}.ics`)
      .expect(404);
    expect(stopped.text).toBe(never.text);
    expect(stopped.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stopped.body).toMatchObject({ status: 404, code: 'CALENDAR_FEED_NOT_FOUND' });
    expect(stopped.text).not.toContain(newPath.slice(10, 30));
    expect(old.text).toBe(never.text);
    expect(stopped.headers['cache-control']).toBe(never.headers['cache-control']);
    expect((await as(alice).get('/api/v1/me/calendar-feed').expect(200)).body).toMatchObject({ active: false });
    const nothing = await as(alice).delete('/api/v1/me/calendar-feed').expect(404);
    expect(nothing.body.code).toBe('CALENDAR_FEED_NOT_FOUND');
    // dave's still works
    await request(t.http).get(davesUrl).expect(200);

    // made, replaced and stopped are in the audit trail, without the token or its hash
    const trail = await t.dataSource
      .getRepository(AuditTrailEntry)
      .find({ where: { organizationId: org, entityType: 'calendar_feed' }, order: { seq: 'ASC' } });
    expect(trail.filter((entry) => entry.actorId === alice.staff.id).map((entry) => entry.action)).toEqual([
      'calendar_feed.create',
      'calendar_feed.revoke',
      'calendar_feed.create',
      'calendar_feed.revoke',
    ]);
    const written = JSON.stringify(trail);
    expect(written).not.toContain(token);
    for (const row of stored) expect(written).not.toContain(row.token_hash);
  });

  it('my page: a section 「カレンダーの購読」 makes the address (shown once, with how to add it), and stops it; stopping none says so at the top', async () => {
    const before = await page(bob, '/').expect(200);
    expect(words(before.text)).toContain('カレンダーの購読');
    expect(words(before.text)).toContain('購読用のアドレスはまだありません。');
    expect(before.text).toContain('action="/my-page/calendar-feed"');

    const made = await form(bob, '/my-page/calendar-feed').expect(201);
    expect(made.headers['cache-control']).toMatch(/no-store/);
    const url = /id="calendar-feed-url"[^>]*value="([^"]+)"/.exec(made.text)?.[1];
    expect(url).toMatch(/^http:\/\/localhost:3000\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(words(made.text)).toContain('このアドレスが表示されるのは今回だけです。');
    expect(words(made.text)).toContain('Outlook の場合');
    expect(words(made.text)).toContain('Google カレンダーの場合');
    const path = new URL(url!).pathname;
    await request(t.http).get(path).expect(200);

    const after = await page(bob, '/').expect(200);
    expect(words(after.text)).toMatch(/購読用のアドレスを \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} に発行済みです。/);
    expect(after.text).not.toContain(path);
    expect(after.text).toContain('action="/my-page/calendar-feed/revoke"');

    const stopped = await form(bob, '/my-page/calendar-feed/revoke').expect(303);
    expect(stopped.headers.location).toBe('/');
    await request(t.http).get(path).expect(404);
    const flashCookie = (stopped.headers['set-cookie'] as unknown as string[]).find((cookie) => cookie.startsWith('mamori_flash='));
    expect(flashCookie).toContain('notice.calendarFeedStopped');

    // stopped already (another tab): the reason at the top, with the focus
    const refused = await form(bob, '/my-page/calendar-feed/revoke').expect(409);
    expect(refused.text).toMatch(/<div class="error-summary" role="alert"[^>]*autofocus/);
    expect(words(refused.text)).toContain('購読を停止できませんでした');
    expect(words(refused.text)).toContain('停止する購読はありません');
  });
});

describe('calendar feed addresses cannot be probed fast', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(() => t.close());

  it('misses count against the client address (429 with Retry-After once over the limit); a real address still answers', async () => {
    const org = await testOrganization(t, 'feed-probe-town');
    const person = await createPerson(t, org, { roles: ['staff'] });
    const issued = await t.get(CalendarFeedsService).create(actorOf(person));
    const guess = (n: number) => request(t.http).get(`/calendar/${String(n).repeat(43).slice(0, 43)}.ics`);
    await guess(1).expect(404);
    await guess(2).expect(404);
    const refused = await guess(3).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await request(t.http).get(new URL(issued.url).pathname).expect(200);
  });
});
