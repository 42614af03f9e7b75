import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0x90)]);

/** Issue 11: evidence files on checklist items, kept like control evidence. */
describe('checklist evidence: attached by whoever answers the item while in progress, read by whoever sees it', () => {
  let t: TestApp;
  let org: string;
  let officer: TestPerson;
  let auditor: TestPerson;
  let somuManager: TestPerson;
  let zeimuManager: TestPerson;
  let control: Control;
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
    put: (url: string) =>
      request(t.http)
        .put(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
  });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'evidence-town');
    const somu = await createDepartment(t, org, { code: 'EV-SOMU', name: '総務課' });
    const zeimu = await createDepartment(t, org, { code: 'EV-ZEIMU', name: '税務課' });
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    auditor = await createPerson(t, org, { roles: ['auditor'] });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    zeimuManager = await createPerson(t, org, { roles: ['manager'], departmentId: zeimu.id });
    for (const person of [officer, auditor, somuManager, zeimuManager]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '5-01' });
  });
  afterAll(() => t.close());

  it('a self-inspection: the manager attaches to their item, others see it, the other manager and a bad file are refused, and nothing is attached after the report', async () => {
    const today = tokyoToday();
    const planned = await as(officer)
      .post('/api/v1/audits')
      .send({
        fiscalYear: fiscalYearOf(today),
        kind: 'self_inspection',
        title: '自己点検（証跡の試験）',
        scope: { controlIds: [control.id], departmentIds: [somuManager.staff.departmentId, zeimuManager.staff.departmentId] },
        leadAuditorId: auditor.staff.id,
        plannedStart: today,
        plannedEnd: addDays(today, 30),
      })
      .expect(201);
    const auditId = planned.body.id as string;
    await as(officer).post(`/api/v1/audits/${auditId}/start`).expect(200);
    const items = (await as(officer).get(`/api/v1/audits/${auditId}/checklist`).expect(200)).body.items as { id: string; departmentId: string }[];
    expect(items).toHaveLength(2);
    const somuItem = items.find((item) => item.departmentId === somuManager.staff.departmentId)!;
    const zeimuItem = items.find((item) => item.departmentId === zeimuManager.staff.departmentId)!;
    const base = `/api/v1/audits/${auditId}/checklist/${somuItem.id}/evidence`;

    // the manager attaches a file to their own department's item
    const added = await as(somuManager).post(base).attach('file', PDF, { filename: '入退室管理簿.pdf', contentType: 'application/pdf' }).expect(201);
    expect(added.body).toMatchObject({
      auditId,
      checklistItemId: somuItem.id,
      fileName: '入退室管理簿.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      uploadedBy: { id: somuManager.staff.id },
    });
    const [trail] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE action = 'checklist_item.evidence' AND entity_id = $1`, [
      added.body.id,
    ])) as { n: number }[];
    expect(trail!.n).toBe(1);

    // the team and the manager list and download it: the same bytes, as an attachment
    for (const reader of [auditor, somuManager]) {
      const listed = await as(reader).get(base).expect(200);
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: added.body.id, fileName: '入退室管理簿.pdf' }] });
    }
    const got = await as(officer)
      .get(`${base}/${added.body.id as string}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);
    expect(got.headers['content-type']).toMatch(/^application\/pdf/);
    expect(got.headers['content-disposition']).toMatch(/^attachment;.*filename\*=UTF-8''/);
    const item = await as(officer).get(`/api/v1/audits/${auditId}/checklist/${somuItem.id}`).expect(200);
    expect(item.body.evidenceCount).toBe(1);

    // the manager of another department neither attaches to nor reads the item
    await as(zeimuManager).post(base).attach('file', PDF, { filename: 'x.pdf', contentType: 'application/pdf' }).expect(404);
    const hidden = await as(zeimuManager).get(base).expect(404);
    expect(hidden.body.code).toBe('CHECKLIST_ITEM_NOT_FOUND');
    await as(zeimuManager)
      .get(`${base}/${added.body.id as string}`)
      .expect(404);
    // … and an item's file is not reached through another item
    await as(officer)
      .get(`/api/v1/audits/${auditId}/checklist/${zeimuItem.id}/evidence/${added.body.id as string}`)
      .expect(404);

    // a file that is not an accepted kind is refused, naming the field
    const bad = await as(somuManager).post(base).attach('file', EXE, { filename: 'setup.pdf', contentType: 'application/pdf' }).expect(415);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED', errors: [{ field: 'file' }] });
    const none = await as(somuManager).post(base).expect(400);
    expect(none.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'file' }] });

    // every item answered, the audit goes to reporting: no more files, those there still read
    await as(somuManager).put(`/api/v1/audits/${auditId}/checklist/${somuItem.id}`).send({ result: 'conformant' }).expect(200);
    await as(zeimuManager).put(`/api/v1/audits/${auditId}/checklist/${zeimuItem.id}`).send({ result: 'conformant' }).expect(200);
    await as(officer).post(`/api/v1/audits/${auditId}/report`).send({}).expect(200);
    const late = await as(somuManager).post(base).attach('file', PDF, { filename: 'late.pdf', contentType: 'application/pdf' }).expect(409);
    expect(late.body).toMatchObject({ code: 'AUDIT_NOT_IN_PROGRESS' });
    expect((await as(somuManager).get(base).expect(200)).body.total).toBe(1);
  });
});
