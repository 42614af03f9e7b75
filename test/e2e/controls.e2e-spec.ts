import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { ControlEvidence } from '../../src/controls/control-evidence.entity.js';
import { Control } from '../../src/controls/control.entity.js';
import { ControlHistoryService } from '../../src/controls/control-history.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const here = dirname(fileURLToPath(import.meta.url));
const COVERAGE_FIXTURE = join(here, '..', 'fixtures', 'policies-coverage');
const MAX_BYTES = 4096;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Reads a response body as bytes, whatever its content type. */
function binary(res: request.Response, callback: (error: Error | null, body: unknown) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

/** Today in Asia/Tokyo (UTC+9, no daylight saving) plus whole months, clamped to the month's end. */
function tokyoTodayPlusMonths(months: number): string {
  const tokyo = new Date(Date.now() + 9 * 3600_000);
  const y = tokyo.getUTCFullYear();
  const m = tokyo.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(tokyo.getUTCDate(), lastDay))).toISOString().slice(0, 10);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(32, 1)]);
const EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]);
const TEXT = Buffer.from('2023-04-10 入退室記録を点検した。異常なし。\n', 'utf8');

type Bearer = { Authorization: string };
const bearer = (token: string): Bearer => ({ Authorization: `Bearer ${token}` });

async function signedIn(t: TestApp, person: TestPerson): Promise<Bearer> {
  return bearer((await signIn(t, person)).accessToken);
}

