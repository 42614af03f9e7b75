import request from 'supertest';
import { IsNull } from 'typeorm';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { DutyReminder } from '../../src/department-duties/duty-reminder.entity.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { AcknowledgementsService } from '../../src/training/acknowledgements.service.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { acknowledgementDuties, setAcknowledgementDue } from '../support/acknowledgements.js';
import { deliverOutbox } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface PersonItem {
  staff: { id: string; familyName: string };
  duties: { kind: string; title: string; version: number | null; dueOn: string | null; overdue: boolean }[];
  lastRemindedAt: string | null;
  remindedToday: boolean;
}

describe('department duties: who still owes what, and one reminder per person per day', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let hisho: Department;
  let people: Record<'ciso' | 'officer' | 'manager' | 'otherManager' | 'late' | 'done' | 'onLeave' | 'secretary' | 'planner', TestPerson>;
  const bearer = {} as Record<keyof typeof people, { Authorization: string }>;
  const today = tokyoToday();
  let dueOn: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' });
    kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    people = {
      ciso: await createPerson(t, org, { roles: ['ciso'], departmentId: kikaku.id }),
      officer: await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id }),
      manager: await createPerson(t, org, { roles: ['manager'], departmentId: somu.id }),
      otherManager: await createPerson(t, org, { roles: ['manager'], departmentId: kikaku.id }),
      late: await createPerson(t, org, { roles: ['staff'], departmentId: somu.id }),
      done: await createPerson(t, org, { roles: ['staff'], departmentId: somu.id }),
      onLeave: await createPerson(t, org, { roles: ['staff'], departmentId: somu.id }),
      secretary: await createPerson(t, org, { roles: ['staff'], departmentId: null }),
      planner: await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id }),
    };
    // 秘書係 sits under 総務課 and is headed by its manager; its member is not listed with 総務課
    hisho = await createDepartment(t, org, { code: 'HISHO', name: '秘書係', parentId: somu.id, headId: people.manager.staff.id });
    await t.dataSource.getRepository(Staff).update({ id: people.secretary.staff.id }, { departmentId: hisho.id });
    for (const key of Object.keys(people) as (keyof typeof people)[]) {
      if (key !== 'onLeave') bearer[key] = { Authorization: `Bearer ${(await signIn(t, people[key])).accessToken}` };
    }
    await t.dataSource.getRepository(Staff).update({ id: people.onLeave.staff.id }, { status: 'on_leave' });

    // the CISO approves the standards asking everyone to acknowledge them: the duties
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    const standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    dueOn = addDays(today, 14);
    await t.get(PolicyVersionsService).approve(actorOf(people.ciso), standards.id, 1, { requireAcknowledgement: true, acknowledgementDueOn: dueOn });
    // one of them is late, one has acknowledged already
    await setAcknowledgementDue(t, people.late.staff.id, addDays(today, -3));
    const [done] = (await t.get(AcknowledgementsService).mine(actorOf(people.done, { mfa: false }))).items;
    await t.get(AcknowledgementsService).acknowledge(actorOf(people.done, { mfa: false }), done!.id);
    await deliverOutbox(t); // the requests to acknowledge: not what this file counts
  });
  afterAll(() => t.close());

  const http = () => request(t.http);
  const outstanding = (who: keyof typeof people, departmentId: string) => http().get(`/api/v1/departments/${departmentId}/outstanding-duties`).set(bearer[who]);
  const remind = (who: keyof typeof people, departmentId: string, body: object = {}) =>
    http().post(`/api/v1/departments/${departmentId}/reminders`).set(bearer[who]).send(body);
  const itemOf = (body: { items: PersonItem[] }, person: TestPerson) => body.items.find((item) => item.staff.id === person.staff.id);
  const reminderRows = () => t.dataSource.getRepository(DutyReminder).countBy({ organizationId: org });
  const reminderMessages = () => t.dataSource.getRepository(OutboxMessage).countBy({ organizationId: org, topic: 'duty.reminder' });

  it("lists the department's active members (not its sub-departments', not those on leave) with their outstanding acknowledgements", async () => {
    const response = await outstanding('manager', somu.id).expect(200);
    expect(response.body).toMatchObject({
      department: { id: somu.id, code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' },
      today,
      total: 3,
      withDuties: 2,
      overdue: 1,
    });
    expect((response.body.items as PersonItem[]).map((item) => item.staff.id).sort()).toEqual(
      [people.manager, people.late, people.done].map((p) => p.staff.id).sort(),
    );
    expect(itemOf(response.body, people.late)).toEqual({
      staff: { id: people.late.staff.id, employeeNumber: people.late.staff.employeeNumber, familyName: '試験', givenName: '太郎' },
      duties: [
        {
          kind: 'policy_acknowledgement',
          title: '情報セキュリティ対策基準',
          titleEn: expect.any(String),
          version: 1,
          dueOn: addDays(today, -3),
          overdue: true,
        },
      ],
      lastRemindedAt: null,
      remindedToday: false,
    });
    expect(itemOf(response.body, people.manager)!.duties).toEqual([expect.objectContaining({ dueOn, overdue: false })]);
    expect(itemOf(response.body, people.done)!.duties).toEqual([]);

    // the security office reads any department; a manager also the department they head
    await outstanding('officer', somu.id).expect(200);
    await outstanding('ciso', kikaku.id).expect(200);
    const headed = await outstanding('manager', hisho.id).expect(200);
    expect(headed.body.items.map((item: PersonItem) => item.staff.id)).toEqual([people.secretary.staff.id]);
  });

  it('refuses a manager of another department and plain staff (403), an unknown department (404) and a bad id (400)', async () => {
    for (const [who, id] of [
      ['otherManager', somu.id],
      ['otherManager', hisho.id],
      ['late', somu.id],
      ['planner', kikaku.id],
    ] as const) {
      const read = await outstanding(who, id).expect(403);
      expect(read.body.code).toBe('FORBIDDEN');
      expect((await remind(who, id).expect(403)).body.code).toBe('FORBIDDEN');
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await outstanding('officer', unknown).expect(404)).body.code).toBe('DEPARTMENT_NOT_FOUND');
    expect((await remind('manager', unknown).expect(404)).body.code).toBe('DEPARTMENT_NOT_FOUND');
    const badId = await outstanding('officer', 'not-a-uuid').expect(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect(await reminderRows()).toBe(0);
  });

  it('refuses bad staffIds naming the field, and someone who is not an active member; nothing is sent then', async () => {
    for (const body of [{ staffIds: ['not-a-uuid'] }, { staffIds: 'everyone' }, { staffIds: [] }, { staffIds: [people.late.staff.id], extra: 1 }]) {
      const refused = await remind('manager', somu.id, body).expect(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([Object.keys(body).includes('extra') ? 'extra' : 'staffIds']);
    }
    for (const stranger of [people.planner, people.secretary, people.onLeave]) {
      const refused = await remind('manager', somu.id, { staffIds: [people.late.staff.id, stranger.staff.id] }).expect(400);
      expect(refused.body).toMatchObject({ code: 'REMINDER_NOT_A_MEMBER', errors: [{ field: 'staffIds' }] });
      expect(refused.body.errors[0].messages.join()).toContain(stranger.staff.id);
    }
    expect(await reminderRows()).toBe(0);
    expect(await reminderMessages()).toBe(0);
  });

  it('sends one reminder per person per day, whoever sends it; the mail lists the duties with their links; audited', async () => {
    const first = await remind('manager', somu.id, { staffIds: [people.late.staff.id, people.late.staff.id] }).expect(200);
    expect(first.body).toEqual({ sent: 1, alreadyRemindedToday: 0, nothingOutstanding: 0 });
    // everyone: the manager themselves owes it too; the one who acknowledged owes nothing
    const everyone = await remind('manager', somu.id).expect(200);
    expect(everyone.body).toEqual({ sent: 1, alreadyRemindedToday: 1, nothingOutstanding: 1 });
    // the same day again, and from the security office: nothing more
    expect((await remind('manager', somu.id).expect(200)).body).toEqual({ sent: 0, alreadyRemindedToday: 2, nothingOutstanding: 1 });
    expect((await remind('officer', somu.id, { staffIds: [people.late.staff.id] }).expect(200)).body).toEqual({
      sent: 0,
      alreadyRemindedToday: 1,
      nothingOutstanding: 0,
    });
    expect(await reminderRows()).toBe(2);

    const messages = await t.dataSource.getRepository(OutboxMessage).findBy({ organizationId: org, topic: 'duty.reminder' });
    expect(messages.map((m) => m.dedupeKey).sort()).toEqual([people.late, people.manager].map((p) => `duty-reminder:${p.staff.id}:${today}`).sort());

    const mails = await deliverOutbox(t, { organizationId: org, topic: 'duty.reminder', dispatchedAt: IsNull() });
    expect(mails.map((m) => m.to).sort()).toEqual([people.late.email, people.manager.email].sort());
    const [toLate] = mails.filter((m) => m.to === people.late.email);
    const [duty] = await acknowledgementDuties(t, { staffId: people.late.staff.id });
    expect(toLate!.subject).toBe('【催促】未完了の研修・確認事項があります');
    expect(toLate!.text).toContain('試験 太郎 さん（総務課）から');
    expect(toLate!.text).toContain('・【ポリシーの確認】情報セキュリティ対策基準 第1版（期限: ');
    expect(toLate!.text).toContain('、期限超過）');
    expect(toLate!.text).toContain(`http://localhost:3000/acknowledgements/${duty!.id}`);
    // delivered again, nothing more is sent
    expect(await deliverOutbox(t, { organizationId: org, topic: 'duty.reminder' })).toEqual([]);

    // who reminded whom of what
    const trail = await t.dataSource.getRepository(AuditTrailEntry).findBy({ organizationId: org, action: 'duty_reminder.send' });
    expect(trail).toHaveLength(2);
    const aboutLate = trail.find((entry) => entry.changes.staffId?.after === people.late.staff.id)!;
    expect(aboutLate).toMatchObject({ actorId: people.manager.staff.id, entityType: 'duty_reminder' });
    expect(aboutLate.changes.duties?.after).toEqual([
      { kind: 'policy_acknowledgement', title: '情報セキュリティ対策基準', version: 1, dueOn: addDays(today, -3) },
    ]);

    // the list says who was reminded today
    const after = (await outstanding('officer', somu.id).expect(200)).body;
    expect(itemOf(after, people.late)).toMatchObject({ remindedToday: true, lastRemindedAt: expect.any(String) });
    expect(itemOf(after, people.done)).toMatchObject({ remindedToday: false, lastRemindedAt: null });
  });

  it('sends nothing to someone who has done everything by the time the mail goes out', async () => {
    const reminded = await remind('manager', hisho.id).expect(200);
    expect(reminded.body).toEqual({ sent: 1, alreadyRemindedToday: 0, nothingOutstanding: 0 });
    const [duty] = (await t.get(AcknowledgementsService).mine(actorOf(people.secretary, { mfa: false }))).items;
    await t.get(AcknowledgementsService).acknowledge(actorOf(people.secretary, { mfa: false }), duty!.id);
    expect(await deliverOutbox(t, { organizationId: org, topic: 'duty.reminder', dispatchedAt: IsNull() })).toEqual([]);
  });

  it('shows the page to the manager and refuses it to a manager of another department', async () => {
    const page = (who: keyof typeof people) => ({ Accept: 'text/html', Cookie: `mamori_at=${bearer[who].Authorization.slice(7)}` });
    // a manager of one department goes straight to it
    const landing = await http().get('/department-duties').set(page('otherManager')).expect(303);
    expect(landing.headers.location).toBe(`/department-duties/${kikaku.id}`);
    const shown = await http().get(`/department-duties/${somu.id}`).set(page('manager')).expect(200);
    expect(shown.text).toContain('総務課の未完了');
    expect(shown.text).toContain('本日催促済み');
    await http().get(`/department-duties/${somu.id}`).set(page('otherManager')).expect(403);
    await http().get('/department-duties').set(page('late')).expect(403);
    const list = await http().get('/department-duties').set(page('officer')).expect(200);
    expect(list.text).toContain('秘書係');
  });
});
