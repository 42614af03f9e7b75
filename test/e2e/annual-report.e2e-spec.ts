import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { ANNUAL_REPORT_COMMAND } from '../../src/indicators/annual-report.command.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A moment in Asia/Tokyo. */
const jst = (local: string): string => new Date(`${local}+09:00`).toISOString();

interface Indicator {
  code: string;
  target: number | null;
  value: number | null;
  status: string;
  frozen: boolean;
  changedSinceClose: boolean;
  currentValue: number | null;
  previousValue: number | null;
  previousStatus: string;
}

/** A binary body (xlsx) as a Buffer. */
const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

/**
 * Issue 13, the CIO's annual report: a small FY2021/FY2022 fixture computed by hand, the report as
 * JSON, XLSX and CSV (with BOM) parsed back, FY2021 closed by the CISO (frozen values, the hash, the
 * records changed since the close), refusals (400 naming the field, 403 for staff), the CLI.
 *
 * FY2022 e-learning: 4 enrolled, 1 exempt, 2 completed → 2/3 = 66.7% (rounded half up); FY2021: 2
 * enrolled, 1 completed at the close → 50%, then the other completes → 100% now, 50% frozen.
 * Targeted-mail drill FY2022: 3 sent, 1 reported, 1 clicked → 33.3%. Incidents FY2022: L1, L2
 * counted, an L0 near miss apart, a rejected L1 left out.
 */