describe('controls: status, evidence, coverage and statement of applicability', () => {
  let t: TestApp;
  let org: string;
  let officer: TestPerson;
  let asOfficer: Bearer;
  let asAuditor: Bearer;
  let asStaff: Bearer;
  const tmpDirs: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { EVIDENCE_MAX_BYTES: String(MAX_BYTES) } });
    org = await testOrganization(t);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    await t.dataSource.getRepository(Staff).update(officer.staff.id, { familyName: '山田', givenName: '花子' });
    asOfficer = await signedIn(t, officer);
    asAuditor = await signedIn(t, await createPerson(t, org, { roles: ['auditor'] }));
    asStaff = await signedIn(t, await createPerson(t, org));
  });
  afterAll(async () => {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const control = (code: string, organizationId = org): Promise<Control> => t.dataSource.getRepository(Control).findOneByOrFail({ organizationId, code });
  const auditCount = (action: string, entityId?: string): Promise<number> =>
    t.dataSource.getRepository(AuditTrailEntry).countBy({ action, ...(entityId ? { entityId } : {}) });
  const fieldsOf = (body: { errors?: { field: string }[] }): string[] => (body.errors ?? []).map((e) => e.field);

  describe('PATCH /api/v1/controls/:id', () => {
    it('refuses not_applicable without a reason (400 naming reason) and writes nothing', async () => {
      const target = await control('2-01');
      const audits = await auditCount('control.update', target.id);
      for (const body of [{ status: 'not_applicable' }, { status: 'not_applicable', reason: '   ' }]) {
        const res = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send(body).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(fieldsOf(res.body)).toEqual(['reason']);
      }
      expect(await control('2-01')).toEqual(target);
      expect(await auditCount('control.update', target.id)).toBe(audits);
    });

    it('refuses staff (403), an empty body, unknown fields and bad values (400)', async () => {
      const target = await control('2-02');
      await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asStaff).send({ status: 'implemented' }).expect(403);
      const nullStatus = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ status: null }).expect(400);
      expect(fieldsOf(nullStatus.body)).toEqual(['status']);
      await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asAuditor).send({ status: 'implemented' }).expect(403);
      await request(t.http).patch(`/api/v1/controls/${target.id}`).send({ status: 'implemented' }).expect(401);
      const empty = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({}).expect(400);
      expect(fieldsOf(empty.body)).toEqual(['status']);
      const bad = await request(t.http)
        .patch(`/api/v1/controls/${target.id}`)
        .set(asOfficer)
        .send({ status: 'done', nextCheckDue: '2023-02-30', ownerDepartmentId: 'x', colour: 'red' })
        .expect(400);
      expect(fieldsOf(bad.body).sort()).toEqual(['colour', 'nextCheckDue', 'ownerDepartmentId', 'status']);
      await request(t.http).patch('/api/v1/controls/00000000-0000-4000-8000-000000000000').set(asOfficer).send({ status: 'implemented' }).expect(404);
      expect(await control('2-02')).toEqual(target);
    });

    it('a status change stamps who and when and sets the next check from the frequency (today in Tokyo + months)', async () => {
      const catalogue = await t.dataSource.getRepository(Control).findBy({ organizationId: org });
      const byFrequency = (f: string): Control =>
        catalogue.find(
          (c) => c.frequency === f && c.status === 'not_implemented' && !['2-01', '2-02', '3-01', '4-01', '4-02', '4-03', '4-04', '5-01'].includes(c.code),
        )!;
      const months: Record<string, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };
      for (const frequency of Object.keys(months).filter((f) => catalogue.some((c) => c.frequency === f))) {
        const target = byFrequency(frequency);
        const before = Date.now();
        const res = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ status: 'partial' }).expect(200);
        expect(res.body).toMatchObject({
          id: target.id,
          status: 'partial',
          statusReason: null,
          statusChangedById: officer.staff.id,
          nextCheckDue: tokyoTodayPlusMonths(months[frequency]!),
        });
        expect(new Date(res.body.lastCheckedAt as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(res.body.statusChangedAt).toBe(res.body.lastCheckedAt);
        const entries = await t.dataSource.getRepository(AuditTrailEntry).findBy({ action: 'control.update', entityId: target.id });
        expect(entries).toHaveLength(1);
        expect(entries[0]!.actorId).toBe(officer.staff.id);
        expect(entries[0]!.changes.status).toEqual({ before: 'not_implemented', after: 'partial' });
      }
      expect(Object.keys(months).every((f) => catalogue.some((c) => c.frequency === f))).toBe(true);
    });

    it('keeps a given next check, records a reason, and a new status drops the old reason', async () => {
      const target = await control('3-01');
      const na = await request(t.http)
        .patch(`/api/v1/controls/${target.id}`)
        .set(asOfficer)
        .send({ status: 'not_applicable', reason: '本町は該当システムを保有しない', nextCheckDue: '2030-03-31' })
        .expect(200);
      expect(na.body).toMatchObject({ status: 'not_applicable', statusReason: '本町は該当システムを保有しない', nextCheckDue: '2030-03-31' });
      // the reason of a not_applicable control cannot be emptied
      const emptied = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ reason: '' }).expect(400);
      expect(fieldsOf(emptied.body)).toEqual(['reason']);
      const back = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ status: 'implemented' }).expect(200);
      expect(back.body).toMatchObject({
        status: 'implemented',
        statusReason: null,
        nextCheckDue: tokyoTodayPlusMonths({ monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 }[target.frequency]!),
      });
      // the same status again is no status change: the stamps stay
      const same = await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ status: 'implemented', reason: '点検済み' }).expect(200);
      expect(same.body).toMatchObject({ statusReason: '点検済み', statusChangedAt: back.body.statusChangedAt });
    });

    it('sets the owner department, which the list filters by; an unknown department is refused', async () => {
      const department = await createDepartment(t, org);
      const target = await control('4-01');
      await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ ownerDepartmentId: department.id }).expect(200);
      const listed = await request(t.http).get(`/api/v1/controls?ownerDepartmentId=${department.id}`).set(asStaff).expect(200);
      expect(listed.body.total).toBe(1);
      expect(listed.body.items[0]).toMatchObject({
        code: '4-01',
        ownerDepartmentId: department.id,
        status: 'not_implemented',
        statusReason: null,
        nextCheckDue: null,
        lastCheckedAt: null,
      });
      const unknown = await request(t.http)
        .patch(`/api/v1/controls/${target.id}`)
        .set(asOfficer)
        .send({ ownerDepartmentId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      expect(fieldsOf(unknown.body)).toEqual(['ownerDepartmentId']);
      const combined = await request(t.http).get(`/api/v1/controls?ownerDepartmentId=${department.id}&status=implemented`).set(asStaff).expect(200);
      expect(combined.body.total).toBe(0);
      const partial = await request(t.http).get('/api/v1/controls?status=partial&pageSize=200').set(asStaff).expect(200);
      expect((partial.body.items as { status: string }[]).every((c) => c.status === 'partial')).toBe(true);
      expect(partial.body.total).toBeGreaterThanOrEqual(3);
    });

    it('records a check without changing the status', async () => {
      const target = await control('4-02');
      const res = await request(t.http).post(`/api/v1/controls/${target.id}/checks`).set(asOfficer).send({ note: '巡回点検' }).expect(200);
      expect(res.body).toMatchObject({
        status: target.status,
        statusChangedAt: null,
        nextCheckDue: tokyoTodayPlusMonths({ monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 }[target.frequency]!),
      });
      expect(res.body.lastCheckedAt).toEqual(expect.any(String));
      expect(await auditCount('control.check', target.id)).toBe(1);
      await request(t.http).post(`/api/v1/controls/${target.id}/checks`).set(asStaff).send({}).expect(403);
    });
  });

  describe('evidence', () => {
    let target: Control;
    const upload = (as: Bearer, bytes: Buffer, filename: string, note?: string, contentType = 'application/octet-stream') => {
      const req = request(t.http).post(`/api/v1/controls/${target.id}/evidence`).set(as);
      if (note) void req.field('note', note);
      return req.attach('file', bytes, { filename, contentType });
    };
    const download = (as: Bearer, evidenceId: string) =>
      request(t.http).get(`/api/v1/controls/${target.id}/evidence/${evidenceId}/content`).set(as).buffer(true).parse(binary);
    const evidenceCount = (): Promise<number> => t.dataSource.getRepository(ControlEvidence).count();

    beforeAll(async () => {
      target = await control('5-01');
    });

    it('stores a PDF in PostgreSQL with its SHA-256, lists it without content, and downloads the same bytes (audited)', async () => {
      const res = await upload(asOfficer, PDF, '研修記録.pdf', '令和5年度 研修実施記録', 'application/pdf').expect(201);
      expect(res.body).toMatchObject({
        controlId: target.id,
        fileName: '研修記録.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        sha256: sha256(PDF),
        note: '令和5年度 研修実施記録',
        uploadedById: officer.staff.id,
        uploadedBy: { id: officer.staff.id, employeeNumber: officer.staff.employeeNumber, familyName: '山田', givenName: '花子' },
        storage: 'database',
      });
      const row = await t.dataSource
        .getRepository(ControlEvidence)
        .createQueryBuilder('e')
        .addSelect('e.content')
        .where('e.id = :id', { id: res.body.id })
        .getOneOrFail();
      expect(row.storagePath).toBeNull();
      expect(Buffer.compare(row.content!, PDF)).toBe(0);

      const listed = await request(t.http).get(`/api/v1/controls/${target.id}/evidence`).set(asAuditor).expect(200);
      expect(listed.body.total).toBe(1);
      expect(listed.body.items[0]).toMatchObject({
        id: res.body.id,
        sha256: sha256(PDF),
        uploadedBy: { id: officer.staff.id, familyName: '山田', givenName: '花子' },
      });
      expect(listed.body.items[0]).not.toHaveProperty('content');

      const got = await download(asAuditor, res.body.id as string).expect(200);
      expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-disposition']).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('研修記録.pdf')}`);

      const created = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'control_evidence.create', entityId: res.body.id });
      expect(created.changes).toMatchObject({
        sha256: { after: sha256(PDF) },
        size: { after: PDF.length },
        contentType: { after: 'application/pdf' },
        fileName: { after: '研修記録.pdf' },
      });
      expect(JSON.stringify(created.changes)).not.toContain('PDF-1.4');
      expect(await auditCount('control_evidence.download', res.body.id as string)).toBe(1);
    });

    it('accepts UTF-8 text and CSV and a PNG named .png; an auditor reads evidence but adds none (independence)', async () => {
      const refused = await upload(asAuditor, TEXT, '点検記録.txt').expect(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['security_officer', 'ciso', 'admin'] });
      const text = await upload(asOfficer, TEXT, '点検記録.txt').expect(201);
      expect(text.body).toMatchObject({ contentType: 'text/plain; charset=utf-8', sha256: sha256(TEXT) });
      const got = await download(asOfficer, text.body.id as string).expect(200);
      expect(Buffer.compare(got.body as Buffer, TEXT)).toBe(0);
      const csv = await upload(asOfficer, Buffer.from('\ufeff日付,結果\n2023-04-10,異常なし\n'), 'checks.csv', undefined, 'text/csv').expect(201);
      expect(csv.body.contentType).toBe('text/csv; charset=utf-8');
      const png = await upload(asOfficer, PNG, 'screen.png', undefined, 'image/png').expect(201);
      expect(png.body.contentType).toBe('image/png');
    });

    it('refuses a PNG named .pdf (415 naming file): the bytes decide the type and the name must agree', async () => {
      const before = await evidenceCount();
      const res = await upload(asOfficer, PNG, 'report.pdf', undefined, 'application/pdf').expect(415);
      expect(fieldsOf(res.body)).toEqual(['file']);
      expect(res.body.detail).toMatch(/PNG image.*\.pdf/);
      expect(await evidenceCount()).toBe(before);
    });

    it('refuses an executable or other binary (415), an oversize file (413), a missing file (400), and staff (403)', async () => {
      const before = await evidenceCount();
      const audits = await auditCount('control_evidence.create');
      for (const name of ['setup.exe', 'setup.pdf', 'setup']) {
        const res = await upload(asOfficer, EXE, name, undefined, 'application/pdf').expect(415);
        expect(res.body.code).toBe('EVIDENCE_TYPE_NOT_ALLOWED');
        expect(fieldsOf(res.body)).toEqual(['file']);
      }
      // a ZIP that is not an Office document
      await upload(asOfficer, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 0)]), 'data.docx').expect(415);
      const big = await upload(asOfficer, Buffer.alloc(MAX_BYTES + 1, 'a'), 'big.txt').expect(413);
      expect(big.body.code).toBe('EVIDENCE_TOO_LARGE');
      expect(fieldsOf(big.body)).toEqual(['file']);
      await upload(asOfficer, Buffer.alloc(MAX_BYTES, 'a'), 'exactly-the-limit.txt').expect(201);
      const missing = await request(t.http).post(`/api/v1/controls/${target.id}/evidence`).set(asOfficer).field('note', 'no file').expect(400);
      expect(fieldsOf(missing.body)).toEqual(['file']);
      await upload(asStaff, PDF, 'x.pdf').expect(403);
      expect(await evidenceCount()).toBe(before + 1);
      expect(await auditCount('control_evidence.create')).toBe(audits + 1);
    });

    it('answers each refusal with its own code, naming file and saying what to do: none, empty, too large, not accepted, misnamed', async () => {
      const before = await evidenceCount();
      const missing = await request(t.http).post(`/api/v1/controls/${target.id}/evidence`).set(asOfficer).field('note', 'no file').expect(400);
      expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'file' }] });
      const empty = await upload(asOfficer, Buffer.alloc(0), 'empty.pdf').expect(400);
      expect(empty.body).toMatchObject({ code: 'EVIDENCE_EMPTY', errors: [{ field: 'file' }] });
      const big = await upload(asOfficer, Buffer.alloc(MAX_BYTES + 1, 'a'), 'big.txt').expect(413);
      expect(big.body).toMatchObject({ code: 'EVIDENCE_TOO_LARGE', maxBytes: MAX_BYTES, errors: [{ field: 'file' }] });
      const exe = await upload(asOfficer, EXE, 'setup.exe').expect(415);
      expect(exe.body).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED', errors: [{ field: 'file' }] });
      expect(exe.body.acceptedExtensions).toEqual(['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx', '.pptx', '.csv', '.txt', '.log', '.md']);
      expect(exe.body).not.toHaveProperty('expectedExtension');
      const misnamed = await upload(asOfficer, PNG, 'screen.pdf').expect(415);
      expect(misnamed.body).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED', expectedExtension: '.png', errors: [{ field: 'file' }] });
      const refusals = [missing, empty, big, exe, misnamed];
      for (const res of refusals) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors).toHaveLength(1);
      }
      // one distinct message each
      expect(new Set(refusals.map((res) => (res.body.errors as { messages: string[] }[])[0]!.messages.join()))).toHaveProperty('size', 5);
      expect(await evidenceCount()).toBe(before);
    });

    it('answers 404 for evidence of another control and for an unknown control', async () => {
      const [one] = (await request(t.http).get(`/api/v1/controls/${target.id}/evidence`).set(asAuditor).expect(200)).body.items as { id: string }[];
      const other = await control('5-02');
      await request(t.http).get(`/api/v1/controls/${other.id}/evidence/${one!.id}/content`).set(asAuditor).expect(404);
      await request(t.http).get('/api/v1/controls/00000000-0000-4000-8000-000000000000/evidence').set(asAuditor).expect(404);
    });

    it('keeps evidence from the rest of the staff: 403 on the list and on the content', async () => {
      const [one] = (await request(t.http).get(`/api/v1/controls/${target.id}/evidence`).set(asAuditor).expect(200)).body.items as { id: string }[];
      const list = await request(t.http).get(`/api/v1/controls/${target.id}/evidence`).set(asStaff).expect(403);
      expect(list.body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['security_officer', 'ciso', 'auditor', 'admin'] });
      await request(t.http).get(`/api/v1/controls/${target.id}/evidence/${one!.id}/content`).set(asStaff).expect(403);
    });
  });

  describe("a control's history on its page", () => {
    /** a page asked for by a browser signed in with this Bearer's token */
    const page = (as: Bearer) => ({ Accept: 'text/html', Cookie: `mamori_at=${as.Authorization.slice('Bearer '.length)}` });
    /** the page's text, without tags, spaces collapsed */
    const textOf = (html: string): string =>
      html
        .replace(/<[^>]+>/g, ' ')
        .replace(/&quot;/g, '"')
        .replace(/\s+/g, ' ');

    it('shows who changed the status, checked it and added evidence, newest first; downloads are not changes', async () => {
      const target = await control('4-03');
      await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ status: 'partial' }).expect(200);
      await request(t.http).patch(`/api/v1/controls/${target.id}`).set(asOfficer).send({ status: 'implemented', reason: '施錠記録を確認した' }).expect(200);
      await request(t.http).post(`/api/v1/controls/${target.id}/checks`).set(asOfficer).send({ note: '鍵の貸出簿を点検' }).expect(200);
      const added = await request(t.http)
        .post(`/api/v1/controls/${target.id}/evidence`)
        .set(asOfficer)
        .attach('file', PDF, { filename: '施錠記録.pdf', contentType: 'application/pdf' })
        .expect(201);
      await request(t.http).get(`/api/v1/controls/${target.id}/evidence/${added.body.id}/content`).set(asAuditor).expect(200);

      const html = (await request(t.http).get(`/controls/${target.id}`).set(page(asAuditor)).expect(200)).text;
      const text = textOf(html);
      expect(text).toContain('変更の履歴');
      const status = text.indexOf('実施状況を「一部実施」から「実施済み」に変更');
      const reason = text.indexOf('理由を「施錠記録を確認した」に変更');
      const check = text.indexOf('点検を記録');
      const evidence = text.indexOf('証跡ファイル「施錠記録.pdf」を登録');
      expect([status, reason, check, evidence].every((at) => at > 0)).toBe(true);
      expect(evidence).toBeLessThan(check); // newest first
      expect(check).toBeLessThan(status);
      expect(text).toContain('メモ：鍵の貸出簿を点検');
      expect(text).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 山田 花子 証跡ファイル「施錠記録.pdf」を登録/);
      expect(text).toContain('山田 花子 実施状況を「一部実施」から「実施済み」に変更');
      // the evidence table names who added each file
      expect(text).toMatch(/施錠記録.pdf.*山田 花子/);
      expect(text).not.toContain('その他の操作'); // the download is not in the history
      expect(text).not.toContain('control_evidence.download');
      const english = textOf((await request(t.http).get(`/controls/${target.id}?lang=en`).set(page(asAuditor)).expect(200)).text);
      expect(english).toContain('山田 花子 Status changed from “Partly implemented” to “Implemented”');
      expect(english).toContain('Evidence file “施錠記録.pdf” added');

      // a plain member of staff sees the control, but not who changed it
      const forStaff = textOf((await request(t.http).get(`/controls/${target.id}`).set(page(asStaff)).expect(200)).text);
      expect(forStaff).toContain('4-03');
      expect(forStaff).not.toContain('変更の履歴');
      expect(forStaff).not.toContain('山田 花子');
    });

    it("reads one control's rows only, newest first, at most the limit, and says how many there are", async () => {
      const target = await control('4-03');
      const history = t.get(ControlHistoryService);
      const all = await history.history(systemActor(org, 'test'), target.id);
      expect(all.entries.map((e) => e.action)).toEqual(['control_evidence.create', 'control.check', 'control.update', 'control.update', 'control.create']);
      expect(all.entries[0]).toMatchObject({
        actor: { id: officer.staff.id, name: '山田 花子' },
        changes: [{ kind: 'evidence_added', fileName: '施錠記録.pdf' }],
      });
      expect(all.entries[2]!.changes).toEqual(
        expect.arrayContaining([
          { kind: 'status', from: 'partial', to: 'implemented' },
          { kind: 'reason', to: '施錠記録を確認した' },
        ]),
      );
      expect(all.entries[4]).toMatchObject({ actor: { id: null, name: null }, changes: [{ kind: 'added_to_catalogue' }] });
      const newest = await history.history(systemActor(org, 'test'), target.id, 2);
      expect(newest).toMatchObject({ total: 5, limit: 2 });
      expect(newest.entries.map((e) => e.id)).toEqual(all.entries.slice(0, 2).map((e) => e.id));
      // another control's history holds none of these
      const other = await control('4-04');
      expect((await history.history(systemActor(org, 'test'), other.id)).entries.map((e) => e.action)).toEqual(['control.create']);

      // the page shows the newest 20 and says so, with the way to the rest
      for (let i = 0; i < 21; i++) await request(t.http).post(`/api/v1/controls/${other.id}/checks`).set(asOfficer).send({}).expect(200);
      const html = (await request(t.http).get(`/controls/${other.id}`).set(page(asAuditor)).expect(200)).text;
      expect(textOf(html)).toContain('新しい 20 件だけを表示しています（全 22 件）。 それより前の記録は操作ログで確認できます');
      expect(html).toContain('<a href="/audit-trail">');
      expect(html.match(/<tr>/g)).toHaveLength(1 + 20); // the header row and 20 entries (no evidence table: no evidence yet)
    });
  });

  describe('statement of applicability (shipped catalogue)', () => {
    it('lists the 93 Annex A controls with applicability from the active, applicable controls mapped to them (audited export)', async () => {
      await request(t.http).get('/api/v1/controls/statement-of-applicability.xlsx').set(asStaff).expect(403);
      const exports = await auditCount('controls.export');
      // the English workbook keeps the codes (`yes`, `implemented`); Japanese is the default (next test)
      const res = await request(t.http).get('/api/v1/controls/statement-of-applicability.xlsx?lang=en').set(asAuditor).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toBe('attachment; filename="statement-of-applicability.xlsx"');
      expect(await auditCount('controls.export')).toBe(exports + 1);

      const workbook = await loadWorkbook(res.body as Buffer);
      const soa = workbook.getWorksheet('SoA')!;
      expect(soa.rowCount).toBe(1 + 93);
      expect(soa.getRow(1).font?.bold).toBe(true);
      expect(soa.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const rows = new Map<string, { applicable: string; controls: string; justification: string }>();
      soa.eachRow((row, n) => {
        if (n > 1)
          rows.set(String(row.getCell(1).value), {
            applicable: String(row.getCell(4).value),
            controls: String(row.getCell(5).value ?? ''),
            justification: String(row.getCell(7).value ?? ''),
          });
      });
      expect(String(soa.getRow(2).getCell(1).value)).toBe('A.5.1');
      expect(String(soa.getRow(94).getCell(1).value)).toBe('A.8.34');

      const active = (await t.dataSource.getRepository(Control).findBy({ organizationId: org })).filter((c) => !c.retiredAt);
      for (const [id, row] of rows) {
        const mapped = active.filter((c) => c.mappings.iso27001.includes(id));
        expect([id, row.applicable]).toEqual([id, mapped.some((c) => c.status !== 'not_applicable') ? 'yes' : 'no']);
        expect(row.controls).toBe(mapped.map((c) => c.code).join(', '));
      }
      expect([...rows.values()].some((r) => r.applicable === 'no')).toBe(true);
      const controlsSheet = workbook.getWorksheet('Controls')!;
      expect(controlsSheet.rowCount).toBe(1 + active.length);
      expect(controlsSheet.getRow(1).values).toEqual([
        undefined,
        'Code',
        'Chapter',
        'Title',
        'Title (English)',
        'Status',
        'Reason',
        'Next check due',
        'ISO/IEC 27001:2022',
        'NIST CSF 2.0',
      ]);
    });
  });

  describe("statement of applicability in the reader's language", () => {
    it('is Japanese by default: sheet names, headers, yes/no, statuses and chapters as the Japanese pages write them; dates are real dates', async () => {
      const c = await control('1-03');
      await request(t.http).patch(`/api/v1/controls/${c.id}`).set(asOfficer).send({ status: 'not_applicable', reason: '小規模のため' }).expect(200);
      const res = await request(t.http).get('/api/v1/controls/statement-of-applicability.xlsx').set(asAuditor).buffer(true).parse(binary).expect(200);
      const workbook = await loadWorkbook(res.body as Buffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['適用宣言書', '管理策一覧']);
      const soa = workbook.getWorksheet('適用宣言書')!;
      expect(soa.rowCount).toBe(1 + 93);
      expect(soa.getRow(1).values).toEqual([undefined, '番号', '名称（附属書A）', '分類', '適用', '対応する管理策', '実施状況', '理由']);
      const values = new Set<string>();
      soa.eachRow((row, n) => {
        if (n > 1) values.add(String(row.getCell(4).value));
      });
      expect([...values].sort()).toEqual(['いいえ', 'はい']);
      expect(String(soa.getRow(2).getCell(3).value)).toBe('組織的管理策');
      const sheet = workbook.getWorksheet('管理策一覧')!;
      expect(sheet.getRow(1).values).toEqual([
        undefined,
        '番号',
        '章',
        '名称',
        '名称（英語）',
        '実施状況',
        '理由',
        '次回点検日',
        'ISO/IEC 27001:2022',
        'NIST CSF 2.0',
      ]);
      const rows = new Map<string, ExcelJS.Row>();
      sheet.eachRow((row, n) => {
        if (n > 1) rows.set(String(row.getCell(1).value), row);
      });
      const row = rows.get('1-03')!;
      expect(String(row.getCell(2).value)).toBe('1 組織体制');
      expect(String(row.getCell(5).value)).toBe('適用除外');
      expect(String(row.getCell(6).value)).toBe('小規模のため');
      const due = row.getCell(7);
      expect(due.value).toBeInstanceOf(Date);
      expect(due.numFmt).toBe('yyyy"年"m"月"d"日"');
      expect((due.value as Date).toISOString().slice(0, 10)).toBe((await control('1-03')).nextCheckDue);
      const statuses = new Set([...rows.values()].map((r) => String(r.getCell(5).value)));
      expect([...statuses].every((status) => ['未実施', '一部実施', '実施済み', '適用除外'].includes(status))).toBe(true);

      // English on request, with English dates
      const en = await loadWorkbook(
        (await request(t.http).get('/api/v1/controls/statement-of-applicability.xlsx?lang=en').set(asAuditor).buffer(true).parse(binary).expect(200))
          .body as Buffer,
      );
      expect(en.worksheets.map((s) => s.name)).toEqual(['SoA', 'Controls']);
      expect(en.getWorksheet('Controls')!.getColumn(7).numFmt).toBe('d mmmm yyyy');
    });
  });

  describe('coverage against a hand-counted fixture (test/fixtures/policies-coverage)', () => {
    let fixtureOrg: string;
    let asCiso: Bearer;
    let asFixtureStaff: Bearer;

    beforeAll(async () => {
      fixtureOrg = await testOrganization(t, 'coverage-town');
      asCiso = await signedIn(t, await createPerson(t, fixtureOrg, { roles: ['ciso'] }));
      asFixtureStaff = await signedIn(t, await createPerson(t, fixtureOrg));
    });

    it('loads the fixture with its framework items (7 ISO items + 5 CSF subcategories; functions and categories are not items)', async () => {
      const result = await t.get(PoliciesSyncService).sync(systemActor(fixtureOrg, 'test'), { root: COVERAGE_FIXTURE });
      expect(result).toEqual({
        dryRun: false,
        policies: { created: 0, newDrafts: 0, unchanged: 0 },
        controls: { created: 6, updated: 0, unchanged: 0, retired: 0 },
        frameworks: { created: 7 + 5, updated: 0, unchanged: 0 },
        // the fixture has no indicators.yaml: nothing to load
        indicators: { created: 0, updated: 0, unchanged: 0, retired: 0 },
      });
      const before = await request(t.http).get('/api/v1/controls/coverage').set(asCiso).expect(200);
      expect(before.body.byFramework).toEqual([
        { framework: 'iso27001', items: 7, covered: 6, implemented: 0, coveredRate: 0.8571, implementedRate: 0 }, // all but A.8.2 mapped
        { framework: 'nistCsf', items: 5, covered: 5, implemented: 0, coveredRate: 1, implementedRate: 0 },
      ]);
    });

    it('counts chapters and framework coverage as counted by hand', async () => {
      const set = async (code: string, body: Record<string, string>): Promise<void> => {
        const c = await control(code, fixtureOrg);
        await request(t.http).patch(`/api/v1/controls/${c.id}`).set(asCiso).send(body).expect(200);
      };
      await set('1-01', { status: 'implemented' });
      await set('1-02', { status: 'partial' });
      await set('1-03', { status: 'not_applicable', reason: '職務を分離する規模の組織ではない' });
      // 5-01 stays not_implemented
      await set('6-01', { status: 'implemented' });
      await set('6-02', { status: 'implemented' });
      // retire 6-02 (the last entry) by syncing the fixture without it
      const root = mkdtempSync(join(tmpdir(), 'mamori-coverage-'));
      tmpDirs.push(root);
      cpSync(COVERAGE_FIXTURE, root, { recursive: true });
      const yaml = readFileSync(join(root, 'controls.yaml'), 'utf8');
      writeFileSync(join(root, 'controls.yaml'), yaml.slice(0, yaml.indexOf('  - id: "6-02"')));
      const resync = await t.get(PoliciesSyncService).sync(systemActor(fixtureOrg, 'test'), { root });
      expect(resync.controls).toEqual({ created: 0, updated: 0, unchanged: 5, retired: 1 });
      const retired = await control('6-02', fixtureOrg);
      const refused = await request(t.http).patch(`/api/v1/controls/${retired.id}`).set(asCiso).send({ status: 'partial' }).expect(409);
      expect(refused.body.code).toBe('CONTROL_RETIRED');

      const res = await request(t.http).get('/api/v1/controls/coverage').set(asFixtureStaff).expect(200);
      // Active controls: 1-01 implemented, 1-02 partial, 1-03 not_applicable, 5-01 not_implemented,
      // 6-01 implemented (6-02 is retired and counts nowhere).
      // Chapter rate = implemented ÷ applicable (controls − not_applicable):
      //   ch1: 3 controls, 1 implemented, 1 partial, 1 n/a → 1 ÷ 2 = 0.5
      //   ch5: 1 control, not implemented → 0 ÷ 1 = 0
      //   ch6: 1 control (6-01), implemented → 1 ÷ 1 = 1
      expect(res.body.byChapter).toEqual([
        { chapter: 1, controls: 3, implemented: 1, partial: 1, notImplemented: 0, notApplicable: 1, implementedRate: 0.5 },
        { chapter: 5, controls: 1, implemented: 0, partial: 0, notImplemented: 1, notApplicable: 0, implementedRate: 0 },
        { chapter: 6, controls: 1, implemented: 1, partial: 0, notImplemented: 0, notApplicable: 0, implementedRate: 1 },
      ]);
      // ISO (7 items):
      //   A.5.1 ← 1-01 implemented            covered, implemented
      //   A.5.2 ← 1-01 implemented, 1-02 partial   covered, implemented
      //   A.5.3 ← 1-03 not_applicable only    not covered
      //   A.6.1 ← 5-01 not_implemented        covered, not implemented
      //   A.7.1 ← 6-02 retired only           not covered
      //   A.8.1 ← 6-01 implemented            covered, implemented
      //   A.8.2 ← nothing                     not covered
      //   → covered 4 (4/7 = 0.5714), implemented 3 (3/7 = 0.4286)
      // CSF (5 subcategories):
      //   GV.OC-01 ← 1-01 implemented         covered, implemented
      //   GV.OC-02 ← 1-03 not_applicable      not covered
      //   PR.AA-01 ← 5-01 not_implemented     covered, not implemented
      //   PR.AA-02 ← 6-01 implemented         covered, implemented
      //   PR.AA-03 ← 6-02 retired             not covered
      //   → covered 3 (0.6), implemented 2 (0.4)
      expect(res.body.byFramework).toEqual([
        { framework: 'iso27001', items: 7, covered: 4, implemented: 3, coveredRate: 0.5714, implementedRate: 0.4286 },
        { framework: 'nistCsf', items: 5, covered: 3, implemented: 2, coveredRate: 0.6, implementedRate: 0.4 },
      ]);
    });

    it('exports the fixture statement of applicability with the hand-counted applicable flags', async () => {
      const res = await request(t.http).get('/api/v1/controls/statement-of-applicability.xlsx?lang=en').set(asCiso).buffer(true).parse(binary).expect(200);
      const workbook = await loadWorkbook(res.body as Buffer);
      const soa = workbook.getWorksheet('SoA')!;
      const rows: string[][] = [];
      soa.eachRow((row, n) => {
        if (n > 1) rows.push([1, 4, 5, 6, 7].map((i) => String(row.getCell(i).value ?? '')));
      });
      expect(rows).toEqual([
        ['A.5.1', 'yes', '1-01', 'implemented', ''],
        ['A.5.2', 'yes', '1-01, 1-02', 'implemented, partial', ''],
        ['A.5.3', 'no', '1-03', 'not_applicable', '1-03: 職務を分離する規模の組織ではない'],
        ['A.6.1', 'yes', '5-01', 'not_implemented', ''],
        ['A.7.1', 'no', '', '', ''],
        ['A.8.1', 'yes', '6-01', 'implemented', ''],
        ['A.8.2', 'no', '', '', ''],
      ]);
      const controlsSheet = workbook.getWorksheet('Controls')!;
      const codes: string[] = [];
      controlsSheet.eachRow((row, n) => {
        if (n > 1) codes.push(String(row.getCell(1).value));
      });
      expect(codes).toEqual(['1-01', '1-02', '1-03', '5-01', '6-01']);
    });
  });

  describe('with EVIDENCE_DIR set', () => {
    let t2: TestApp;
    let dir: string;
    let asOfficer2: Bearer;
    let target: Control;

    beforeAll(async () => {
      dir = join(mkdtempSync(join(tmpdir(), 'mamori-evidence-')), 'store'); // created on first upload
      tmpDirs.push(dirname(dir));
      t2 = await createTestApp({ env: { EVIDENCE_DIR: dir, EVIDENCE_MAX_BYTES: String(1024 * 1024) } });
      const org2 = await testOrganization(t2);
      await t2.get(PoliciesSyncService).sync(systemActor(org2, 'test'), { root: COVERAGE_FIXTURE });
      asOfficer2 = await signedIn(t2, await createPerson(t2, org2, { roles: ['admin'] }));
      target = await t2.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org2, code: '1-01' });
    });
    afterAll(async () => {
      delete process.env.EVIDENCE_DIR;
      await t2.close();
    });

    it('writes the bytes to the folder under their SHA-256, not to PostgreSQL, and reads them back', async () => {
      const res = await request(t2.http).post(`/api/v1/controls/${target.id}/evidence`).set(asOfficer2).attach('file', PDF, 'audit.pdf').expect(201);
      expect(res.body).toMatchObject({ sha256: sha256(PDF), storage: 'directory' });
      const path = join(dir, sha256(PDF));
      expect(existsSync(path)).toBe(true);
      expect(Buffer.compare(readFileSync(path), PDF)).toBe(0);
      const row = await t2.dataSource
        .getRepository(ControlEvidence)
        .createQueryBuilder('e')
        .addSelect('e.content')
        .where('e.id = :id', { id: res.body.id })
        .getOneOrFail();
      expect(row).toMatchObject({ content: null, storagePath: sha256(PDF) });

      // the same bytes again: a second record, one file
      const again = await request(t2.http).post(`/api/v1/controls/${target.id}/evidence`).set(asOfficer2).attach('file', PDF, 'audit-copy.pdf').expect(201);
      expect(again.body.sha256).toBe(res.body.sha256);

      const got = await request(t2.http)
        .get(`/api/v1/controls/${target.id}/evidence/${res.body.id}/content`)
        .set(asOfficer2)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);

      // a file changed behind Mamori's back is not served
      writeFileSync(path, Buffer.concat([PDF, Buffer.from('tampered')]));
      const damaged = await request(t2.http).get(`/api/v1/controls/${target.id}/evidence/${res.body.id}/content`).set(asOfficer2).expect(500);
      expect(damaged.body.code).toBe('EVIDENCE_CONTENT_UNAVAILABLE');
    });

    it('accepts an Office document by its parts and refuses one named as another kind', async () => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('点検').addRow(['2023-04-10', '異常なし']);
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
      const ok = await request(t2.http).post(`/api/v1/controls/${target.id}/evidence`).set(asOfficer2).attach('file', xlsx, 'checklist.xlsx').expect(201);
      expect(ok.body.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const refused = await request(t2.http).post(`/api/v1/controls/${target.id}/evidence`).set(asOfficer2).attach('file', xlsx, 'checklist.docx').expect(415);
      expect(refused.body.detail).toMatch(/Excel workbook.*\.docx/);
    });
  });
});
