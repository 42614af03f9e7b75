import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { PolicyFilesInvalidError } from '../../src/policies/policy-files.js';
import { ResponsePlanVersionsService } from '../../src/response-plan/response-plan-versions.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const RANSOMWARE = `key: ransomware
title: ランサムウェア感染
titleEn: Ransomware
categories: [malware]
summary: 業務端末が暗号化される。
steps:
  - phase: detect
    action: 端末をネットワークから外す
    actionEn: Unplug the PC
    role: staff
    targetMinutes: 5
    report:
      to: 情報政策室（CSIRT）
      what: 端末名と画面の表示
  - phase: contain
    action: 同じセグメントの端末を確認する
    role: csirt
    targetMinutes: 60
  - phase: communicate
    action: 個人情報保護委員会へ速報する
    role: security_officer
    targetMinutes: 4320
`;
const LEAK = `key: personal-data-leak
title: 個人情報の漏えい
categories: [information_leak, mis_sent_mail]
steps:
  - phase: first_response
    action: 誤送信先へ削除を依頼する
    role: staff
    targetMinutes: 30
`;
const CONTACTS = `contacts:
  - key: prefecture
    name: 県 情報政策課
    kind: prefecture
    phone: 000-0000-0001
    outOfHoursPhone: 000-0000-0002
  - key: police
    name: 県警 サイバー犯罪対策課
    kind: police
    phone: 000-0000-0003