describe('annual report: GET /api/v1/reports/annual (json, xlsx, csv), the page, the CLI', () => {
  let t: TestApp;
  let org: string;
  const people = {} as Record<'officer' | 'ciso' | 'staff', TestPerson>;
  const bearer = {} as Record<keyof typeof people, string>;
  const learners: TestPerson[] = [];
  let pendingEnrolment: string;
  let closeHash: string;

  const get = (who: keyof typeof people, url: string) => request(t.http).get(url).set('Authorization', `Bearer ${bearer[who]}`);
  const sql = (text: string, params: unknown[] = []) => t.dataSource.query(text, params) as Promise<{ id: string }[]>;
  const report = async (fy: number) => (await get('officer', `/api/v1/reports/annual?fiscalYear=${fy}`).expect(200)).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const byCode = (rows: Indicator[]) => Object.fromEntries(rows.map((row) => [row.code, row]));

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'annual-report-town');
    const department = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    people.officer = await createPerson(t, org, { roles: ['security_officer'] });
    people.ciso = await createPerson(t, org, { roles: ['ciso'] });
    people.staff = await createPerson(t, org, { roles: ['staff'], departmentId: department.id });
    for (const key of Object.keys(people) as (keyof typeof people)[]) bearer[key] = (await signIn(t, people[key])).accessToken;
    for (let i = 0; i < 4; i++) learners.push(await createPerson(t, org, { departmentId: department.id }));
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));

    const course = async (fiscalYear: number, kind: string, title: string, dueOn: string): Promise<string> =>
      (
        await sql(
          `INSERT INTO courses (organization_id, fiscal_year, kind, title, opens_on, due_on, statement, status)
           VALUES ($1, $2, $3, $4, make_date($2, 4, 1), $5, '誓約', 'published') RETURNING id`,
          [org, fiscalYear, kind, title, dueOn],
        )
      )[0]!.id;
    const enrol = async (courseId: string, fiscalYear: number, person: TestPerson, fields: { completedAt?: string; exemptAt?: string } = {}) =>
      (
        await sql(
          `INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, due_on, enrolled_at, completed_at, exempt_at, exemption_reason)
           VALUES ($1, $2, $3, $4, $5, 'publish', (SELECT due_on FROM courses WHERE id = $2), $6, $7, $8, $9) RETURNING id`,
          [
            org,
            courseId,
            fiscalYear,
            person.staff.id,
            person.staff.departmentId,
            jst(`${fiscalYear}-04-05T09:00:00`),
            fields.completedAt ?? null,
            fields.exemptAt ?? null,
            fields.exemptAt ? '長期療養' : null,
          ],
        )
      )[0]!.id;
    const fy22 = await course(2022, 'e_learning', '情報セキュリティ研修2022', '2022-12-31');
    await enrol(fy22, 2022, learners[0]!, { completedAt: jst('2022-06-01T10:00:00') });
    await enrol(fy22, 2022, learners[1]!, { completedAt: jst('2023-03-31T23:59:00') });
    await enrol(fy22, 2022, learners[2]!, { exemptAt: jst('2022-05-01T09:00:00') });
    await enrol(fy22, 2022, learners[3]!);
    const fy21 = await course(2021, 'e_learning', '情報セキュリティ研修2021', '2021-12-31');
    await enrol(fy21, 2021, learners[0]!, { completedAt: jst('2021-06-01T10:00:00') });
    pendingEnrolment = await enrol(fy21, 2021, learners[1]!);
    const mail = await course(2022, 'targeted_mail_drill', '標的型メール訓練2022', '2022-10-31');
    for (const [i, [reported, clicked]] of [
      [true, false],
      [false, true],
      [false, false],
    ].entries())
      await sql(
        `INSERT INTO mail_drill_results (organization_id, course_id, staff_id, sent, opened, clicked, reported, created_at)
         VALUES ($1, $2, $3, true, true, $4, $5, $6)`,
        [org, mail, learners[i]!.staff.id, clicked, reported, jst('2022-10-20T09:00:00')],
      );
    const incident = (reportedAt: string, severity: string | null, status: string, nearMiss = false) =>
      sql(
        `INSERT INTO incidents (organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at, near_miss, status, severity)
         VALUES ($1, $2, 2022, 'staff', '事案', '経緯', $3, $3, $3, $4, $5, $6)`,
        [org, `INC-2022-${randomUUID().slice(0, 6)}`, reportedAt, nearMiss, status, severity],
      );
    await incident(jst('2022-07-01T10:00:00'), 'L1', 'triaged');
    await incident(jst('2022-08-01T10:00:00'), 'L2', 'closed');
    await incident(jst('2022-09-01T10:00:00'), 'L0', 'closed', true);
    await incident(jst('2022-10-01T10:00:00'), 'L1', 'rejected');
    const [audit] = await sql(
      `INSERT INTO audits (organization_id, reference, fiscal_year, kind, title, scope, lead_auditor_id, planned_start, planned_end, status, reported_at)
       VALUES ($1, 'AUD-2022-0001', 2022, 'internal_audit', '令和4年度 内部監査', '{}', $2, '2022-10-01', '2022-10-31', 'closed', $3) RETURNING id`,
      [org, people.officer.staff.id, jst('2022-11-10T10:00:00')],
    );
    const finding = (reference: string, severity: string, status: string, source: string, sourceId: string | null) =>
      sql(
        `INSERT INTO findings (organization_id, reference, fiscal_year, source, source_id, title, severity, due_date, status, verified_at)
         VALUES ($1, $2, 2022, $3, $4, $2, $5, '2023-01-31', $6, $7)`,
        [org, reference, source, sourceId, severity, status, status === 'verified' ? jst('2023-01-20T10:00:00') : null],
      );
    await finding('FND-1', 'high', 'verified', 'audit', audit!.id);
    await finding('FND-2', 'medium', 'in_progress', 'audit', audit!.id);
    await finding('FND-3', 'low', 'open', 'manual', null);

    // FY2021 closed by the CISO (second factor), then a record of it changes
    const close = await request(t.http).post('/api/v1/fiscal-years/2021/close').set('Authorization', `Bearer ${bearer.ciso}`).send({}).expect(200);
    closeHash = close.body.auditTrailHash as string;
    await sql(`UPDATE enrolments SET completed_at = $2 WHERE id = $1`, [pendingEnrolment, jst('2022-02-01T10:00:00')]);
  });

  afterAll(() => t.close());

  it('json: every indicator with target, value, status and last year’s (frozen from the close); the years named both ways', async () => {
    const body = await report(2022);
    expect(body.labels).toEqual({ era: '令和4年度', western: '2022年度', ja: '令和4年度（2022年度）', en: 'FY2022 (April 2022 – March 2023)' });
    expect(body.previousLabels.era).toBe('令和3年度');
    expect(body.closed).toBeNull();
    expect(body.previousClosed).toMatchObject({ fiscalYear: 2021, auditTrailHash: closeHash });
    const rows = byCode(body.indicators as Indicator[]);
    expect(rows.training_completion).toMatchObject({
      target: 100,
      value: 66.7,
      status: 'not_met',
      previousValue: 50,
      previousStatus: 'not_met',
      frozen: false,
    });
    expect(rows.targeted_mail_report_rate).toMatchObject({ value: 33.3 });
    expect(rows.security_incidents).toMatchObject({ value: 2, status: 'not_met', target: 0 });
    expect(rows.near_misses).toMatchObject({ value: 1 });
    // the figures are the indicators API's
    const api = (await get('officer', '/api/v1/indicators?fiscalYear=2022').expect(200)).body.items as Indicator[];
    for (const row of api) expect(rows[row.code]).toMatchObject({ value: row.value, status: row.status, target: row.target });
    // what was done per plan item
    const p = body.planItems;
    expect(p.courses).toEqual([
      { title: '情報セキュリティ研修2022', titleEn: null, kind: 'e_learning', dueOn: '2022-12-31', enrolled: 4, exempt: 1, completed: 2, rate: 66.7 },
    ]);
    expect(p.mailDrills).toEqual([{ title: '標的型メール訓練2022', titleEn: null, dueOn: '2022-10-31', recipients: 3, reported: 1, clicked: 1 }]);
    expect(p.audits).toEqual([
      expect.objectContaining({ reference: 'AUD-2022-0001', status: 'closed', reportedOn: '2022-11-10', findings: { high: 1, medium: 1, low: 0 } }),
    ]);
    expect(p.findings).toEqual({ raised: 3, verified: 1, open: 2 });
    expect(p.incidents).toEqual([
      { key: 'L1', count: 1 },
      { key: 'L2', count: 1 },
    ]);
    expect(p.nearMisses).toBe(1);
    expect(p.plan).toEqual({ version: null, approvedOn: null, nextReviewDue: null, inForce: false });
    expect(p.drills).toEqual([]);
    expect((await report(2019)).labels.era).toBe('令和元年度');
  });

  it('a closed year: frozen values, when and the audit trail’s hash, and the rows whose records changed since', async () => {
    const body = await report(2021);
    expect(body.closed).toMatchObject({ fiscalYear: 2021, auditTrailHash: closeHash });
    expect(body.changedSinceClose).toBe(true);
    const rows = byCode(body.indicators as Indicator[]);
    expect(rows.training_completion).toMatchObject({ value: 50, frozen: true, changedSinceClose: true, currentValue: 100 });
    expect(rows.security_incidents).toMatchObject({ frozen: true, changedSinceClose: false, currentValue: null });
  });

  it('xlsx: parses back with each indicator’s values and the year labels; an attachment named annual-report-FY2022.xlsx', async () => {
    const res = await get('officer', '/api/v1/reports/annual?fiscalYear=2022&format=xlsx').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe('attachment; filename="annual-report-FY2022.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '概要',
      '指標',
      'III-1 管理策',
      'III-2 研修・訓練',
      'III-3 監査',
      'III-4 見直し・インシデント',
      'III-5 緊急時対応',
    ]);
    const summary = workbook.getWorksheet('概要')!;
    const facts = new Map<string, unknown>();
    summary.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('年度（和暦）')).toBe('令和4年度');
    expect(facts.get('年度（西暦）')).toBe('2022年度');
    expect(facts.get('年度の締め')).toBe('締めていない（数値は記録から集計）');
    const sheet = workbook.getWorksheet('指標')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 10)).toEqual(['施策', 'コード', '指標', '単位', '目標', '実績', '状況', '前年度の目標', '前年度の実績', '前年度の状況']);
    const rows = new Map<string, unknown[]>();
    sheet.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(2).value), (row.values as unknown[]).slice(1));
    });
    const json = byCode((await report(2022)).indicators as Indicator[]);
    expect(rows.size).toBe(Object.keys(json).length);
    expect(rows.get('training_completion')!.slice(4, 10)).toEqual([100, 66.7, '未達成', 100, 50, '未達成']);
    expect(rows.get('security_incidents')!.slice(4, 7)).toEqual([0, 2, '未達成']);
    expect(rows.get('near_misses')![5]).toBe(1);
    // a course's due day is a real date
    const courses = workbook.getWorksheet('III-2 研修・訓練')!;
    const due = courses.getRow(3).getCell(3);
    expect(due.value).toEqual(new Date(Date.UTC(2022, 11, 31)));
    expect(due.numFmt).toBe('yyyy"年"m"月"d"日"');
    expect(courses.getRow(3).getCell(7).value).toBe(66.7);
    // in English on asking
    const en = await get('officer', '/api/v1/reports/annual?fiscalYear=2022&format=xlsx&lang=en').buffer(true).parse(binary).expect(200);
    const english = new ExcelJS.Workbook();
    await english.xlsx.load(en.body as Buffer);
    expect(english.worksheets[1]!.name).toBe('Indicators');
    expect(english.worksheets[1]!.getRow(1).getCell(7).value).toBe('Status');
  });

  it('xlsx of a closed year: the close and its hash on the summary, the frozen value with the records now beside it', async () => {
    const res = await get('officer', '/api/v1/reports/annual?fiscalYear=2021&format=xlsx').buffer(true).parse(binary).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as Buffer);
    const facts = new Map<string, unknown>();
    workbook.getWorksheet('概要')!.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('年度の締め')).toBe('締め済み（数値は締めの時点で確定）');
    expect(facts.get('現在の記録')).toBe('締めの後に記録が変わった指標があります（「現在の記録」の欄）。報告の数値は締めの時点のものです。');
    expect(facts.get('監査証跡のハッシュ（締めの時点）')).toBe(closeHash);
    const rows = new Map<string, unknown[]>();
    workbook.getWorksheet('指標')!.eachRow((row) => rows.set(String(row.getCell(2).value), (row.values as unknown[]).slice(1)));
    expect(rows.get('training_completion')!.slice(5, 12)).toEqual([50, '未達成', 100, '', 'データなし', 'はい', 100]);
  });

  it('csv: UTF-8 with a BOM, the indicators table first, then each plan item’s table after a blank line and a heading row', async () => {
    const res = await get('officer', '/api/v1/reports/annual?fiscalYear=2022&format=csv').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="annual-report-FY2022.csv"');
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [indicatorsPart, ...parts] = text.slice(1).split('\r\n\r\n');
    const records = parse(indicatorsPart!, { columns: true }) as Record<string, string>[];
    const rows = Object.fromEntries(records.map((r) => [r['コード']!, r]));
    expect(rows.training_completion).toMatchObject({
      目標: '100',
      実績: '66.7',
      状況: '未達成',
      前年度の実績: '50',
      前年度の状況: '未達成',
      締めで確定: 'いいえ',
    });
    expect(rows.security_incidents).toMatchObject({ 実績: '2', 状況: '未達成' });
    expect(Object.keys(rows)).toHaveLength(((await report(2022)).indicators as Indicator[]).length);
    const sections = Object.fromEntries(
      parts.map((part) => {
        const [heading, ...table] = parse(part, { relax_column_count: true }) as string[][];
        return [heading![0]!, table];
      }),
    );
    expect(Object.keys(sections)).toEqual([
      'III-1 管理策：令和4年度（2022年度）末の管理策の実施状況',
      'III-2 研修・訓練：令和4年度（2022年度）に実施した研修',
      'III-2 研修・訓練：令和4年度（2022年度）の標的型メール訓練',
      'III-3 監査：令和4年度（2022年度）の監査・自己点検と、監査で挙がった指摘',
      'III-3 監査：令和4年度（2022年度）に挙がった指摘（監査・訓練・インシデントなど）',
      'III-4 見直し・インシデント：令和4年度（2022年度）のポリシー見直し',
      'III-4 見直し・インシデント：令和4年度（2022年度）のインシデント（重大度別、却下を除く）',
      'III-5 緊急時対応：令和4年度（2022年度）末の緊急時対応計画',
      'III-5 緊急時対応：令和4年度（2022年度）の訓練',
      '概要',
    ]);
    expect(sections['概要']).toEqual(
      expect.arrayContaining([
        ['年度（和暦）', '令和4年度'],
        ['年度（西暦）', '2022年度'],
        ['年度の締め', '締めていない（数値は記録から集計）'],
      ]),
    );
    // a closed year's CSV ends with the close and its hash
    const closed = (await get('officer', '/api/v1/reports/annual?fiscalYear=2021&format=csv').buffer(true).parse(binary).expect(200)).body as Buffer;
    expect(closed.toString('utf8')).toContain(`監査証跡のハッシュ（締めの時点）,${closeHash}\r\n`);
    expect(sections['III-2 研修・訓練：令和4年度（2022年度）に実施した研修']).toEqual([
      ['研修', '種類', '期限', '対象者', '免除', '受講済み', '受講率'],
      ['情報セキュリティ研修2022', 'eラーニング', '2022/12/31', '4', '1', '2', '66.7'],
    ]);
    expect(sections['III-4 見直し・インシデント：令和4年度（2022年度）のインシデント（重大度別、却下を除く）']).toEqual([
      ['重大度', '件数'],
      ['L1 軽微', '1'],
      ['L2 重大', '1'],
      ['合計', '2'],
      ['ヒヤリハット（L0、別掲）', '1'],
    ]);
  });

  it('400 naming fiscalYear or format; 403 for staff; the export is audited', async () => {
    for (const [query, field] of [
      ['fiscalYear=2022&format=pdf', 'format'],
      ['fiscalYear=20x2', 'fiscalYear'],
      ['format=csv', 'fiscalYear'],
      ['fiscalYear=2022&lang=fr', 'lang'],
    ] as const) {
      const refused = await get('officer', `/api/v1/reports/annual?${query}`).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await get('staff', '/api/v1/reports/annual?fiscalYear=2022').expect(403);
    await get('staff', '/api/v1/reports/annual?fiscalYear=2022&format=xlsx').expect(403);
    const [audited] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1 AND action = 'annual_report.export'`, [
      org,
    ])) as { n: number }[];
    expect(audited!.n).toBeGreaterThanOrEqual(4);
  });

  it('the printable page: 令和 and western labels, statuses in words, the plan items, the files; staff are refused', async () => {
    const page = await get('officer', '/reports/annual?fiscalYear=2021').expect(200);
    expect(page.text).toContain('令和3年度（2021年度）');
    expect(page.text).toContain(closeHash);
    expect(page.text).toContain('締め後に記録が変更（現在の記録では 100%）');
    for (const words of [
      '未達成',
      'III-1 情報セキュリティ対策（管理策）',
      'III-5 緊急時対応計画と訓練',
      '/reports/annual.xlsx?fiscalYear',
      '/reports/annual.csv?fiscalYear',
    ])
      expect(page.text).toContain(words);
    const csv = await get('officer', '/reports/annual.csv?fiscalYear=2022').buffer(true).parse(binary).expect(200);
    expect((csv.body as Buffer).toString('utf8').charCodeAt(0)).toBe(0xfeff);
    await get('staff', '/reports/annual?fiscalYear=2022').expect(403);
  });

  it('CLI report:annual writes the file; a wrong argument is a usage error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'annual-')), 'report.csv');
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await ANNUAL_REPORT_COMMAND.run(t.app, ['2022', '--format', 'csv', '--out', out])).toBe(0);
      expect(await ANNUAL_REPORT_COMMAND.run(t.app, ['2022', '--format', 'pdf'])).toBe(2);
      expect(await ANNUAL_REPORT_COMMAND.run(t.app, ['FY22'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(readFileSync(out, 'utf8').charCodeAt(0)).toBe(0xfeff);
  });
});
