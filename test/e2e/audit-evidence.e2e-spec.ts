import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyFilesInvalidError } from '../../src/policies/policy-files.js';
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
  const tmpDirs: string[] = [];
  afterAll(async () => {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

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
    const items = (await as(officer).get(`/api/v1/audits/${auditId}/checklist`).expect(200)).body.items as {
      id: string;
      departmentId: string;
      question: string;
      evidenceHints: string | null;
    }[];
    expect(items).toHaveLength(2);
    // the item asks the catalogue's question and shows its evidence hints
    expect(items[0]).toMatchObject({ question: control.auditQuestion, evidenceHints: control.evidenceHints });
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
    await as(somuManager).post(`/api/v1/audits/${auditId}/sign-offs`).send({ departmentId: somuItem.departmentId }).expect(200);
    await as(zeimuManager).post(`/api/v1/audits/${auditId}/sign-offs`).send({ departmentId: zeimuItem.departmentId }).expect(200);
    await as(officer).post(`/api/v1/audits/${auditId}/report`).send({}).expect(200);
    const late = await as(somuManager).post(base).attach('file', PDF, { filename: 'late.pdf', contentType: 'application/pdf' }).expect(409);
    expect(late.body).toMatchObject({ code: 'AUDIT_NOT_IN_PROGRESS' });
    expect((await as(somuManager).get(base).expect(200)).body.total).toBe(1);
  });

  it('the catalogue gives each control its audit question and evidence hints; a changed hint updates the control, a bad one is refused at its line', async () => {
    const synced = await t.dataSource.getRepository(Control).find({ where: { organizationId: org } });
    expect(synced).toHaveLength(56);
    expect(synced.filter((c) => !c.auditQuestion || !c.auditQuestionEn || !c.evidenceHints || !c.evidenceHintsEn)).toEqual([]);
    const ciso = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '1-01' });
    expect(ciso.auditQuestion).toBe('CISOとその代行者が文書で任命されているか。');
    expect(ciso.evidenceHints).toBe('任命書（辞令）\n組織規程\n代行者を定めた文書');
    const view = await as(officer).get(`/api/v1/controls/${ciso.id}`).expect(200);
    expect(view.body).toMatchObject({
      auditQuestion: ciso.auditQuestion,
      auditQuestionEn: 'Are the CISO and a deputy appointed in writing?',
      evidenceHints: ciso.evidenceHints,
      evidenceHintsEn: 'Letter of appointment\nOrganisation rules\nDocument naming the deputy',
    });

    const copy = (edit: (text: string) => string): string => {
      const dir = mkdtempSync(join(tmpdir(), 'mamori-hints-'));
      tmpDirs.push(dir);
      cpSync(PoliciesSyncService.defaultRoot(), dir, { recursive: true });
      const text = readFileSync(join(dir, 'controls.yaml'), 'utf8');
      const edited = edit(text);
      expect(edited).not.toBe(text);
      writeFileSync(join(dir, 'controls.yaml'), edited);
      return dir;
    };
    const sync = t.get(PoliciesSyncService);
    // the same catalogue again changes nothing; a changed hint changes that control only
    expect((await sync.sync(systemActor(org, 'test'))).controls).toMatchObject({ updated: 0, unchanged: 56 });
    const changed = await sync.sync(systemActor(org, 'test'), {
      root: copy((text) => text.replace('      - 代行者を定めた文書\n', '      - 副町長の代行順位を定めた規則\n')),
    });
    expect(changed.controls).toMatchObject({ updated: 1, unchanged: 55 });
    const after = await t.dataSource.getRepository(Control).findOneByOrFail({ id: ciso.id });
    expect(after.evidenceHints).toBe('任命書（辞令）\n組織規程\n副町長の代行順位を定めた規則');
    expect(after.contentHash).not.toBe(ciso.contentHash);

    // a hint of two lines is refused with the file, its line and the field
    const bad = copy((text) => text.replace('      - 組織規程\n', '      - "組織規程\\n職務権限規程"\n'));
    const line = readFileSync(join(bad, 'controls.yaml'), 'utf8').split('\n').indexOf('    evidenceHints:') + 1;
    const refused = await sync.sync(systemActor(org, 'test'), { root: bad }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PolicyFilesInvalidError);
    expect((refused as PolicyFilesInvalidError).errors).toEqual([
      { file: 'controls.yaml', line, field: 'controls[0].evidenceHints', message: 'each evidence hint must be one line' },
    ]);
  });
});
