import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import type { Role } from '../../src/common/roles.js';
import { fiscalYearOf, formatDate } from '../../src/common/dates.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { CarriedOverFindingsService } from '../../src/findings/carried-over-findings.service.js';
import type { CorrectiveActionReminderRule } from '../../src/findings/corrective-action-reminder.entity.js';
import { CorrectiveActionRemindersService } from '../../src/findings/corrective-action-reminders.service.js';
import type { Finding } from '../../src/findings/finding.entity.js';
import { FindingsService } from '../../src/findings/findings.service.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const NONE: Record<CorrectiveActionReminderRule, number> = { due_in_30_days: 0, due_in_7_days: 0, due_in_1_day: 0, overdue: 0 };

/** Issue 11: corrective actions chased 30, 7 and 1 days before their due date and once overdue, each rule once; findings carried into the next fiscal year. */
describe('corrective-action reminders through the daily job, and findings carried over into a new fiscal year', () => {
  let t: TestApp;
  const today = tokyoToday();
  const fy = fiscalYearOf(today);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('fires each rule once per action and due date, to the assignee, and when overdue to the department head and the security office, in their language', async () => {
    const org = await testOrganization(t, 'action-reminders-town');
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    const person = (roles: Role[], department: Department) => createPerson(t, org, { roles, departmentId: department.id });
    const head = await createPerson(t, org, { roles: ['staff'] });
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課', headId: head.staff.id });
    await t.dataSource.getRepository(Staff).update({ id: head.staff.id }, { departmentId: somu.id });
    const people = {
      head,
      manager: await person(['manager'], somu),
      officer: await person(['security_officer'], joho),
      ciso: await person(['ciso'], joho),
      kikakuManager: await person(['manager'], kikaku),
      alice: await person(['staff'], somu),
      bob: await person(['staff'], somu),
      carol: await person(['staff'], somu),
    };
    await t.dataSource.getRepository(Staff).update({ id: people.bob.staff.id }, { locale: 'en' });
    await t.dataSource.getRepository(Staff).update({ id: people.officer.staff.id }, { locale: 'en' });
    const name = new Map(Object.entries(people).map(([who, p]) => [p.email, who]));

    const findings = t.get(FindingsService);
    const officer = actorOf(people.officer);
    const plan = (description: string, who: TestPerson, offset: number) => ({ description, assigneeId: who.staff.id, dueDate: addDays(today, offset) });
    const { finding, actions } = await findings.create(officer, {
      title: '委託先の作業場所が確認されていない',
      severity: 'high',
      ownerDepartmentId: somu.id,
      controlIds: [],
      actions: [
        plan('委託契約に作業場所の条項を加える', people.alice, 30),
        plan('作業場所を実地に確認する', people.alice, 7),
        plan('Brief the contractor on the new clause', people.bob, 1),
        plan('作業記録を提出させる', people.alice, -3),
        plan('委託先一覧を更新する', people.carol, 7),
        plan('媒体の持出し手順を定める', people.carol, 1),
      ],
    });
    const [in30, in7, in1, late, finished, reopened] = actions;
    // one is done before the job runs: it is not chased
    await findings.reportDone(actorOf(people.carol), finished!.id, { status: 'done', note: '更新した' });

    const job = t.get(CorrectiveActionRemindersService);
    const firstRun = await job.remind(today);
    expect(firstRun.fired).toEqual({ due_in_30_days: 1, due_in_7_days: 1, due_in_1_day: 2, overdue: 1 });
    // the job run twice (the same day, or by the scheduler at its hour) sends nothing more
    expect((await job.remind(today)).fired).toEqual(NONE);
    expect((await job.run(new Date())).fired).toEqual(NONE);

    const rows = (await t.dataSource.query(
      `SELECT corrective_action_id AS id, rule, due_date::text AS due FROM corrective_action_reminders WHERE organization_id = $1 ORDER BY rule`,
      [org],
    )) as { id: string; rule: string; due: string }[];
    const ruleOf = new Map(rows.map((row) => [row.id, row.rule]));
    expect(rows).toHaveLength(5);
    expect(ruleOf.get(in30!.id)).toBe('due_in_30_days');
    // 7 days away: the 7-day rule, not the 30-day one that never ran for it
    expect(ruleOf.get(in7!.id)).toBe('due_in_7_days');
    expect(ruleOf.get(in1!.id)).toBe('due_in_1_day');
    expect(ruleOf.get(reopened!.id)).toBe('due_in_1_day');
    expect(ruleOf.get(late!.id)).toBe('overdue');
    expect(ruleOf.has(finished!.id)).toBe(false);

    const mails = await deliverOutbox(t, { organizationId: org, topic: 'findings.corrective_action_reminder' });
    const to = (who: keyof typeof people) => mails.filter((mail) => mail.to === people[who].email);
    expect(mails.map((mail) => name.get(mail.to)).sort()).toEqual(['alice', 'alice', 'alice', 'bob', 'carol', 'head', 'manager', 'officer'].sort());
    expect(to('ciso')).toEqual([]);
    expect(to('kikakuManager')).toEqual([]);

    const alice = to('alice').map((mail) => mail.subject);
    expect(alice).toEqual(
      expect.arrayContaining([
        `【是正措置の期限まであと30日】${finding.reference} ${finding.title}`,
        `【是正措置の期限まであと7日】${finding.reference} ${finding.title}`,
        `【是正措置の期限を過ぎています】${finding.reference} ${finding.title}`,
      ]),
    );
    const in30Mail = to('alice').find((mail) => mail.subject.includes('あと30日'))!;
    expect(in30Mail.text).toContain(`期限は${formatDate(addDays(today, 30), 'ja')}です`);
    expect(in30Mail.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(in30Mail.text).toContain(`/findings/${finding.id}`);
    // in English for those who read English
    const [bob] = to('bob');
    expect(bob!.subject).toBe(`[Mamori] Corrective action due tomorrow: ${finding.reference}`);
    expect(bob!.text).toContain(formatDate(addDays(today, 1), 'en'));
    // overdue: the department's head (by departments.head_id) and manager, and the security office, told to see it done
    const [headMail] = to('head');
    expect(headMail!.subject).toBe(`【是正措置の期限を過ぎています】${finding.reference} ${finding.title}`);
    expect(headMail!.text).toContain('3日過ぎています');
    expect(headMail!.text).toContain('担当者に確認してください');
    expect(to('manager')[0]!.subject).toBe(headMail!.subject);
    expect(to('officer')[0]!.subject).toBe(`[Mamori] Corrective action overdue: ${finding.reference}`);
    expect(to('officer')[0]!.text).toContain('3 days overdue');

    // delivered again: nothing more
    expect(await deliverOutbox(t, { organizationId: org, topic: 'findings.corrective_action_reminder' })).toEqual([]);

    // reopened with a new due date: chased again from the start; the old due date's rules do not fire twice
    await findings.reportDone(actorOf(people.carol), reopened!.id, { status: 'done', note: '定めた' });
    await findings.verify(officer, reopened!.id, { verified: false, note: '手順に記録媒体の廃棄が抜けている', dueDate: addDays(today, 20) });
    expect((await job.remind(today)).fired).toEqual({ ...NONE, due_in_30_days: 1 });
    // 25 days on (the job did not run meanwhile): the 7-day rule for the 30-day action, overdue for the others still open; nothing twice
    const later = await job.remind(addDays(today, 25));
    expect(later.fired).toEqual({ ...NONE, due_in_7_days: 1, overdue: 3 });
    expect((await job.remind(addDays(today, 26))).fired).toEqual(NONE);
    const overdue = (await t.dataSource.query(
      `SELECT corrective_action_id AS id FROM corrective_action_reminders WHERE organization_id = $1 AND rule = 'overdue' AND sent_on = $2`,
      [org, addDays(today, 25)],
    )) as { id: string }[];
    expect(overdue.map((row) => row.id).sort()).toEqual([in7!.id, in1!.id, reopened!.id].sort());
    const carolMails = (await deliverOutbox(t, { organizationId: org, topic: 'findings.corrective_action_reminder' })).filter(
      (mail) => mail.to === people.carol.email,
    );
    expect(carolMails.map((mail) => mail.subject)).toEqual([
      `【是正措置の期限まであと20日】${finding.reference} ${finding.title}`,
      `【是正措置の期限を過ぎています】${finding.reference} ${finding.title}`,
    ]);

    // an outbox message per action and rule; one audit row per run that fired, as the system
    const messages = await t.dataSource.getRepository(OutboxMessage).countBy({ organizationId: org, topic: 'findings.corrective_action_reminder' });
    expect(messages).toBe(5 + 1 + 4);
    const trail = await t.dataSource
      .getRepository(AuditTrailEntry)
      .find({ where: { organizationId: org, action: 'corrective_action.reminders_sent' }, order: { occurredAt: 'ASC' } });
    expect(trail).toHaveLength(3);
    expect(trail.every((entry) => entry.actorId === null)).toBe(true);
    expect(trail[0]!.changes['@context']?.after).toEqual({ today, due_in_30_days: 1, due_in_7_days: 1, due_in_1_day: 2, overdue: 1 });
  });

  it('lists the findings of earlier fiscal years not verified before this one began, with their open actions, oldest first, in the reader’s scope', async () => {
    const org = await testOrganization(t, 'carried-over-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    const officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    const manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    const staff = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    const findings = t.get(FindingsService);
    const raise = (title: string, department: Department, raisedOn: string, ...dues: string[]) =>
      t
        .get(UnitOfWork)
        .run(actorOf(officer), (tx) =>
          findings.raise(
            tx,
            { source: 'manual', sourceId: null, raisedOn },
            {
              title,
              severity: 'medium',
              ownerDepartmentId: department.id,
              controlIds: [],
              actions: dues.map((dueDate, i) => ({ description: `${title}の是正 ${i + 1}`, assigneeId: staff.staff.id, dueDate })),
            },
          ),
        )
        .then(async (raised) => {
          // planned on the day it was raised
          await t.dataSource.query(`UPDATE corrective_actions SET created_at = $2 WHERE finding_id = $1`, [raised.finding.id, `${raisedOn}T09:00:00+09:00`]);
          return raised;
        });
    /** verified at a moment: the actions, and the finding too when `finding` */
    const verifiedAt = async (actionIds: string[], at: string, finding?: Finding) => {
      await t.dataSource.query(`UPDATE corrective_actions SET status = 'verified', done_at = $2, verified_at = $2 WHERE id = ANY($1::uuid[])`, [actionIds, at]);
      if (finding) await t.dataSource.query(`UPDATE findings SET status = 'verified', verified_at = $2 WHERE id = $1`, [finding.id, at]);
    };
    const older = await raise('二年前の指摘', somu, `${fy - 2}-10-01`, `${fy - 1}-03-31`);
    const open = await raise('昨年度の未完了の指摘', somu, `${fy - 1}-06-01`, `${fy - 1}-09-30`, `${fy - 1}-12-31`);
    const closedLastYear = await raise('昨年度中に確認された指摘', somu, `${fy - 1}-06-02`, `${fy - 1}-09-30`);
    const closedThisYear = await raise('今年度に入って確認された指摘', kikaku, `${fy - 1}-06-03`, `${fy - 1}-09-30`);
    const thisYear = await raise('今年度の指摘', somu, `${fy}-04-10`, `${fy}-12-31`);
    await verifiedAt([closedLastYear.actions[0]!.id], `${fy}-03-31T23:59:59+09:00`, closedLastYear.finding);
    await verifiedAt([closedThisYear.actions[0]!.id], `${fy}-04-01T00:00:00+09:00`, closedThisYear.finding);
    // of a finding still open, an action verified last year is not carried over; the one still open is
    await verifiedAt([open.actions[0]!.id], `${fy - 1}-10-15T10:00:00+09:00`);
    // an action planned this year on last year's finding was not open when the year began: not carried over
    await findings.planAction(actorOf(officer), open.finding.id, { description: '今年度に追加した是正', assigneeId: staff.staff.id, dueDate: `${fy}-12-31` });

    const carried = t.get(CarriedOverFindingsService);
    const all = await carried.list(actorOf(officer), { fiscalYear: fy });
    expect(all.fiscalYear).toBe(fy);
    expect(all.items.map((item) => item.finding.title)).toEqual(['二年前の指摘', '昨年度の未完了の指摘', '今年度に入って確認された指摘']);
    expect(all.total).toBe(3);
    expect(all.items[1]!.actions.map((a) => a.id)).toEqual([open.actions[1]!.id]);
    // verified after the year began: listed with the action that was then still open
    expect(all.items[2]!.actions.map((a) => a.id)).toEqual([closedThisYear.actions[0]!.id]);
    expect(all.items.some((item) => item.finding.id === closedLastYear.finding.id || item.finding.id === thisYear.finding.id)).toBe(false);
    // the current fiscal year by default; paged
    expect((await carried.list(actorOf(officer))).total).toBe(3);
    const second = await carried.list(actorOf(officer), { fiscalYear: fy, page: 2, pageSize: 1 });
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(second.items.map((item) => item.finding.id)).toEqual([open.finding.id]);
    // into last year: only what is older than last year
    expect((await carried.list(actorOf(officer), { fiscalYear: fy - 1 })).items.map((item) => item.finding.id)).toEqual([older.finding.id]);

    // over HTTP: a manager sees their department's only; staff may not read findings
    const token = (await signIn(t, manager)).accessToken;
    const mine = await request(t.http).get(`/api/v1/findings/carried-over?fiscalYear=${fy}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(mine.body).toMatchObject({ fiscalYear: fy, total: 2, page: 1, pageSize: 50 });
    expect((mine.body.items as { id: string; actions: { id: string }[] }[]).map((item) => item.id)).toEqual([older.finding.id, open.finding.id]);
    expect(mine.body.items[1].actions.map((a: { id: string }) => a.id)).toEqual([open.actions[1]!.id]);
    const byDefault = await request(t.http).get('/api/v1/findings/carried-over').set('Authorization', `Bearer ${token}`).expect(200);
    expect(byDefault.body).toMatchObject({ fiscalYear: fy, total: 2 });
    await request(t.http).get('/api/v1/findings/carried-over?fiscalYear=19').set('Authorization', `Bearer ${token}`).expect(400);
    const staffToken = (await signIn(t, staff)).accessToken;
    await request(t.http).get('/api/v1/findings/carried-over').set('Authorization', `Bearer ${staffToken}`).expect(403);
    expect([...new Set(t.contract.violations)]).toEqual([]);
  });
});
