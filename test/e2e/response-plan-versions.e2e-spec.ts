import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, addMonths, tokyoToday } from '../../src/common/calendar.js';
import { AppException } from '../../src/common/errors/app.exception.js';
import { DomainEventBus } from '../../src/common/events/domain-events.js';
import { formatDate } from '../../src/common/dates.js';
import { ResponsePlanPagesService } from '../../src/web/response-plan/response-plan-pages.service.js';
import { ResponsePlanVersionsService } from '../../src/response-plan/response-plan-versions.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { actorOf, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PLAN = `---
id: response-plan
kind: response_plan
title: 緊急時対応計画
owner: ciso
reviewIntervalMonths: 6
classification: internal
---

# 緊急時対応計画

## 第1 目的
被害を最小限にとどめる。
`;

const RANSOMWARE = `key: ransomware
title: ランサムウェア感染
categories: [malware]
steps:
  - phase: detect
    action: 端末をネットワークから外す
    role: staff
    targetMinutes: 5
  - phase: first_response
    action: CSIRTへ連絡する
    role: staff
    targetMinutes: 15
  - phase: contain
    action: 同じセグメントの端末を確認する
    role: csirt
    targetMinutes: 60
  - phase: communicate
    action: 個人情報保護委員会へ速報する
    role: security_officer
    targetMinutes: 4320
  - phase: recover
    action: バックアップから復旧する
    role: csirt
    targetMinutes: 10080
  - phase: prevent_recurrence
    action: 再発防止策をまとめる
    role: security_officer
    targetMinutes: 43200