`;

/** Issue 12 (first slice): the plan's scenarios and contacts as files, synced and read; triage offers a scenario's steps as tasks. */
describe('the response plan: scenarios and contacts from policies/response-plan/, read by staff; triage takes the playbook as tasks', () => {
  let t: TestApp;
  let org: string;
  let root: string;
  let staff: TestPerson;
  let manager: TestPerson;
  let csirt: TestPerson;
  let ciso: TestPerson;
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
  });
  const write = (name: string, text: string) => writeFileSync(join(root, 'response-plan', name), text);
  const sync = () => t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'plan-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    staff = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: somu.id });
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    for (const person of [staff, manager, csirt]) tokens.set(person, (await signIn(t, person)).accessToken);
    root = mkdtempSync(join(tmpdir(), 'mamori-plan-'));
    mkdirSync(join(root, 'response-plan', 'scenarios'), { recursive: true });
    write('scenarios/ransomware.yaml', RANSOMWARE);
    write('scenarios/personal-data-leak.yaml', LEAK);
    write('contacts.yaml', CONTACTS);
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await t.close();
  });

  it('syncs the files once, then nothing; a changed playbook is a new revision (in force once the plan is approved); a broken file says file:line and writes nothing; a removed one is retired', async () => {
    expect(await sync()).toMatchObject({
      scenarios: { created: 2, revised: 0, unchanged: 0 },
      contacts: { created: 2 },
      plan: { draft: 'opened', version: 1 },
    });
    expect(await sync()).toMatchObject({
      scenarios: { created: 0, revised: 0, unchanged: 2, retired: 0 },
      contacts: { created: 0, updated: 0, unchanged: 2 },
      plan: { draft: 'unchanged', version: 1 },
    });

    write('scenarios/ransomware.yaml', RANSOMWARE.replace('targetMinutes: 60', 'targetMinutes: 30'));
    expect((await sync()).scenarios).toMatchObject({ revised: 1, unchanged: 1 });
    // the new revision waits in the plan's draft: the playbook in force is the first one
    const waiting = (await as(staff).get('/api/v1/scenarios').expect(200)).body.items.find((s: { key: string }) => s.key === 'ransomware');
    expect(waiting).toMatchObject({ revision: 1, latestRevision: 2, categories: ['malware'] });
    expect(waiting.steps.map((s: { targetMinutes: number }) => s.targetMinutes)).toEqual([5, 60, 4320]);
    await t.get(ResponsePlanVersionsService).approve(actorOf(ciso), 1);
    const revised = (await as(staff).get('/api/v1/scenarios').expect(200)).body.items.find((s: { key: string }) => s.key === 'ransomware');
    expect(revised).toMatchObject({ revision: 2, latestRevision: 2, categories: ['malware'] });
    expect(revised.steps.map((s: { order: number; targetMinutes: number }) => [s.order, s.targetMinutes])).toEqual([
      [1, 5],
      [2, 30],
      [3, 4320],
    ]);
    expect(revised.steps[0]).toMatchObject({ phase: 'detect', role: 'staff', report: { to: '情報政策室（CSIRT）', what: '端末名と画面の表示' } });
    // the first revision's steps are kept for what was made from them
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM playbook_steps WHERE organization_id = $1`, [org])) as { n: number }[];
    expect(n).toBe(3 + 3 + 1);

    // a phase going back, a role that does not exist
    write('scenarios/ransomware.yaml', RANSOMWARE.replace('phase: communicate', 'phase: detect').replace('role: csirt', 'role: mayor'));
    const refused = await sync().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PolicyFilesInvalidError);
    const lines = (refused as PolicyFilesInvalidError).errors.map((e) => `${e.file}:${e.line}: ${e.field}`);
    expect(lines).toEqual(
      expect.arrayContaining(['response-plan/scenarios/ransomware.yaml:17: steps[1].role', 'response-plan/scenarios/ransomware.yaml:19: steps[2].phase']),
    );
    expect((await as(staff).get('/api/v1/scenarios').expect(200)).body.items.find((s: { key: string }) => s.key === 'ransomware').revision).toBe(2);

    write('scenarios/ransomware.yaml', RANSOMWARE.replace('targetMinutes: 60', 'targetMinutes: 30'));
    unlinkSync(join(root, 'response-plan', 'scenarios', 'personal-data-leak.yaml'));
    expect((await sync()).scenarios).toMatchObject({ retired: 1, unchanged: 1 });
    expect((await as(staff).get('/api/v1/scenarios').expect(200)).body.items.map((s: { key: string }) => s.key)).toEqual(['ransomware']);
    write('scenarios/personal-data-leak.yaml', LEAK);
    expect((await sync()).scenarios).toMatchObject({ revised: 1 });
  });

  it('takes the town’s own plan in policies/response-plan/ as it is: eight scenarios, each category with one playbook', async () => {
    const other = await testOrganization(t, 'plan-town-real');
    const result = await t.get(ResponsePlanSync).sync(systemActor(other, 'test'));
    expect(result.scenarios).toMatchObject({ created: 8 });
    expect(result.contacts.created).toBeGreaterThanOrEqual(8);
    expect((await t.get(ResponsePlanSync).sync(systemActor(other, 'test'))).scenarios).toMatchObject({ created: 0, revised: 0, unchanged: 8 });
  });

  it('shows the outside contacts to those the plan names, out-of-hours numbers only to the responders', async () => {
    const forCsirt = (await as(csirt).get('/api/v1/response-plan/contacts').expect(200)).body;
    expect(forCsirt.items.map((c: { key: string; outOfHoursPhone: string | null }) => [c.key, c.outOfHoursPhone])).toEqual([
      ['prefecture', '000-0000-0002'],
      ['police', null],
    ]);
    const forManager = (await as(manager).get('/api/v1/response-plan/contacts').expect(200)).body;
    expect(forManager.items.map((c: { outOfHoursPhone: string | null }) => c.outOfHoursPhone)).toEqual([null, null]);
    expect(forManager.items[0].phone).toBe('000-0000-0001');
    await as(staff).get('/api/v1/response-plan/contacts').expect(403);
  });

  it('a triaged incident of a covered category gets the scenario’s steps as tasks, once, due by their target minutes', async () => {
    const reported = (await as(staff).post('/api/v1/incidents').send({ title: '画面に身代金の要求', description: 'ファイルが開けない' }).expect(201)).body;
    await as(csirt)
      .post(`/api/v1/incidents/${reported.id}/transitions`)
      .send({ to: 'triaged', reason: '判定', severity: 'L1', category: 'malware' })
      .expect(200);
    const tasks = (await as(csirt).get(`/api/v1/incidents/${reported.id}/tasks`).expect(200)).body.items as {
      title: string;
      phase: string;
      role: string;
      dueAt: string;
      source: string;
    }[];
    expect(tasks.map((task) => [task.title, task.phase, task.role, task.source])).toEqual([
      ['端末をネットワークから外す', 'detect', 'staff', 'playbook'],
      ['同じセグメントの端末を確認する', 'contain', 'csirt', 'playbook'],
      ['個人情報保護委員会へ速報する', 'communicate', 'security_officer', 'playbook'],
    ]);
    const [{ reported_at }] = (await t.dataSource.query(`SELECT reported_at FROM incidents WHERE id = $1`, [reported.id])) as { reported_at: Date }[];
    expect(new Date(tasks[1]!.dueAt).getTime() - reported_at.getTime()).toBe(30 * 60_000);
    const timeline = (await as(csirt).get(`/api/v1/incidents/${reported.id}/timeline`).expect(200)).body.items as { kind: string }[];
    expect(timeline.filter((entry) => entry.kind === 'task')).toHaveLength(3);

    // reopened and triaged again in the same category: nothing twice
    for (const to of ['contained', 'eradicated', 'recovered', 'closed'])
      await as(csirt).post(`/api/v1/incidents/${reported.id}/transitions`).send({ to, reason: to });
    await as(csirt).post(`/api/v1/incidents/${reported.id}/transitions`).send({ to: 'reopened', reason: '再発' });
    await as(csirt)
      .post(`/api/v1/incidents/${reported.id}/transitions`)
      .send({ to: 'triaged', reason: '再判定', severity: 'L1', category: 'malware' })
      .expect(200);
    expect((await as(csirt).get(`/api/v1/incidents/${reported.id}/tasks`).expect(200)).body.items).toHaveLength(3);

    // a category no scenario covers: no tasks
    const other = (await as(staff).post('/api/v1/incidents').send({ title: '不審な電話', description: '名乗らない' }).expect(201)).body;
    await as(csirt).post(`/api/v1/incidents/${other.id}/transitions`).send({ to: 'triaged', reason: '判定', severity: 'L1', category: 'other' }).expect(200);
    expect((await as(csirt).get(`/api/v1/incidents/${other.id}/tasks`).expect(200)).body.items).toHaveLength(0);
  });
});
