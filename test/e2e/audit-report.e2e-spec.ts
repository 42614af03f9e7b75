import ExcelJS from 'exceljs';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { FindingsService } from '../../src/findings/findings.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Result = 'conformant' | 'observation' | 'minor_nonconformity' | 'major_nonconformity' | 'not_applicable';
interface Item {
  id: string;
  controlCode: string;
  chapter: number;
  departmentId: string;
}
interface Figures {
  items: number;
  answered: number;
  applicable: number;
  rate: number | null;
  byResult: Record<Result, number>;
}

/**
 * The known mix of answers: chapter → department → the results of its five controls in code order.
 * By hand: chapter 1: (7 conformant + 1 observation) ÷ (10 − 1 n/a) = 8/9; chapter 2: (4 + 2) ÷ (10 − 2) = 6/8;
 * SOMU: (5 + 2) ÷ (10 − 1) = 7/9; ZEIMU: (6 + 1) ÷ (10 − 2) = 7/8; overall (11 + 3) ÷ (20 − 3) = 14/17.
 */
const MIX: Record<number, Record<'somu' | 'zeimu', Result[]>> = {
  1: {
    somu: ['conformant', 'conformant', 'observation', 'minor_nonconformity', 'not_applicable'],
    zeimu: ['conformant', 'conformant', 'conformant', 'conformant', 'conformant'],
  },
  2: {
    somu: ['conformant', 'major_nonconformity', 'observation', 'conformant', 'conformant'],
    zeimu: ['not_applicable', 'not_applicable', 'minor_nonconformity', 'conformant', 'observation'],
  },
};