`;

type Step = { phase: string; action: string; role: string; targetMinutes: number };
const STEPS: Step[] = [
  { phase: 'detect', action: '端末をネットワークから外す', role: 'staff', targetMinutes: 5 },
  { phase: 'first_response', action: 'CSIRTへ電話で連絡する', role: 'staff', targetMinutes: 10 },
  { phase: 'contain', action: '同じセグメントの端末を確認する', role: 'csirt', targetMinutes: 30 },
  { phase: 'communicate', action: '個人情報保護委員会へ速報する', role: 'security_officer', targetMinutes: 4320 },
  { phase: 'recover', action: 'バックアップから復旧する', role: 'csirt', targetMinutes: 10080 },
  { phase: 'prevent_recurrence', action: '再発防止策をまとめる', role: 'security_officer', targetMinutes: 43200 },
];

/** Issue 12: the plan as records — versions approved by the CISO with the second factor, edits in the app, proposals from drills, the review interval. */
describe('the response plan’s versions: a draft from the files or the app, the CISO’s approval puts the scenario revisions in force', () => {
  let t: TestApp;
  let org: string;
  let root: string;
  let scenarioId: string;
  let drillId: string;
  let officer: TestPerson;
  let ciso: TestPerson;
  let officerCiso: TestPerson;
  let staff: TestPerson;
  let facilitator: TestPerson;
  let manager: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const as = (person: TestPerson) => {
    const auth = (test: request.Test) => test.set('Authorization', `Bearer ${tokens.get(person)}`);
    return {
      get: (url: string) => auth(request(t.http).get(url)),
      post: (url: string) => auth(request(t.http).post(url)),
      put: (url: string) => auth(request(t.http).put(url)),
    };
  };
  const CSRF = 'c'.repeat(43);
  const cookie = (person: TestPerson) => ({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const page = (person: TestPerson, path: string) => request(t.http).get(path).set(cookie(person));
  const form = (person: TestPerson, path: string, fields: Record<string, string>) =>
    request(t.http)
      .post(path)
      .set(cookie(person))
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const write = (name: string, text: string) => writeFileSync(join(root, 'response-plan', name), text);
  const sync = () => t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });
  const scenario = async () => (await as(staff).get(`/api/v1/scenarios/${scenarioId}`).expect(200)).body;
  const stepCount = async (): Promise<number> =>
    ((await t.dataSource.query(`SELECT count(*)::int AS n FROM playbook_steps WHERE scenario_id = $1`, [scenarioId])) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'plan-versions-town');
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    officerCiso = await createPerson(t, org, { roles: ['security_officer', 'ciso'] });
    staff = await createPerson(t, org, { roles: ['staff'] });
    facilitator = await createPerson(t, org, { roles: ['staff'] });
    manager = await createPerson(t, org, { roles: ['manager'] });
    for (const person of [officer, ciso, officerCiso, staff, facilitator, manager]) tokens.set(person, (await signIn(t, person)).accessToken);
    root = mkdtempSync(join(tmpdir(), 'mamori-plan-versions-'));
    mkdirSync(join(root, 'response-plan', 'scenarios'), { recursive: true });
    write('plan.md', PLAN);
    write('scenarios/ransomware.yaml', RANSOMWARE);
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await t.close();
  });

  it('the first sync opens version 1 as a draft (plan.md’s text, every scenario’s revision); the playbooks work before any approval', async () => {
    expect((await sync()).plan).toEqual({ draft: 'opened', version: 1 });
    expect((await sync()).plan).toEqual({ draft: 'unchanged', version: 1 });
    [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1`, [org])) as { id: string }[];
    expect(await scenario()).toMatchObject({ revision: 1, latestRevision: 1 });
    expect((await scenario()).steps).toHaveLength(6);

    expect((await as(staff).get('/api/v1/response-plan').expect(200)).body).toEqual({ inForce: null, draftWaiting: true, draftVersion: null });
    expect((await as(officer).get('/api/v1/response-plan').expect(200)).body).toMatchObject({ inForce: null, draftWaiting: true, draftVersion: 1 });
    // a draft is for the office and the CISO only
    expect((await as(staff).get('/api/v1/response-plan/versions').expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await as(staff).get('/api/v1/response-plan/versions/1').expect(404)).body.code).toBe('RESPONSE_PLAN_VERSION_NOT_FOUND');
    const draft = (await as(ciso).get('/api/v1/response-plan/versions/1').expect(200)).body;
    expect(draft).toMatchObject({
      version: 1,
      status: 'draft',
      draftedBy: null,
      diffAgainst: null,
      scenarioRevisions: { [scenarioId]: 1 },
      frontMatter: { reviewIntervalMonths: 6 },
    });
    expect(draft.body).toContain('被害を最小限にとどめる。');
    expect(draft.body).not.toContain('reviewIntervalMonths');
  });

  it('only the CISO approves, and only with the second factor; approval records the review due one interval on', async () => {
    const refused = await t
      .get(ResponsePlanVersionsService)
      .approve(actorOf(ciso, { mfa: false }), 1)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(AppException);
    expect((refused as AppException).code).toBe('PLAN_APPROVAL_REQUIRES_SECOND_FACTOR');
    expect((refused as AppException).status).toBe(403);
    await as(officer).post('/api/v1/response-plan/versions/1/approve').expect(403);
    await as(staff).post('/api/v1/response-plan/versions/1/approve').expect(403);
    expect((await as(officer).get('/api/v1/response-plan/versions/1').expect(200)).body.status).toBe('draft');

    const approved = (await as(ciso).post('/api/v1/response-plan/versions/1/approve').expect(200)).body;
    const due = addMonths(tokyoToday(), 6);
    expect(approved).toMatchObject({ version: { version: 1, status: 'approved', approvedBy: { id: ciso.staff.id } }, superseded: [], nextReviewDue: due });
    const plan = (await as(staff).get('/api/v1/response-plan').expect(200)).body;
    expect(plan).toMatchObject({
      inForce: { version: 1, approvedBy: { id: ciso.staff.id, name: '試験 太郎' }, nextReviewDue: due, reviewedWithinInterval: true },
      draftWaiting: false,
      draftVersion: null,
    });
    expect(plan.inForce.body).toContain('被害を最小限にとどめる。');
    expect((await as(staff).get('/api/v1/response-plan/versions').expect(200)).body.total).toBe(1);
    const again = await as(ciso).post('/api/v1/response-plan/versions/1/approve').expect(409);
    expect(again.body).toMatchObject({ code: 'RESPONSE_PLAN_VERSION_NOT_DRAFT', versionStatus: 'approved' });
    const actions = (await t.dataSource.query(
      `SELECT action FROM audit_trail WHERE organization_id = $1 AND entity_type IN ('response_plan_version', 'scenario') ORDER BY occurred_at, seq`,
      [org],
    )) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(['scenario.create', 'response_plan_version.create', 'response_plan_version.approve']);
  });

  it('a changed scenario file is a draft revision, not in force until the CISO approves the plan; a changed plan.md joins the same draft', async () => {
    write('scenarios/ransomware.yaml', RANSOMWARE.replace('targetMinutes: 60', 'targetMinutes: 30'));
    expect(await sync()).toMatchObject({ scenarios: { revised: 1 }, plan: { draft: 'opened', version: 2 } });
    expect((await sync()).plan).toEqual({ draft: 'unchanged', version: 2 });
    const waiting = await scenario();
    expect(waiting).toMatchObject({ revision: 1, latestRevision: 2 });
    expect(waiting.steps[2].targetMinutes).toBe(60);

    write('plan.md', PLAN.replace('被害を最小限にとどめる。', '被害を最小限にとどめ、町民サービスを早く再開する。'));
    expect((await sync()).plan).toEqual({ draft: 'updated', version: 2 });
    const draft = (await as(officer).get('/api/v1/response-plan/versions/2').expect(200)).body;
    expect(draft).toMatchObject({ status: 'draft', diffAgainst: 1, scenarioRevisions: { [scenarioId]: 2 } });
    expect(draft.diff).toContain('-被害を最小限にとどめる。');
    expect(draft.diff).toContain('+被害を最小限にとどめ、町民サービスを早く再開する。');
    expect(draft.scenarioChanges).toEqual([
      {
        scenarioId,
        key: 'ransomware',
        title: 'ランサムウェア感染',
        fromRevision: 1,
        toRevision: 2,
        steps: [
          {
            position: 3,
            change: 'changed',
            before: { phase: 'contain', action: '同じセグメントの端末を確認する', role: 'csirt', targetMinutes: 60 },
            after: { phase: 'contain', action: '同じセグメントの端末を確認する', role: 'csirt', targetMinutes: 30 },
          },
        ],
      },
    ]);
    expect((await as(staff).get('/api/v1/response-plan').expect(200)).body).toMatchObject({ inForce: { version: 1 }, draftWaiting: true });

    const events: { version: number; scenarioRevisions: Record<string, number>; superseded: number[]; inForce: number }[] = [];
    const unsubscribe = t.get(DomainEventBus).subscribe('response_plan.approved', async (event, tx) => {
      // in the approval's transaction: the scenario is already in force at the revision named
      const [{ revision }] = (await tx.manager.query(`SELECT revision FROM response_scenarios WHERE id = $1`, [scenarioId])) as { revision: number }[];
      events.push({ version: event.version, scenarioRevisions: event.scenarioRevisions, superseded: event.superseded, inForce: revision });
    });
    const approved = await as(ciso)
      .post('/api/v1/response-plan/versions/2/approve')
      .expect(200)
      .then((res) => res.body)
      .finally(unsubscribe);
    expect(approved).toMatchObject({ superseded: [1], scenariosPutInForce: [scenarioId] });
    expect(events).toEqual([{ version: 2, scenarioRevisions: { [scenarioId]: 2 }, superseded: [1], inForce: 2 }]);
    const putInForce = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1 AND entity_id = $2 AND action = 'scenario.put_in_force'`,
      [org, scenarioId],
    )) as { n: number }[];
    expect(putInForce[0]!.n).toBe(1);
    const inForce = await scenario();
    expect(inForce).toMatchObject({ revision: 2, latestRevision: 2 });
    expect(inForce.steps[2].targetMinutes).toBe(30);
    expect((await as(officer).get('/api/v1/response-plan/versions/1').expect(200)).body.status).toBe('superseded');
    expect((await as(staff).get('/api/v1/response-plan').expect(200)).body.inForce.body).toContain('町民サービスを早く再開する。');
    expect((await sync()).plan).toEqual({ draft: 'unchanged', version: null });
  });

  it('a playbook edited in the app is checked like the files (400 naming steps.N.field, nothing written), then is a draft revision', async () => {
    const before = await stepCount();
    const put = (steps: unknown, person = officer) => as(person).put(`/api/v1/scenarios/${scenarioId}/draft`).send({ steps, changeNote: '訓練の結果' });
    const role = await put(STEPS.map((s, i) => (i === 3 ? { ...s, role: 'mayor' } : s))).expect(400);
    expect(role.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(role.body.errors.map((e: { field: string }) => e.field)).toEqual(['steps.3.role']);
    const earlier = await put(STEPS.map((s, i) => (i === 2 ? { ...s, targetMinutes: 3 } : s))).expect(400);
    expect(earlier.body.errors.map((e: { field: string }) => e.field)).toEqual(['steps.2.targetMinutes']);
    const back = await put(STEPS.map((s, i) => (i === 4 ? { ...s, phase: 'detect' } : s))).expect(400);
    expect(back.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['steps.4.phase']));
    const missing = await put(STEPS.slice(0, 5)).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'steps', messages: ['every phase needs a step; missing: prevent_recurrence'] }]);
    await put(STEPS, staff).expect(403);
    expect(await stepCount()).toBe(before);
    expect((await as(officer).get('/api/v1/response-plan').expect(200)).body.draftWaiting).toBe(false);

    // the playbook as it stands changes nothing
    const revision2 = STEPS.map((s, i) => (i === 1 ? { ...s, action: 'CSIRTへ連絡する', targetMinutes: 15 } : s));
    expect((await put(revision2).expect(409)).body).toMatchObject({ code: 'RESPONSE_PLAN_TEXT_UNCHANGED', errors: [{ field: 'steps' }] });
    const draft = (await put(STEPS).expect(200)).body;
    expect(draft).toMatchObject({
      version: 3,
      status: 'draft',
      draftedBy: { id: officer.staff.id },
      changeNote: '訓練の結果',
      scenarioRevisions: { [scenarioId]: 3 },
    });
    expect(draft.scenarioChanges[0].steps.map((s: { position: number }) => s.position)).toEqual([2]);
    expect(await scenario()).toMatchObject({ revision: 2, latestRevision: 3 });

    // the text too, into the same draft
    await as(staff).put('/api/v1/response-plan/draft').send({ body: '# 計画', changeNote: 'x' }).expect(403);
    const same = await as(officer).put('/api/v1/response-plan/draft').send({ body: draft.body, changeNote: '同じ' }).expect(409);
    expect(same.body.code).toBe('RESPONSE_PLAN_TEXT_UNCHANGED');
    const text = (
      await as(officer)
        .put('/api/v1/response-plan/draft')
        .send({ body: `${draft.body}\n## 第2 対象\n全ての課。\n`, changeNote: '対象を追加' })
        .expect(200)
    ).body;
    expect(text).toMatchObject({ version: 3, changeNote: '訓練の結果\n対象を追加' });
    expect(text.diff).toContain('+## 第2 対象');
  });

  it('a proposal from a drill (its facilitator or the office) enters the draft at once as a new revision of the scenario', async () => {
    drillId = (
      await as(officer)
        .post('/api/v1/drills')
        .send({
          scenarioId,
          kind: 'tabletop',
          title: 'ランサムウェア机上訓練',
          startsAt: `${addDays(tokyoToday(), 1)}T10:00:00`, // tomorrow: started from the day before
          endsAt: `${addDays(tokyoToday(), 1)}T11:30:00`,
          facilitatorId: facilitator.staff.id,
          invitees: { roles: ['manager'] },
        })
        .expect(201)
    ).body.id as string;
    const proposal = { position: 1, targetMinutes: 3, action: '端末のLANケーブルを抜く', reason: '訓練では5分かかりすぎた' };
    await as(manager).post(`/api/v1/drills/${drillId}/proposals`).send(proposal).expect(403); // invited, but not the facilitator
    await as(staff).post(`/api/v1/drills/${drillId}/proposals`).send(proposal).expect(404); // not invited
    // a proposal comes from a drill that runs or was held
    const early = await as(facilitator).post(`/api/v1/drills/${drillId}/proposals`).send(proposal).expect(409);
    expect(early.body).toMatchObject({ code: 'DRILL_NOT_RUNNING', drillStatus: 'scheduled' });
    await as(facilitator).post(`/api/v1/drills/${drillId}/start`).expect(200);
    await as(facilitator)
      .post(`/api/v1/drills/${drillId}/proposals`)
      .send({ position: 9, targetMinutes: 3, reason: '-' })
      .expect(400)
      .expect((res) => expect(res.body.code).toBe('DRILL_PROPOSAL_STEP_NOT_FOUND'));
    const late = await as(facilitator).post(`/api/v1/drills/${drillId}/proposals`).send({ position: 1, targetMinutes: 20, reason: '-' }).expect(400);
    expect(late.body.errors.map((e: { field: string }) => e.field)).toEqual(['targetMinutes']);

    const made = (await as(facilitator).post(`/api/v1/drills/${drillId}/proposals`).send(proposal).expect(201)).body;
    expect(made).toMatchObject({
      drillId,
      scenarioId,
      position: 1,
      targetMinutes: 3,
      planVersion: 3,
      scenarioRevision: 4,
      proposedBy: { id: facilitator.staff.id },
    });
    expect((await as(manager).get(`/api/v1/drills/${drillId}/proposals`).expect(200)).body).toMatchObject({ total: 1, items: [{ id: made.id }] });
    const draft = (await as(officer).get('/api/v1/response-plan/versions/3').expect(200)).body;
    expect(draft.scenarioRevisions).toEqual({ [scenarioId]: 4 });
    expect(draft.changeNote).toContain('訓練「ランサムウェア机上訓練」からの提案（手順1）: 訓練では5分かかりすぎた');
    // the app's edit and the proposal add up in the draft revision
    const steps = draft.scenarioChanges[0].steps as { position: number; after: Step }[];
    expect(steps.map((s) => [s.position, s.after.targetMinutes, s.after.action])).toEqual([
      [1, 3, '端末のLANケーブルを抜く'],
      [2, 10, 'CSIRTへ電話で連絡する'],
    ]);
    expect(await scenario()).toMatchObject({ revision: 2, latestRevision: 4 });
    // the scenario's page tells the office that a revision waits; staff read the playbook in force
    const waiting = 'この対応手順の改訂（改訂4）が承認待ちです。';
    expect(words((await page(officer, `/response-plan/scenarios/${scenarioId}`).expect(200)).text)).toContain(waiting);
    const forStaff = words((await page(staff, `/response-plan/scenarios/${scenarioId}`).expect(200)).text);
    expect(forStaff).not.toContain(waiting);
    expect(forStaff).toContain('CSIRTへ連絡する');
  });

  it('nobody approves a draft they opened; another CISO does, and the edited playbook comes into force', async () => {
    // the officer opened draft 3: the officer-CISO opens none of it, approves it
    await as(officerCiso).post('/api/v1/response-plan/versions/3/approve').expect(200);
    expect((await scenario()).steps.map((s: Step) => s.targetMinutes)).toEqual([3, 10, 30, 4320, 10080, 43200]);
    // the officer opens draft 4, the officer-CISO writes into it: they approve no draft holding their own change
    await as(officer).put('/api/v1/response-plan/draft').send({ body: '# 緊急時対応計画（改）\n', changeNote: '全面改訂' }).expect(200);
    await as(officerCiso).put('/api/v1/response-plan/draft').send({ body: '# 緊急時対応計画（改2）\n', changeNote: '全面改訂' }).expect(200);
    const own = await as(officerCiso).post('/api/v1/response-plan/versions/4/approve').expect(403);
    expect(own.body.code).toBe('RESPONSE_PLAN_OWN_DRAFT');
    await as(ciso).post('/api/v1/response-plan/versions/4/approve').expect(200);
    expect((await as(staff).get('/api/v1/response-plan').expect(200)).body.inForce).toMatchObject({ version: 4, approvedBy: { id: ciso.staff.id } });
  });

  it('says whether the plan is reviewed within its interval, today and for a fiscal year', async () => {
    const service = t.get(ResponsePlanVersionsService);
    expect(await service.planStatus(org)).toMatchObject({ approved: true, version: 4, reviewedWithinInterval: true });
    expect(await service.planStatus(org, 2021)).toMatchObject({ approved: false, version: null, reviewedWithinInterval: false });

    await t.dataSource.query(`UPDATE response_plan_versions SET next_review_due = $2 WHERE organization_id = $1 AND version = 4`, [
      org,
      addDays(tokyoToday(), -1),
    ]);
    expect((await as(staff).get('/api/v1/response-plan').expect(200)).body.inForce).toMatchObject({ version: 4, reviewedWithinInterval: false });
    expect(await service.planStatus(actorOf(staff))).toMatchObject({ approved: true, reviewedWithinInterval: false });

    // what a seed does for "approved in FY2021": version 1 approved on 1 March 2022, reviewed by 1 March 2023
    await t.dataSource.query(
      `UPDATE response_plan_versions SET approved_at = '2022-03-01T01:00:00Z', next_review_due = '2023-03-01' WHERE organization_id = $1 AND version = 1`,
      [org],
    );
    const fy2021 = await service.planStatus(org, 2021);
    expect(fy2021).toMatchObject({ approved: true, version: 1, nextReviewDue: '2023-03-01', reviewedWithinInterval: true });
    expect(await service.planStatus(org, 2023)).toMatchObject({ approved: true, version: 1, reviewedWithinInterval: false });
  });

  it('pages: the version in force for all staff; for the office the notice, the edit form and the draft’s changes; the CISO approves on the draft page', async () => {
    const today = formatDate(tokyoToday(), 'ja');
    const plan = words((await page(staff, '/response-plan').expect(200)).text);
    expect(plan).toContain('第4版');
    expect(plan).toContain(`承認 ${today} （試験 太郎）`);
    expect(plan).toContain(`次回見直し期限 ${formatDate(addDays(tokyoToday(), -1), 'ja')} 見直し期限を過ぎています`);
    expect(plan).not.toContain('承認待ちの改訂案があります');
    expect(plan).not.toContain('計画の本文を編集する');
    await page(staff, '/response-plan/draft').expect(403);
    await page(staff, '/response-plan/draft/edit').expect(403);
    expect(words((await page(officer, '/response-plan/draft').expect(200)).text)).toContain('承認待ちの改訂案はありません。');

    // the office edits the text: the same text is refused at the top, then a change is saved into a new draft
    const edit = (await page(officer, '/response-plan/draft/edit').expect(200)).text;
    expect(edit).toContain('<label for="body">計画の本文（Markdown）</label>');
    const current = /<textarea id="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(edit)![1]!;
    const same = await form(officer, '/response-plan/draft/edit', { body: '# 緊急時対応計画（改2）\n', changeNote: '同じ' }).expect(409);
    expect(same.text).toMatch(/<div class="error-summary" role="alert"[^>]*autofocus/);
    expect(words(same.text)).toContain('本文が現行の版（または承認待ちの改訂案）と同じです。');
    const empty = await form(officer, '/response-plan/draft/edit', { body: current, changeNote: '' }).expect(400);
    expect(words(empty.text)).toContain('改訂の理由: 1〜2000文字で入力してください。');
    await form(officer, '/response-plan/draft/edit', { body: '# 緊急時対応計画（改）\n\n## 第3 体制\nCSIRTを置く。\n', changeNote: '体制を追記' })
      .expect(303)
      .expect('Location', '/response-plan/draft');

    const withNotice = (await page(officer, '/response-plan').expect(200)).text;
    expect(words(withNotice)).toContain('承認待ちの改訂案があります。');
    expect(withNotice).toContain('<a href="/response-plan/draft">改訂案を見る</a>');
    expect(words((await page(staff, '/response-plan').expect(200)).text)).not.toContain('承認待ちの改訂案があります');
    const forOffice = (await page(officer, '/response-plan/draft').expect(200)).text;
    expect(words(forOffice)).toContain('緊急時対応計画 第5版（承認待ちの改訂案）');
    expect(words(forOffice)).toContain('本文の変更（第4版との差分）');
    expect(forOffice).toContain('+## 第3 体制');
    expect(forOffice).not.toContain('action="/response-plan/draft/approve"'); // the office does not approve

    const forCiso = (await page(ciso, '/response-plan/draft').expect(200)).text;
    expect(forCiso).toContain('<button type="submit" id="approve-submit" class="button">第5版を承認する</button>');
    expect(forCiso).not.toContain('error-summary');
    // without the second factor the page says what to do first, at the top, and offers no form
    const withoutFactor = (await t.get(ResponsePlanPagesService).draft(actorOf(ciso, { mfa: false }), 'ja')) as {
      needsSecondFactor: boolean;
      formErrors: { heading: string; messages: { key: string }[] };
    };
    expect(withoutFactor.needsSecondFactor).toBe(true);
    expect(withoutFactor.formErrors).toMatchObject({
      heading: 'responsePlanDraft.cannotApprove',
      messages: [{ key: 'formError.PLAN_APPROVAL_REQUIRES_SECOND_FACTOR' }],
    });

    const stale = await form(ciso, '/response-plan/draft/approve', { version: '4' }).expect(409);
    expect(stale.text).toMatch(/<div class="error-summary" role="alert"[^>]*autofocus/);
    expect(words(stale.text)).toContain('この版はすでに承認されたか旧版になっています。');
    await form(ciso, '/response-plan/draft/approve', { version: '5' }).expect(303).expect('Location', '/response-plan');
    const approved = words((await page(staff, '/response-plan').expect(200)).text);
    expect(approved).toContain('第5版');
    expect(approved).toContain('CSIRTを置く。');
    expect(approved).not.toContain('見直し期限を過ぎています');
  });
});
