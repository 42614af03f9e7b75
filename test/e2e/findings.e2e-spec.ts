import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface ActionRow {
  id: string;
  status: string;
  allowedTransitions: string[];
}

/** Issue 10: the post-incident review raises findings (FND-YYYY-NNNN) with corrective actions linked to controls; their status follows the actions. */
describe('findings and corrective actions: the review raises them, the assignee reports, the office or an auditor verifies', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let zeimu: Department;
  let reporter: TestPerson;
  let assignee: TestPerson;
  let colleague: TestPerson;
  let somuManager: TestPerson;
  let zeimuManager: TestPerson;
  let csirt: TestPerson;
  let officer: TestPerson;
  let auditor: TestPerson;
  let ciso: TestPerson;
  let controls: Control[];
  const tokens = new Map<TestPerson, string>();
  const fy = fiscalYearOf(tokyoToday());
  const CSRF = 'c'.repeat(43);

  const as = (person: TestPerson) => ({
    get: (url: string) =>
      request(t.http)
        .get(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    post: (url: string) =>
      request(t.http)
        .post(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    put: (url: string) =>
      request(t.http)
        .put(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    patch: (url: string) =>
      request(t.http)
        .patch(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
  });
  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const form = (person: TestPerson, path: string, fields: Record<string, string | string[]>) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  /** an L2 incident, triaged and recovered: it waits for its review before it is closed */
  const recoveredL2 = async (title: string): Promise<string> => {
    const { id } = (await as(reporter).post('/api/v1/incidents').send({ title, description: '委託先から住民情報が流出した' }).expect(201)).body;
    await as(csirt)
      .post(`/api/v1/incidents/${id}/transitions`)
      .send({ to: 'triaged', reason: '判定', severity: 'L2', category: 'information_leak' })
      .expect(200);
    for (const to of ['contained', 'eradicated', 'recovered']) await as(csirt).post(`/api/v1/incidents/${id}/transitions`).send({ to, reason: to }).expect(200);
    return id;
  };
  const review = (findings: object[] = []) => ({
    cause: '委託先の作業者が私物の USB メモリに複製した',
    whatWorked: '発覚から1時間で委託先と連絡がついた',
    whatDidNot: '委託先の作業場所を確認していなかった',
    lessons: '委託契約に作業場所と媒体の条項を加える',
    findings,
  });
  const findingCount = async () =>
    ((await t.dataSource.query(`SELECT count(*)::int AS n FROM findings WHERE organization_id = $1`, [org])) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'findings-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    reporter = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    assignee = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    colleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    zeimuManager = await createPerson(t, org, { roles: ['manager'], departmentId: zeimu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    auditor = await createPerson(t, org, { roles: ['auditor'], departmentId: joho.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: joho.id });
    for (const person of [reporter, assignee, colleague, somuManager, zeimuManager, csirt, officer, auditor, ciso])
      tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    controls = await t.dataSource.getRepository(Control).find({ where: { organizationId: org }, order: { code: 'ASC' } });
  });
  afterAll(() => t.close());

  it('the review raises findings with references, due dates by severity and linked controls; sent again, it raises none twice; the L2 then closes', async () => {
    const id = await recoveredL2('委託先からの情報流出');
    const first = await as(csirt)
      .put(`/api/v1/incidents/${id}/review`)
      .send(
        review([
          {
            title: '委託先の作業場所が確認されていない',
            severity: 'high',
            ownerDepartmentId: somu.id,
            controlIds: [controls[0]!.id, controls[1]!.id],
            actions: [{ description: '委託契約に作業場所の条項を加える', assigneeId: assignee.staff.id, dueDate: addDays(tokyoToday(), 20) }],
          },
          { title: '媒体の持ち出し記録がない', severity: 'low', ownerDepartmentId: zeimu.id, dueDate: '2030-03-31', controlIds: [] },
        ]),
      )
      .expect(200);
    expect(first.body).toMatchObject({ incidentId: id, cause: expect.stringContaining('USB'), reviewedById: csirt.staff.id });
    const [high, low] = first.body.findings;
    expect(high).toMatchObject({
      reference: `FND-${fy}-0001`,
      source: 'incident',
      sourceId: id,
      severity: 'high',
      dueDate: addDays(tokyoToday(), 30),
      status: 'action_planned',
      controlIds: [controls[0]!.id, controls[1]!.id],
      actions: [{ status: 'planned', assigneeId: assignee.staff.id, allowedTransitions: ['done'] }],
    });
    expect(low).toMatchObject({ reference: `FND-${fy}-0002`, dueDate: '2030-03-31', status: 'open', actions: [] });

    // sent again (a retry, or the lessons refined): the review is updated, no finding raised twice
    const again = await as(csirt)
      .put(`/api/v1/incidents/${id}/review`)
      .send({
        ...review([
          {
            title: '委託先の作業場所が確認されていない',
            severity: 'high',
            ownerDepartmentId: somu.id,
            controlIds: [controls[0]!.id],
            actions: [{ description: '委託契約に作業場所の条項を加える', assigneeId: assignee.staff.id, dueDate: addDays(tokyoToday(), 20) }],
          },
        ]),
        lessons: '委託契約に作業場所と媒体の条項を加え、年1回確認する',
      })
      .expect(200);
    expect(again.body.lessons).toContain('年1回');
    expect(again.body.findings.map((f: { reference: string }) => f.reference)).toEqual([`FND-${fy}-0001`, `FND-${fy}-0002`]);
    expect(again.body.findings[0].controlIds).toEqual([controls[0]!.id]);
    expect(again.body.findings[0].actions).toHaveLength(1);
    const timeline = (await as(csirt).get(`/api/v1/incidents/${id}/timeline`).expect(200)).body.items as { kind: string; data: { change: string } }[];
    expect(timeline.filter((e) => e.kind === 'review').map((e) => e.data.change)).toEqual(['written', 'updated']);
    await as(csirt).post(`/api/v1/incidents/${id}/transitions`).send({ to: 'closed', reason: 'レビュー済み' }).expect(200);

    const listed = (await as(officer).get(`/api/v1/findings?source=incident&sourceId=${id}`).expect(200)).body;
    expect(listed.total).toBe(2);
  });

  it('refuses a review naming an unknown control, department or assignee, naming each field, and writes nothing; an untriaged incident has no review', async () => {
    const id = await recoveredL2('USB メモリの紛失');
    const before = await findingCount();
    const refused = await as(csirt)
      .put(`/api/v1/incidents/${id}/review`)
      .send(
        review([
          { title: 'A', severity: 'medium', ownerDepartmentId: somu.id, controlIds: [controls[0]!.id] },
          {
            title: 'B',
            severity: 'medium',
            ownerDepartmentId: '00000000-0000-4000-8000-000000000000',
            controlIds: ['00000000-0000-4000-8000-000000000001'],
            actions: [{ description: 'x', assigneeId: '00000000-0000-4000-8000-000000000002', dueDate: '2030-01-01' }],
          },
        ]),
      )
      .expect(400);
    expect(refused.body.code).toBe('FINDING_LINK_INVALID');
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'findings.1.actions.0.assigneeId',
      'findings.1.controlIds',
      'findings.1.ownerDepartmentId',
    ]);
    expect(await findingCount()).toBe(before);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM post_incident_reviews WHERE incident_id = $1`, [id]))[0].n).toBe(0);
    const badSeverity = await as(csirt)
      .put(`/api/v1/incidents/${id}/review`)
      .send(review([{ title: 'A', severity: 'urgent', ownerDepartmentId: somu.id, controlIds: [] }]))
      .expect(400);
    expect(badSeverity.body.errors.map((e: { field: string }) => e.field)).toContain('findings.0.severity');

    const { id: fresh } = (await as(reporter).post('/api/v1/incidents').send({ title: '未判定', description: 'x' }).expect(201)).body;
    expect((await as(csirt).put(`/api/v1/incidents/${fresh}/review`).send(review()).expect(409)).body.code).toBe('INCIDENT_REVIEW_NOT_ALLOWED');
    await as(ciso).put(`/api/v1/incidents/${id}/review`).send(review()).expect(403);
  });

  it('an action is reported done by its assignee or the owner department’s manager, verified or reopened by the office or an auditor; the finding follows', async () => {
    const raised = await as(officer)
      .post('/api/v1/findings')
      .send({
        title: 'パスワードの使い回し',
        severity: 'medium',
        ownerDepartmentId: somu.id,
        controlIds: [controls[2]!.id],
        actions: [
          { description: '全職員に注意喚起する', assigneeId: assignee.staff.id, dueDate: '2030-01-31' },
          { description: 'パスワード管理の手順を改める', assigneeId: colleague.staff.id, dueDate: '2030-02-28' },
        ],
      })
      .expect(201);
    expect(raised.body).toMatchObject({ source: 'manual', sourceId: null, status: 'action_planned', dueDate: addDays(tokyoToday(), 60) });
    const [first, second] = raised.body.actions as ActionRow[];
    const status = async () => (await as(officer).get(`/api/v1/findings/${raised.body.id}`).expect(200)).body.status as string;

    // who may report it done: its assignee or the owner department's manager; others do not even see it
    await as(colleague).patch(`/api/v1/corrective-actions/${first!.id}`).send({ status: 'done' }).expect(404);
    await as(zeimuManager).patch(`/api/v1/corrective-actions/${first!.id}`).send({ status: 'done' }).expect(404);
    await as(officer).patch(`/api/v1/corrective-actions/${first!.id}`).send({ status: 'done' }).expect(403);
    const done = await as(assignee).patch(`/api/v1/corrective-actions/${first!.id}`).send({ status: 'done', note: '全庁掲示板で周知' }).expect(200);
    expect(done.body).toMatchObject({ status: 'done', doneNote: '全庁掲示板で周知', allowedTransitions: ['verified', 'reopened'] });
    expect(await status()).toBe('in_progress');
    const twice = await as(assignee).patch(`/api/v1/corrective-actions/${first!.id}`).send({ status: 'done' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'CORRECTIVE_ACTION_TRANSITION_NOT_ALLOWED', allowedTransitions: ['verified', 'reopened'] });
    await as(somuManager).patch(`/api/v1/corrective-actions/${second!.id}`).send({ status: 'done' }).expect(200);
    expect(await status()).toBe('done');

    // verified by the office or an auditor; the CSIRT and a manager may not
    await as(csirt).post(`/api/v1/corrective-actions/${first!.id}/verify`).send({ verified: true, note: '確認' }).expect(403);
    await as(somuManager).post(`/api/v1/corrective-actions/${first!.id}/verify`).send({ verified: true, note: '確認' }).expect(403);
    await as(auditor).post(`/api/v1/corrective-actions/${first!.id}/verify`).send({ verified: true }).expect(400);
    await as(auditor).post(`/api/v1/corrective-actions/${first!.id}/verify`).send({ verified: true, note: '掲示を確認した' }).expect(200);
    expect(await status()).toBe('done');
    const verified = await as(officer).post(`/api/v1/corrective-actions/${second!.id}/verify`).send({ verified: true, note: '手順書を確認した' }).expect(200);
    expect(verified.body).toMatchObject({ status: 'verified', verifiedById: officer.staff.id, verifyNote: '手順書を確認した' });
    const whole = (await as(officer).get(`/api/v1/findings/${raised.body.id}`).expect(200)).body;
    expect(whole).toMatchObject({ status: 'verified', verifiedAt: expect.any(String) });

    // a later check finds one did not work: reopened, and the finding with it; done again
    const reopened = await as(auditor)
      .post(`/api/v1/corrective-actions/${first!.id}/verify`)
      .send({ verified: false, note: '周知が届いていない課がある' })
      .expect(200);
    expect(reopened.body).toMatchObject({ status: 'reopened', allowedTransitions: ['done'] });
    expect((await as(officer).get(`/api/v1/findings/${raised.body.id}`).expect(200)).body).toMatchObject({ status: 'reopened', verifiedAt: null });
    await as(assignee).patch(`/api/v1/corrective-actions/${first!.id}`).send({ status: 'done', note: '各課で再周知' }).expect(200);
    expect(await status()).toBe('done');
    const planned = await as(officer)
      .post(`/api/v1/findings/${raised.body.id}/corrective-actions`)
      .send({ description: '半年後に再確認する', assigneeId: assignee.staff.id, dueDate: '2030-09-30' })
      .expect(201);
    expect(planned.body.status).toBe('planned');
    expect(await status()).toBe('in_progress');
    await as(officer).post(`/api/v1/corrective-actions/${planned.body.id}/verify`).send({ verified: true, note: 'x' }).expect(409);

    const trail = (await t.dataSource.query(
      `SELECT action FROM audit_trail WHERE entity_type IN ('finding', 'corrective_action') AND (entity_id = $1 OR entity_id = ANY($2)) ORDER BY seq`,
      [raised.body.id, [first!.id, second!.id]],
    )) as { action: string }[];
    expect(trail.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'finding.raise',
        'corrective_action.plan',
        'corrective_action.done',
        'corrective_action.verify',
        'corrective_action.reopen',
        'finding.status',
      ]),
    );
  });

  it('shows managers their department’s findings only, and lets the office, the CISO, auditors and the CSIRT read all; only the office raises one by hand', async () => {
    const zeimuFinding = (
      await as(officer)
        .post('/api/v1/findings')
        .send({ title: '税務課の端末の画面ロック', severity: 'low', ownerDepartmentId: zeimu.id, controlIds: [] })
        .expect(201)
    ).body;
    const somuList = (await as(somuManager).get('/api/v1/findings?pageSize=200').expect(200)).body;
    expect(somuList.items.length).toBeGreaterThan(0);
    expect(somuList.items.every((f: { ownerDepartmentId: string }) => f.ownerDepartmentId === somu.id)).toBe(true);
    await as(somuManager).get(`/api/v1/findings/${zeimuFinding.id}`).expect(404);
    await as(zeimuManager).get(`/api/v1/findings/${zeimuFinding.id}`).expect(200);
    for (const reader of [officer, ciso, auditor, csirt]) {
      const all = (await as(reader).get(`/api/v1/findings?departmentId=${zeimu.id}&status=open`).expect(200)).body;
      expect(all.items.map((f: { id: string }) => f.id)).toContain(zeimuFinding.id);
    }
    await as(reporter).get('/api/v1/findings').expect(403);
    for (const who of [auditor, csirt, ciso, somuManager])
      await as(who).post('/api/v1/findings').send({ title: 'x', severity: 'low', ownerDepartmentId: somu.id, controlIds: [] }).expect(403);
    const unknown = await as(officer)
      .post('/api/v1/findings')
      .send({ title: 'x', severity: 'low', ownerDepartmentId: somu.id, controlIds: ['00000000-0000-4000-8000-000000000009'] })
      .expect(400);
    expect(unknown.body).toMatchObject({ code: 'FINDING_LINK_INVALID', errors: [{ field: 'controlIds' }] });

    // a manager plans actions for their department's findings only
    await as(zeimuManager)
      .post(`/api/v1/findings/${zeimuFinding.id}/corrective-actions`)
      .send({ description: '画面ロックを5分に設定する', assigneeId: zeimuManager.staff.id, dueDate: '2030-06-30' })
      .expect(201);
    // …and gives them to someone of that department
    const outsider = await as(zeimuManager)
      .post(`/api/v1/findings/${zeimuFinding.id}/corrective-actions`)
      .send({ description: '総務課に頼む', assigneeId: assignee.staff.id, dueDate: '2030-06-30' })
      .expect(400);
    expect(outsider.body).toMatchObject({ code: 'FINDING_LINK_INVALID', errors: [{ field: 'assigneeId' }] });
    await as(somuManager)
      .post(`/api/v1/findings/${zeimuFinding.id}/corrective-actions`)
      .send({ description: 'x', assigneeId: somuManager.staff.id, dueDate: '2030-06-30' })
      .expect(404);
    await as(csirt)
      .post(`/api/v1/findings/${zeimuFinding.id}/corrective-actions`)
      .send({ description: 'x', assigneeId: csirt.staff.id, dueDate: '2030-06-30' })
      .expect(403);
  });

  it('the review page shows the findings and takes the review with one finding and its action; a refusal is shown beside its field', async () => {
    const id = await recoveredL2('メールの誤送信');
    const shown = await page(csirt, `/incidents/${id}/review`).expect(200);
    expect(words(shown.text)).toContain('事後レビュー');
    expect(shown.text).toContain('name="cause"');
    await page(reporter, `/incidents/${id}/review`).expect(403);
    expect((await page(ciso, `/incidents/${id}/review`).expect(200)).text).not.toContain('name="cause"');

    const fields = {
      cause: '宛先の確認不足',
      whatWorked: '受信者がすぐ削除に応じた',
      whatDidNot: '送信前の確認手順がなかった',
      lessons: '外部宛ての送信に上長の確認を入れる',
      findingTitle: '外部宛てメールの確認手順がない',
      severity: 'medium',
      ownerDepartmentId: somu.id,
      controlIds: [controls[3]!.id, controls[4]!.id],
      actionDescription: '送信前確認の手順を定める',
      assignee: 'no-such-number',
      actionDueDate: '2030-05-31',
    };
    const refused = await form(csirt, `/incidents/${id}/review`, fields).expect(400);
    expect(words(/<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.text)?.[0] ?? '')).toContain('担当者の職員番号');
    expect(refused.text).toContain('aria-invalid="true"');
    expect(refused.text).toContain('外部宛てメールの確認手順がない'); // the form as it was sent

    const saved = await form(csirt, `/incidents/${id}/review`, { ...fields, assignee: assignee.staff.employeeNumber }).expect(303);
    expect(saved.headers.location).toBe(`/incidents/${id}/review`);
    const after = words((await page(csirt, `/incidents/${id}/review`).expect(200)).text);
    expect(after).toMatch(new RegExp(`FND-${fy}-\\d{4} 外部宛てメールの確認手順がない`));
    expect(after).toContain('送信前確認の手順を定める');
    const [finding] = (await as(officer).get(`/api/v1/findings?source=incident&sourceId=${id}`).expect(200)).body.items;
    expect(finding).toMatchObject({ severity: 'medium', ownerDepartmentId: somu.id, controlIds: [controls[3]!.id, controls[4]!.id], status: 'action_planned' });
  });
});