/** Issue 11: the audit report (by chapter, by department, overall), its workbook, the CISO's acceptance on the page, the trend. */
describe('audit report: conformance by chapter and department, findings and actions, the workbook, acceptance, the trend', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let zeimu: Department;
  let officer: TestPerson;
  let auditor: TestPerson;
  let ciso: TestPerson;
  let somuManager: TestPerson;
  let assignee: TestPerson;
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
  const form = (person: TestPerson, path: string, fields: Record<string, string>) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const binary = (test: request.Test) =>
    test.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const expectFigures = (figures: Figures, expected: { items: number; applicable: number; rate: number; byResult: Record<Result, number> }) => {
    expect(figures).toMatchObject({ items: expected.items, answered: expected.items, applicable: expected.applicable, byResult: expected.byResult });
    expect(figures.rate).toBeCloseTo(expected.rate, 10);
  };
  const counts = (conformant: number, observation: number, minor: number, major: number, na: number): Record<Result, number> => ({
    conformant,
    observation,
    minor_nonconformity: minor,
    major_nonconformity: major,
    not_applicable: na,
  });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'audit-report-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課', nameEn: 'General Affairs' });
    zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課', nameEn: 'Taxation' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    auditor = await createPerson(t, org, { roles: ['auditor'], departmentId: joho.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: joho.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    assignee = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    for (const person of [officer, auditor, ciso, somuManager, assignee]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
  });
  afterAll(() => t.close());

  it('reports an internal audit of 2 chapters × 2 departments: the rates by hand, the findings with actions, the workbook, the acceptance on the page, the trend', async () => {
    // plan, start: 5 + 5 controls × 2 departments
    const planned = await as(officer)
      .post('/api/v1/audits')
      .send({
        fiscalYear: fy,
        kind: 'internal_audit',
        title: '情報セキュリティ内部監査',
        scope: { chapters: [1, 2], departmentIds: [somu.id, zeimu.id] },
        leadAuditorId: auditor.staff.id,
        plannedStart: tokyoToday(),
        plannedEnd: addDays(tokyoToday(), 20),
      })
      .expect(201);
    const id = planned.body.id as string;
    expect((await as(officer).post(`/api/v1/audits/${id}/start`).expect(200)).body.checklistItems).toBe(20);
    const items = (await as(auditor).get(`/api/v1/audits/${id}/checklist?pageSize=100`).expect(200)).body.items as Item[];
    expect(items).toHaveLength(20);

    // answer the known mix
    for (const chapter of [1, 2]) {
      for (const [key, department] of [
        ['somu', somu],
        ['zeimu', zeimu],
      ] as const) {
        const mine = items.filter((i) => i.chapter === chapter && i.departmentId === department.id).sort((a, b) => a.controlCode.localeCompare(b.controlCode));
        expect(mine).toHaveLength(5);
        for (const [n, item] of mine.entries()) {
          const result = MIX[chapter]![key][n]!;
          await as(auditor)
            .put(`/api/v1/audits/${id}/checklist/${item.id}`)
            .send({ result, ...(result === 'conformant' ? {} : { note: `${item.controlCode} ${department.name}: ${result}` }) })
            .expect(200);
        }
      }
    }
    // a finding raised by hand against the audit (no checklist item), and an action planned, done and verified on one of the checklist's
    await t
      .get(UnitOfWork)
      .run(actorOf(officer), (tx) =>
        t
          .get(FindingsService)
          .raise(tx, { source: 'audit', sourceId: id }, { title: '監査記録の保管場所が未定', severity: 'low', ownerDepartmentId: zeimu.id, controlIds: [] }),
      );
    const major = items.filter((i) => i.chapter === 2 && i.departmentId === somu.id).sort((a, b) => a.controlCode.localeCompare(b.controlCode))[1]!;
    const majorItem = (await as(auditor).get(`/api/v1/audits/${id}/checklist/${major.id}`).expect(200)).body;
    const action = (
      await as(officer)
        .post(`/api/v1/findings/${majorItem.findingId as string}/corrective-actions`)
        .send({ description: '手順書を改訂して周知する', assigneeId: assignee.staff.id, dueDate: addDays(tokyoToday(), 30) })
        .expect(201)
    ).body;
    await as(assignee)
      .patch(`/api/v1/corrective-actions/${action.id as string}`)
      .send({ status: 'done', note: '改訂した' })
      .expect(200);
    await as(auditor)
      .post(`/api/v1/corrective-actions/${action.id as string}/verify`)
      .send({ verified: true, note: '改訂版を確認' })
      .expect(200);
    await as(auditor).post(`/api/v1/audits/${id}/report`).send({ summary: '全体として適切に運用されている。\n手順書の改訂が必要。' }).expect(200);

    // the JSON report: the rates as computed by hand
    const report = (await as(officer).get(`/api/v1/audits/${id}/report`).expect(200)).body;
    expect(report.audit).toMatchObject({ id, status: 'reporting', summary: expect.stringContaining('手順書の改訂') });
    expect(report).toMatchObject({ departmentId: null, leadAuditor: { id: auditor.staff.id, name: '試験 太郎' }, auditors: [], acceptedBy: null });
    expect(report.departments.map((d: { code: string }) => d.code)).toEqual(['SOMU', 'ZEIMU']);
    expectFigures(report.overall, { items: 20, applicable: 17, rate: 14 / 17, byResult: counts(11, 3, 2, 1, 3) });
    expect(report.byChapter.map((c: { chapter: number }) => c.chapter)).toEqual([1, 2]);
    expectFigures(report.byChapter[0], { items: 10, applicable: 9, rate: 8 / 9, byResult: counts(7, 1, 1, 0, 1) });
    expectFigures(report.byChapter[1], { items: 10, applicable: 8, rate: 6 / 8, byResult: counts(4, 2, 1, 1, 2) });
    expect(report.byDepartment.map((d: { departmentCode: string }) => d.departmentCode)).toEqual(['SOMU', 'ZEIMU']);
    expectFigures(report.byDepartment[0], { items: 10, applicable: 9, rate: 7 / 9, byResult: counts(5, 2, 1, 1, 1) });
    expectFigures(report.byDepartment[1], { items: 10, applicable: 8, rate: 7 / 8, byResult: counts(6, 1, 1, 0, 2) });
    // three non-conformities raised three findings, and the one by hand is there too
    expect(report.findings).toHaveLength(4);
    const bySeverity = report.findings.map((f: { severity: string; checklistItemId: string | null }) => `${f.severity}:${f.checklistItemId ? 'item' : 'hand'}`);
    expect(bySeverity.sort()).toEqual(['high:item', 'low:hand', 'medium:item', 'medium:item']);
    const verified = report.findings.find((f: { id: string }) => f.id === majorItem.findingId);
    expect(verified).toMatchObject({
      status: 'verified',
      controlCode: major.controlCode,
      ownerDepartmentName: '総務課',
      actions: [{ description: '手順書を改訂して周知する', assigneeName: '試験 太郎', status: 'verified', dueDate: addDays(tokyoToday(), 30) }],
    });
    // the notes: the 3 observations and 3 non-conformities, each with its note
    expect(report.notes).toHaveLength(6);
    expect(report.notesTotal).toBe(6);
    expect(report.notes.find((n: { itemId: string }) => n.itemId === major.id)).toMatchObject({
      result: 'major_nonconformity',
      note: `${major.controlCode} 総務課: major_nonconformity`,
      findingReference: verified.reference,
    });

    // a manager of a department in scope sees their department only
    const own = (await as(somuManager).get(`/api/v1/audits/${id}/report`).expect(200)).body;
    expect(own.departmentId).toBe(somu.id);
    expect(own.byDepartment).toHaveLength(1);
    expectFigures(own.overall, { items: 10, applicable: 9, rate: 7 / 9, byResult: counts(5, 2, 1, 1, 1) });
    expect(own.findings.every((f: { ownerDepartmentId: string }) => f.ownerDepartmentId === somu.id)).toBe(true);
    expect(own.findings).toHaveLength(2);
    await as(assignee).get(`/api/v1/audits/${id}/report`).expect(403);
    await as(officer).get('/api/v1/audits/00000000-0000-4000-8000-000000000000/report').expect(404);

    // the workbook, parsed back: the same figures, the findings with their actions, every item
    const file = await binary(as(officer).get(`/api/v1/audits/${id}/report.xlsx`)).expect(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    expect(file.headers['content-disposition']).toContain(`audit-report-${planned.body.reference as string}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['概要', '章別', '課・室別', '指摘事項', '監査項目']);
    const summary = new Map<string, unknown>();
    workbook.getWorksheet('概要')!.eachRow((row) => summary.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(summary.get('監査')).toBe(`${planned.body.reference as string} 情報セキュリティ内部監査`);
    expect(summary.get('年度')).toMatch(new RegExp(`^令和\\d+年度（${fy}年度）$`));
    expect(summary.get('状態')).toBe('報告（承認待ち）');
    expect(summary.get('対象の課・室')).toBe('総務課、税務課');
    expect(summary.get('主任監査人')).toBe('試験 太郎');
    expect(summary.get('適合率（全体）') as number).toBeCloseTo(14 / 17, 10);
    expect(summary.get('監査の要旨（監査人の所見）')).toContain('手順書の改訂が必要');
    expect(summary.get('開始予定日')).toBeInstanceOf(Date);
    const rowsOf = (name: string) => {
      const rows: unknown[][] = [];
      // an empty text is an empty cell in the streamed workbook: read as ''
      workbook.getWorksheet(name)!.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (value) => value ?? '')));
      return rows;
    };
    const chapters = rowsOf('章別');
    expect(chapters[0]).toEqual(['章', '項目数', '回答済み', '適合', '観察事項', '軽微な不適合', '重大な不適合', '該当なし', '適用項目', '適合率']);
    expect(chapters.slice(1).map((r) => r.slice(1, 9))).toEqual([
      [10, 10, 7, 1, 1, 0, 1, 9],
      [10, 10, 4, 2, 1, 1, 2, 8],
      [20, 20, 11, 3, 2, 1, 3, 17],
    ]);
    expect(chapters.map((r) => r[0])).toEqual(['章', '1 組織体制', '2 情報資産の分類と管理', '合計']);
    expect(chapters[1]![9] as number).toBeCloseTo(8 / 9, 10);
    expect(chapters[2]![9] as number).toBeCloseTo(0.75, 10);
    expect(chapters[3]![9] as number).toBeCloseTo(14 / 17, 10);
    const departments = rowsOf('課・室別');
    expect(departments.slice(1).map((r) => [r[0], r[1], r[10]])).toEqual([
      ['SOMU', '総務課', expect.closeTo(7 / 9, 10)],
      ['ZEIMU', '税務課', expect.closeTo(7 / 8, 10)],
      ['', '合計', expect.closeTo(14 / 17, 10)],
    ]);
    const findings = rowsOf('指摘事項');
    expect(findings).toHaveLength(1 + 4); // one row per action; a finding without one, a row of its own
    const actionRow = findings.find((r) => r[0] === verified.reference)!;
    expect(actionRow.slice(3, 8)).toEqual(['高', '確認済み', '総務課', major.controlCode, '監査項目から起票']);
    expect(actionRow.slice(9, 11)).toEqual(['手順書を改訂して周知する', '試験 太郎']);
    expect(actionRow[12]).toBe('確認済み');
    expect(findings.find((r) => r[1] === '監査記録の保管場所が未定')!.slice(3, 10)).toEqual([
      '低',
      '未対応',
      '税務課',
      '',
      '手動で起票',
      expect.any(Date),
      '是正措置なし',
    ]);
    const checklist = rowsOf('監査項目');
    expect(checklist).toHaveLength(1 + 20);
    expect(checklist.filter((r) => r[5] === '適合')).toHaveLength(11);
    expect(checklist.find((r) => r[0] === major.controlCode && r[3] === 'SOMU')!.slice(5, 7)).toEqual([
      '重大な不適合',
      `${major.controlCode} 総務課: major_nonconformity`,
    ]);
    const english = await binary(as(officer).get(`/api/v1/audits/${id}/report.xlsx?lang=en`)).expect(200);
    const en = new ExcelJS.Workbook();
    await en.xlsx.load(english.body as unknown as ArrayBuffer);
    expect(en.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'By chapter', 'By department', 'Findings', 'Checklist']);
    const exports = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE action = 'audit.report_export' AND entity_id = $1`, [id])) as {
      n: number;
    }[];
    expect(exports[0]!.n).toBe(2);

    // the page: everything on one printable page, the workbook link; the CISO's form refuses a return without a note, then accepts
    const office = await page(officer, `/audits/${id}/report`).expect(200);
    const text = words(office.text);
    expect(text).toContain('監査報告');
    expect(text).toContain('88.9%'); // chapter 1: 8/9
    expect(text).toContain('75.0%'); // chapter 2
    expect(text).toContain('82.4%'); // overall 14/17
    expect(text).toContain('手順書を改訂して周知する');
    expect(text).toContain('適合率 ＝（適合 ＋ 観察事項）÷（回答済み − 該当なし）');
    expect(office.text).toContain(`href="/audits/${id}/report.xlsx"`);
    expect(office.text).not.toContain('name="decision"'); // only the CISO answers
    // findings open their page; the planned dates read 〜; no department codes under the names
    expect(office.text).toContain(`<a href="/findings/${verified.id}">${verified.reference}</a>`);
    expect(text).toMatch(/\d+年\d+月\d+日 ?〜 ?\d+年\d+月\d+日/);
    expect(text).not.toContain('SOMU');
    // a malformed address: the error page's 400, like the other pages
    await page(officer, '/audits/not-a-uuid/report').expect(400);
    const asCiso = await page(ciso, `/audits/${id}/report`).expect(200);
    expect(asCiso.text).toContain(`action="/audits/${id}/report/acceptance"`);
    const refused = await form(ciso, `/audits/${id}/report/acceptance`, { decision: 'return', note: ' ' }).expect(400);
    expect(refused.text).toContain('error-summary');
    expect(words(refused.text)).toContain('差し戻すときは、何をすべきかをコメントに書いてください。');
    expect(refused.text).toContain('value="return" checked');
    const none = await form(ciso, `/audits/${id}/report/acceptance`, {}).expect(400);
    expect(words(none.text)).toContain('承認するか差し戻すかを選んでください');
    const accepted = await form(ciso, `/audits/${id}/report/acceptance`, { decision: 'accept', note: '承認する' }).expect(303);
    expect(accepted.headers.location).toBe(`/audits/${id}/report`);
    const closed = (await as(officer).get(`/api/v1/audits/${id}`).expect(200)).body;
    expect(closed).toMatchObject({ status: 'closed', acceptedById: ciso.staff.id, acceptanceNote: '承認する' });
    const after = await page(ciso, `/audits/${id}/report`).set(
      'Cookie',
      `mamori_at=${tokens.get(ciso)}; mamori_csrf=${CSRF}; mamori_flash=notice.auditReportAccepted`,
    );
    expect(words(after.text)).toContain('監査報告を承認しました');
    expect(after.text).not.toContain('name="decision"');
    const again = await form(ciso, `/audits/${id}/report/acceptance`, { decision: 'accept' }).expect(409);
    expect(words(again.text)).toContain('この監査報告は承認待ちではありません');
    const acceptedReport = (await as(ciso).get(`/api/v1/audits/${id}/report`).expect(200)).body;
    expect(acceptedReport.acceptedBy).toEqual({ id: ciso.staff.id, name: '試験 太郎' });

    // the trend: the year's row (not taken for an audit's id)
    const trend = (await as(officer).get('/api/v1/audits/trend').expect(200)).body;
    expect(trend.kind).toBeNull();
    const year = trend.years.find((y: { fiscalYear: number }) => y.fiscalYear === fy);
    expect(year.total).toMatchObject({ kind: null, audits: 1, items: 20, answered: 20, applicable: 17, findingsRaised: 4, findingsVerified: 1 });
    expect(year.total.rate).toBeCloseTo(14 / 17, 10);
    expect(year.byKind).toEqual([{ ...year.total, kind: 'internal_audit' }]);
    expect((await as(ciso).get('/api/v1/audits/trend?kind=self_inspection').expect(200)).body).toEqual({ kind: 'self_inspection', years: [] });
    await as(officer).get('/api/v1/audits/trend?kind=other').expect(400);
    await as(auditor).get('/api/v1/audits/trend').expect(403);
    const trendPage = await page(ciso, '/audits/trend').expect(200);
    expect(words(trendPage.text)).toContain(`${fy}年度`);
    expect(words(trendPage.text)).toContain('82.4%');
    expect(trendPage.text).toContain('<svg');
    expect(trendPage.text).toContain('href="/audits/trend"');
    await page(somuManager, '/audits/trend').expect(403);
  });

  it('exports an audit of 5,000 items (250 controls × 20 departments) row by row, and caps the notes of the JSON report at 500', async () => {
    // a city of its own: 20 departments, 250 controls (chapters 1–9), its lead auditor; the checklist made by starting the audit
    const city = await testOrganization(t, 'audit-report-city');
    const departments: Department[] = [];
    for (let n = 1; n <= 20; n++) departments.push(await createDepartment(t, city, { code: `K${String(n).padStart(2, '0')}`, name: `第${n}課` }));
    await t.dataSource.query(
      `INSERT INTO controls (organization_id, code, chapter, title, title_en, description, owner_role, frequency, essential, mappings, status, content_hash)
       SELECT $1, (1 + n % 9) || '-X' || lpad(n::text, 3, '0'), 1 + n % 9, '管理策 ' || n, 'Control ' || n, '管理策の内容 ' || n,
              'security_officer', 'yearly', true, '{"iso27001": [], "nistCsf": []}'::jsonb, 'implemented', md5(n::text) || md5(n::text)
         FROM generate_series(1, 250) n`,
      [city],
    );
    const lead = await createPerson(t, city, { roles: ['security_officer'] });
    tokens.set(lead, (await signIn(t, lead)).accessToken);
    const planned = await as(lead)
      .post('/api/v1/audits')
      .send({
        fiscalYear: fy,
        kind: 'internal_audit',
        title: '全庁監査',
        scope: { departmentIds: departments.map((d) => d.id) },
        leadAuditorId: lead.staff.id,
        plannedStart: tokyoToday(),
        plannedEnd: addDays(tokyoToday(), 20),
      })
      .expect(201);
    const id = planned.body.id as string;
    expect((await as(lead).post(`/api/v1/audits/${id}/start`).expect(200)).body.checklistItems).toBe(5_000);
    // answered in one statement, in their order: of every ten, 6 conformant, an observation, a minor non-conformity, one not applicable, one unanswered
    await t.dataSource.query(
      `WITH ranked AS (SELECT id, row_number() OVER (ORDER BY control_code, department_code, id) % 10 AS k FROM audit_checklist_items WHERE audit_id = $1)
       UPDATE audit_checklist_items i
          SET result = (ARRAY['conformant','conformant','conformant','conformant','conformant','conformant','observation','minor_nonconformity','not_applicable'])[r.k + 1],
              note = CASE WHEN r.k >= 6 AND r.k <= 8 THEN '所見 ' || i.control_code || ' ' || i.department_code END,
              answered_by_id = $2, answered_at = now()
         FROM ranked r WHERE r.id = i.id AND r.k < 9`,
      [id, lead.staff.id],
    );

    // the JSON report: the figures of all 5,000 items, the first 500 of the 1,000 notes, and how many there are
    const report = (await as(lead).get(`/api/v1/audits/${id}/report`).expect(200)).body;
    expect(report.overall).toMatchObject({ items: 5_000, answered: 4_500, applicable: 4_000, byResult: counts(3_000, 500, 500, 0, 500) });
    expect(report.overall.rate).toBeCloseTo(3_500 / 4_000, 10);
    expect(report.notes).toHaveLength(500);
    expect(report.notesTotal).toBe(1_000);
    const keys = report.notes.map((n: { controlCode: string }) => n.controlCode);
    expect(keys).toEqual([...keys].sort());
    const onPage = words((await page(lead, `/audits/${id}/report`).expect(200)).text);
    expect(onPage).toContain('観察事項・不適合の監査項目 1000件');
    expect(onPage).toContain('ほか 500 件は Excel に出力されます');

    // the workbook: every item on its sheet, in order, and the same figures as the report
    const file = await binary(as(lead).get(`/api/v1/audits/${id}/report.xlsx`)).expect(200);
    expect(file.headers['content-disposition']).toContain(`audit-report-${planned.body.reference as string}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const summary = new Map<string, unknown>();
    workbook.getWorksheet('概要')!.eachRow((row) => summary.set(String(row.getCell(1).value), row.getCell(2).value));
    expect([summary.get('項目数'), summary.get('回答済み'), summary.get('観察事項'), summary.get('適用項目')]).toEqual([5_000, 4_500, 500, 4_000]);
    expect(summary.get('適合率（全体）') as number).toBeCloseTo(0.875, 10);
    const sheet = workbook.getWorksheet('監査項目')!;
    expect(sheet.rowCount).toBe(1 + 5_000);
    const results = new Map<string, number>();
    const order: string[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const result = String(row.getCell(6).value);
      results.set(result, (results.get(result) ?? 0) + 1);
      order.push(`${String(row.getCell(1).value)} ${String(row.getCell(4).value)}`);
    });
    expect(Object.fromEntries(results)).toEqual({ 適合: 3_000, 観察事項: 500, 軽微な不適合: 500, 該当なし: 500, 未回答: 500 });
    expect(new Set(order).size).toBe(5_000); // no item twice across the batches
    expect(order).toEqual([...order].sort());
    const [trail] = (await t.dataSource.query(
      `SELECT changes -> '@context' -> 'after' AS context FROM audit_trail WHERE action = 'audit.report_export' AND entity_id = $1`,
      [id],
    )) as { context: { items: number; findings: number } }[];
    expect(trail!.context).toMatchObject({ items: 5_000, findings: 0 });
  });
});
