import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface ItemRow {
  id: string;
  controlId: string;
  controlCode: string;
  departmentId: string;
  result: string | null;
  findingId: string | null;
  question: string;
}

/** Issue 11: audits and self-inspections through the API — plans, the checklist, answers, findings, the report's gate, the CISO. */
describe('audits: plan, checklist control × department, answers raising one finding each, the report gate, self-inspections', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let zeimu: Department;
  let fukushi: Department;
  let kansa: Department;
  let officer: TestPerson;
  let auditor: TestPerson;
  let zeimuAuditor: TestPerson;
  let ciso: TestPerson;
  let somuManager: TestPerson;
  let zeimuManager: TestPerson;
  let somuStaff: TestPerson;
  let somuColleague: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const today = tokyoToday();
  const fy = fiscalYearOf(today);

  const as = (person: TestPerson) => {
    const auth = { Authorization: `Bearer ${tokens.get(person)}` };
    return {
      get: (url: string) => request(t.http).get(url).set(auth),
      post: (url: string) => request(t.http).post(url).set(auth),
      put: (url: string) => request(t.http).put(url).set(auth),
      patch: (url: string) => request(t.http).patch(url).set(auth),
    };
  };
  const controlsIn = async (chapters: number[]): Promise<number> =>
    (
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM controls WHERE organization_id = $1 AND retired_at IS NULL AND chapter = ANY($2)`, [
        org,
        chapters,
      ])) as { n: number }[]
    )[0]!.n;
  const plan = (fields: object = {}) => ({
    fiscalYear: fy,
    kind: 'internal_audit',
    title: '情報セキュリティ内部監査',
    scope: { chapters: [4, 5], departmentIds: [somu.id, zeimu.id, fukushi.id] },
    leadAuditorId: auditor.staff.id,
    plannedStart: today,
    plannedEnd: addDays(today, 20),
    ...fields,
  });
  const checklist = async (person: TestPerson, auditId: string, query = ''): Promise<{ items: ItemRow[]; total: number }> =>
    (await as(person).get(`/api/v1/audits/${auditId}/checklist?pageSize=200${query}`).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'audits-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    fukushi = await createDepartment(t, org, { code: 'FUKUSHI', name: '福祉課' });
    kansa = await createDepartment(t, org, { code: 'KANSA', name: '監査委員事務局' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kansa.id });
    auditor = await createPerson(t, org, { roles: ['auditor'], departmentId: kansa.id });
    zeimuAuditor = await createPerson(t, org, { roles: ['auditor'], departmentId: zeimu.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: kansa.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    zeimuManager = await createPerson(t, org, { roles: ['manager'], departmentId: zeimu.id });
    somuStaff = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    somuColleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    for (const person of [officer, auditor, zeimuAuditor, ciso, somuManager, zeimuManager, somuStaff, somuColleague])
      tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
  });
  afterAll(() => t.close());

  it('an auditor may not audit their own department: planning or assigning such an audit is refused naming the department', async () => {
    const refused = await as(officer)
      .post('/api/v1/audits')
      .send(plan({ auditorIds: [zeimuAuditor.staff.id] }))
      .expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code ?? refused.body.type).toMatch(/own-department|AUDIT_OWN_DEPARTMENT/i);
    expect(refused.body.detail).toContain('税務課');
    expect(refused.body.errors).toEqual([{ field: 'auditorIds.0', messages: [expect.stringContaining('税務課')] }]);

    // planned without them, then assigning them is refused too; a self-inspection has no such rule
    const { id } = (await as(officer).post('/api/v1/audits').send(plan()).expect(201)).body;
    const assign = await as(officer).patch(`/api/v1/audits/${id}`).send({ leadAuditorId: zeimuAuditor.staff.id }).expect(400);
    expect(assign.body.errors[0].field).toBe('leadAuditorId');
    expect(assign.body.detail).toContain('税務課');
    await as(officer)
      .post('/api/v1/audits')
      .send(plan({ kind: 'self_inspection', leadAuditorId: officer.staff.id, auditorIds: [zeimuAuditor.staff.id] }))
      .expect(201);
    // a staff member cannot lead an audit; nobody but the office plans one
    const notAuditor = await as(officer)
      .post('/api/v1/audits')
      .send(plan({ leadAuditorId: somuStaff.staff.id }))
      .expect(400);
    expect(notAuditor.body.errors[0].field).toBe('leadAuditorId');
    await as(auditor).post('/api/v1/audits').send(plan()).expect(403);
    const outside = await as(officer)
      .post('/api/v1/audits')
      .send(plan({ plannedStart: `${fy + 1}-04-01`, plannedEnd: `${fy + 1}-04-02` }))
      .expect(400);
    expect(outside.body.errors[0].field).toBe('plannedStart');
  });

  it('starting makes one item per control in scope × department; a non-conformity raises exactly one finding however often it is answered; reporting waits for every item; the CISO closes it', async () => {
    const planned = (await as(officer).post('/api/v1/audits').send(plan()).expect(201)).body;
    expect(planned.reference).toMatch(new RegExp(`^AUD-${fy}-\\d{4}$`));
    expect(planned.status).toBe('planned');
    const expected = (await controlsIn([4, 5])) * 3;
    expect(expected).toBeGreaterThan(0);

    await as(somuManager).post(`/api/v1/audits/${planned.id}/start`).expect(403);
    const started = (await as(auditor).post(`/api/v1/audits/${planned.id}/start`).expect(200)).body;
    expect(started).toMatchObject({ status: 'in_progress', checklistItems: expected });
    await as(auditor).post(`/api/v1/audits/${planned.id}/start`).expect(409);
    await as(officer).patch(`/api/v1/audits/${planned.id}`).send({ title: 'x' }).expect(409);

    const all = await checklist(auditor, planned.id);
    expect(all.total).toBe(expected);
    const pairs = new Set(all.items.map((i) => `${i.controlId}/${i.departmentId}`));
    expect(pairs.size).toBe(expected);
    expect(new Set(all.items.map((i) => i.departmentId))).toEqual(new Set([somu.id, zeimu.id, fukushi.id]));
    expect(all.items.every((i) => /^[45]-/.test(i.controlCode) && i.question.length > 0)).toBe(true);
    expect((await checklist(auditor, planned.id, `&departmentId=${zeimu.id}&chapter=5`)).total).toBe((await controlsIn([5])) * 1);

    // the non-conformity: one finding, however often the item is answered
    const item = all.items.find((i) => i.departmentId === somu.id)!;
    const answer = (body: object, person = auditor) => as(person).put(`/api/v1/audits/${planned.id}/checklist/${item.id}`).send(body);
    const noNote = await answer({ result: 'minor_nonconformity' }).expect(400);
    expect(noNote.body.errors[0].field).toBe('note');
    const first = (await answer({ result: 'minor_nonconformity', note: '入退室記録に記入漏れが3件あった' }).expect(200)).body;
    expect(first.findingReference).toMatch(new RegExp(`^FND-${fy}-\\d{4}$`));
    const again = (await answer({ result: 'minor_nonconformity', note: '入退室記録に記入漏れが3件あった' }).expect(200)).body;
    expect(again.findingId).toBe(first.findingId);
    const worse = (await answer({ result: 'major_nonconformity', note: '入退室記録が2か月分ない' }).expect(200)).body;
    expect(worse.findingId).toBe(first.findingId);
    const back = await answer({ result: 'conformant' }).expect(409);
    expect(back.body.detail).toContain(first.findingReference);
    // a fresh item answered twice at the same moment raises one finding
    const fresh = all.items.find((i) => i.departmentId === zeimu.id)!;
    const both = await Promise.all(
      [1, 2].map(() => as(auditor).put(`/api/v1/audits/${planned.id}/checklist/${fresh.id}`).send({ result: 'major_nonconformity', note: '同時に回答' })),
    );
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both[0]!.body.findingId).toEqual(expect.any(String));
    expect(both[1]!.body.findingId).toBe(both[0]!.body.findingId);
    const findings = (await as(officer).get(`/api/v1/findings?source=audit&sourceId=${planned.id}&departmentId=${somu.id}`).expect(200)).body;
    expect(findings.total).toBe(1);
    expect((await as(officer).get(`/api/v1/findings?source=audit&sourceId=${planned.id}`).expect(200)).body.total).toBe(2);
    expect(findings.items[0]).toMatchObject({
      id: first.findingId,
      checklistItemId: item.id,
      ownerDepartmentId: somu.id,
      // the last answer was the major non-conformity: high, and the due date that goes with it
      severity: 'high',
      dueDate: addDays(today, 30),
      controlIds: [item.controlId],
    });
    // the officer is not on the team: only the team answers an audit
    await as(officer).put(`/api/v1/audits/${planned.id}/checklist/${all.items[1]!.id}`).send({ result: 'conformant' }).expect(403);
    await as(somuManager).put(`/api/v1/audits/${planned.id}/checklist/${item.id}`).send({ result: 'conformant' }).expect(403);

    // reporting is refused while items are open, naming how many
    const open = await as(auditor).post(`/api/v1/audits/${planned.id}/report`).send({}).expect(409);
    expect(open.body.openItems).toBe(expected - 2);
    expect((await checklist(auditor, planned.id, '&result=unanswered')).total).toBe(expected - 2);
    const na = all.items.find((i) => i.id !== item.id && i.id !== fresh.id)!;
    await as(auditor).put(`/api/v1/audits/${planned.id}/checklist/${na.id}`).send({ result: 'not_applicable' }).expect(400);
    await as(auditor).put(`/api/v1/audits/${planned.id}/checklist/${na.id}`).send({ result: 'not_applicable', note: '当課に該当システムなし' }).expect(200);
    await t.dataSource.query(`UPDATE audit_checklist_items SET result = 'conformant', answered_at = now() WHERE audit_id = $1 AND result IS NULL`, [
      planned.id,
    ]);

    await as(zeimuManager).post(`/api/v1/audits/${planned.id}/acceptance`).send({ accepted: true }).expect(403);
    const reported = (await as(auditor).post(`/api/v1/audits/${planned.id}/report`).send({ summary: '全体として概ね適切' }).expect(200)).body;
    expect(reported).toMatchObject({ status: 'reporting', summary: '全体として概ね適切' });
    await as(auditor).put(`/api/v1/audits/${planned.id}/checklist/${na.id}`).send({ result: 'conformant' }).expect(409);
    await as(ciso).post(`/api/v1/audits/${planned.id}/acceptance`).send({ accepted: false }).expect(400);
    expect((await as(ciso).post(`/api/v1/audits/${planned.id}/acceptance`).send({ accepted: false, note: '所見を追記すること' }).expect(200)).body.status).toBe(
      'in_progress',
    );
    await as(auditor).post(`/api/v1/audits/${planned.id}/report`).send({ summary: '所見を追記した' }).expect(200);
    expect((await as(ciso).post(`/api/v1/audits/${planned.id}/acceptance`).send({ accepted: true }).expect(200)).body.status).toBe('closed');

    const listed = (await as(officer).get(`/api/v1/audits?fiscalYear=${fy}&kind=internal_audit&status=closed`).expect(200)).body;
    expect(listed.items.map((a: { id: string }) => a.id)).toEqual([planned.id]);
    expect(listed.items[0]).toMatchObject({ items: { total: expected, answered: expected }, findings: 2 });
    // a manager's list counts their own department only
    const somuListed = (await as(somuManager).get(`/api/v1/audits?fiscalYear=${fy}&kind=internal_audit&status=closed`).expect(200)).body;
    expect(somuListed.items[0]).toMatchObject({ items: { total: expected / 3, answered: expected / 3 }, findings: 1 });
    // the auditor sees the audits they are on, a manager those of their department, a staff member none
    expect((await as(auditor).get('/api/v1/audits').expect(200)).body.items.some((a: { id: string }) => a.id === planned.id)).toBe(true);
    expect((await as(zeimuAuditor).get('/api/v1/audits').expect(200)).body.items.some((a: { id: string }) => a.id === planned.id)).toBe(false);
    await as(zeimuAuditor).get(`/api/v1/audits/${planned.id}`).expect(404);
    await as(somuStaff).get('/api/v1/audits').expect(403);
  });

  it('the finding’s corrective action: only the assignee or their manager reports done; only the auditor or the office verifies; reopen and verify again', async () => {
    const [finding] = (await as(officer).get(`/api/v1/findings?source=audit&departmentId=${somu.id}`).expect(200)).body.items as { id: string }[];
    const action = (
      await as(somuManager)
        .post(`/api/v1/findings/${finding!.id}/corrective-actions`)
        .send({ description: '入退室記録の確認を毎週行う', assigneeId: somuStaff.staff.id, dueDate: addDays(today, 14) })
        .expect(201)
    ).body;
    await as(somuColleague).patch(`/api/v1/corrective-actions/${action.id}`).send({ status: 'done' }).expect(404);
    await as(zeimuManager).patch(`/api/v1/corrective-actions/${action.id}`).send({ status: 'done' }).expect(404);
    await as(somuStaff).patch(`/api/v1/corrective-actions/${action.id}`).send({ status: 'done', note: '毎週金曜に確認' }).expect(200);
    await as(somuManager).post(`/api/v1/corrective-actions/${action.id}/verify`).send({ verified: true, note: 'x' }).expect(403);
    await as(auditor).post(`/api/v1/corrective-actions/${action.id}/verify`).send({ verified: false, note: '記録が残っていない' }).expect(200);
    expect((await as(officer).get(`/api/v1/findings/${finding!.id}`).expect(200)).body.status).toBe('reopened');
    await as(somuManager).patch(`/api/v1/corrective-actions/${action.id}`).send({ status: 'done', note: '確認表を作った' }).expect(200);
    await as(officer).post(`/api/v1/corrective-actions/${action.id}/verify`).send({ verified: true, note: '確認表を確認した' }).expect(200);
    expect((await as(officer).get(`/api/v1/findings/${finding!.id}`).expect(200)).body.status).toBe('verified');

    // who did the work does not verify it
    const own = (
      await as(officer)
        .post(`/api/v1/findings/${finding!.id}/corrective-actions`)
        .send({ description: '監査で記録を再確認する', assigneeId: auditor.staff.id, dueDate: addDays(today, 30) })
        .expect(201)
    ).body;
    await as(auditor).patch(`/api/v1/corrective-actions/${own.id}`).send({ status: 'done', note: '再確認した' }).expect(200);
    await as(auditor).post(`/api/v1/corrective-actions/${own.id}/verify`).send({ verified: true, note: '自分で確認' }).expect(403);
    const reopened = (
      await as(officer)
        .post(`/api/v1/corrective-actions/${own.id}/verify`)
        .send({ verified: false, note: '記録の写しがない', dueDate: addDays(today, 45) })
        .expect(200)
    ).body;
    expect(reopened).toMatchObject({ status: 'reopened', dueDate: addDays(today, 45) });
  });

  it('a self-inspection: each manager answers and signs off their own department only; the office sees progress per department', async () => {
    const planned = (
      await as(officer)
        .post('/api/v1/audits')
        .send(
          plan({
            kind: 'self_inspection',
            title: '自己点検',
            leadAuditorId: officer.staff.id,
            scope: { chapters: [5], essentialOnly: true, departmentIds: [somu.id, zeimu.id] },
          }),
        )
        .expect(201)
    ).body;
    const started = (await as(officer).post(`/api/v1/audits/${planned.id}/start`).expect(200)).body;
    const perDepartment = started.checklistItems / 2;
    const [essentials] = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM controls WHERE organization_id = $1 AND retired_at IS NULL AND chapter = 5 AND essential`,
      [org],
    )) as { n: number }[];
    expect(perDepartment).toBe(essentials!.n);
    expect(perDepartment).toBeLessThan(await controlsIn([5]));

    const mine = await checklist(somuManager, planned.id);
    expect(mine.total).toBe(perDepartment);
    expect(mine.items.every((i) => i.departmentId === somu.id)).toBe(true);
    expect((await checklist(somuManager, planned.id, `&departmentId=${zeimu.id}`)).total).toBe(0);
    const theirs = (await checklist(officer, planned.id, `&departmentId=${zeimu.id}`)).items[0]!;
    await as(somuManager).put(`/api/v1/audits/${planned.id}/checklist/${theirs.id}`).send({ result: 'conformant' }).expect(404);
    await as(somuStaff).put(`/api/v1/audits/${planned.id}/checklist/${mine.items[0]!.id}`).send({ result: 'conformant' }).expect(403);

    const early = await as(somuManager).post(`/api/v1/audits/${planned.id}/sign-offs`).send({ departmentId: somu.id }).expect(409);
    expect(early.body.openItems).toBe(perDepartment);
    for (const item of mine.items) await as(somuManager).put(`/api/v1/audits/${planned.id}/checklist/${item.id}`).send({ result: 'conformant' }).expect(200);
    await as(somuManager).post(`/api/v1/audits/${planned.id}/sign-offs`).send({ departmentId: zeimu.id }).expect(403);
    const signed = (await as(somuManager).post(`/api/v1/audits/${planned.id}/sign-offs`).send({ departmentId: somu.id, note: '確認した' }).expect(200)).body;
    expect(signed).toMatchObject({ departmentId: somu.id, signedById: somuManager.staff.id });
    await as(somuManager).post(`/api/v1/audits/${planned.id}/sign-offs`).send({ departmentId: somu.id }).expect(200);

    const office = (await as(officer).get(`/api/v1/audits/${planned.id}`).expect(200)).body;
    expect(office.progress.departments).toEqual([
      expect.objectContaining({ departmentId: somu.id, total: perDepartment, answered: perDepartment, signedOffById: somuManager.staff.id }),
      expect.objectContaining({ departmentId: zeimu.id, total: perDepartment, answered: 0, signedOffAt: null }),
    ]);
    const managerView = (await as(somuManager).get(`/api/v1/audits/${planned.id}`).expect(200)).body;
    expect(managerView.progress.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual([somu.id]);
    const signOffRows = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE action = 'audit.sign_off' AND organization_id = $1`, [
      org,
    ])) as { n: number }[];
    expect(signOffRows[0]!.n).toBe(1);

    // a changed answer withdraws the department's sign-off; the self-inspection is reported when every department has signed
    await as(officer).put(`/api/v1/audits/${planned.id}/checklist/${mine.items[0]!.id}`).send({ result: 'observation', note: '記録の様式が古い' }).expect(200);
    expect((await as(officer).get(`/api/v1/audits/${planned.id}`).expect(200)).body.progress.departments[0].signedOffAt).toBeNull();
    for (const item of (await checklist(zeimuManager, planned.id)).items)
      await as(zeimuManager).put(`/api/v1/audits/${planned.id}/checklist/${item.id}`).send({ result: 'conformant' }).expect(200);
    await as(zeimuManager).post(`/api/v1/audits/${planned.id}/sign-offs`).send({ departmentId: zeimu.id }).expect(200);
    const unsigned = await as(officer).post(`/api/v1/audits/${planned.id}/report`).send({}).expect(409);
    expect(unsigned.body).toMatchObject({ code: 'AUDIT_SIGN_OFFS_MISSING', unsignedDepartments: [{ id: somu.id, name: '総務課' }] });
    await as(somuManager).post(`/api/v1/audits/${planned.id}/sign-offs`).send({ departmentId: somu.id }).expect(200);
    await as(officer).post(`/api/v1/audits/${planned.id}/report`).send({}).expect(200);
  });

  it('a scope of the essential controls plus named ones; only the lead starts it; the team is checked again when it starts', async () => {
    const named = (
      (await t.dataSource.query(`SELECT id FROM controls WHERE organization_id = $1 AND NOT essential AND retired_at IS NULL ORDER BY code LIMIT 1`, [
        org,
      ])) as { id: string }[]
    )[0]!.id;
    const [essentials] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM controls WHERE organization_id = $1 AND retired_at IS NULL AND essential`, [
      org,
    ])) as { n: number }[];
    const second = await createPerson(t, org, { roles: ['auditor'], departmentId: kansa.id });
    tokens.set(second, (await signIn(t, second)).accessToken);
    const planned = (
      await as(officer)
        .post('/api/v1/audits')
        .send(plan({ scope: { essentialOnly: true, controlIds: [named], departmentIds: [fukushi.id] }, auditorIds: [second.staff.id] }))
        .expect(201)
    ).body;
    await as(second).post(`/api/v1/audits/${planned.id}/start`).expect(403);
    // the lead moves into 福祉課 before the audit starts
    await t.dataSource.query(`UPDATE staff SET department_id = $2 WHERE id = $1`, [auditor.staff.id, fukushi.id]);
    const moved = await as(auditor).post(`/api/v1/audits/${planned.id}/start`).expect(400);
    expect(moved.body).toMatchObject({ code: 'AUDIT_OWN_DEPARTMENT', errors: [{ field: 'leadAuditorId' }] });
    await t.dataSource.query(`UPDATE staff SET department_id = $2 WHERE id = $1`, [auditor.staff.id, kansa.id]);
    const started = (await as(auditor).post(`/api/v1/audits/${planned.id}/start`).expect(200)).body;
    expect(started.checklistItems).toBe(essentials!.n + 1);
  });
});
