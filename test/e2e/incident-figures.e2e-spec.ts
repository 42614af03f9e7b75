import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** PostgreSQL's percentile_cont, by hand: the value at position p·(n−1) of the sorted values, interpolated. */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
/** minutes to 0.1, as the figures give them */
const tenth = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
const duration = (values: number[]) => ({
  measured: values.length,
  medianMinutes: tenth(percentileCont(values, 0.5)),
  p90Minutes: tenth(percentileCont(values, 0.9)),
});

/** One incident of the fixture: where, how it was assessed, and its minutes from the report to each step. */
interface Fixture {
  no: number;
  department: 'A' | 'B';
  severity: 'L0' | 'L1' | 'L2' | 'L3' | null;
  category: string | null;
  status: string;
  nearMiss?: boolean;
  ack?: number;
  contain?: number;
  close?: number;
}

/**
 * Issue 10: the incident figures of a fiscal year (counts by severity, category and department;
 * near misses apart; rejected reports left out; the indicator's count; time to acknowledge, contain
 * and close as median and 90th percentile), the manager's department only, the workbook, the page,
 * and the work queue's incident lines.
 */
describe('incidents: figures of a fiscal year, the desk’s work', () => {
  let t: TestApp;
  let org: string;
  let a: Department;
  let b: Department;
  const people = {} as Record<'csirt' | 'officer' | 'ciso' | 'managerA' | 'staff' | 'auditor', TestPerson>;
  const bearer = {} as Record<keyof typeof people, string>;
  const ids = new Map<number, string>();
  const CSRF = 'c'.repeat(43);

  // FY2022: reported an hour apart from 1 June 2022; minutes from the report to each step
  const FIXTURE: Fixture[] = [
    { no: 1, department: 'A', severity: 'L1', category: 'malware', status: 'closed', ack: 10, contain: 60, close: 600 },
    { no: 2, department: 'A', severity: 'L2', category: 'information_leak', status: 'closed', ack: 20, contain: 120, close: 1440 },
    { no: 3, department: 'A', severity: 'L3', category: 'malware', status: 'contained', ack: 30, contain: 240 },
    { no: 4, department: 'B', severity: 'L1', category: 'mis_sent_mail', status: 'recovered', ack: 40, contain: 30 },
    { no: 5, department: 'B', severity: null, category: null, status: 'reported' },
    { no: 6, department: 'B', severity: 'L1', category: 'targeted_mail', status: 'triaged', ack: 5 },
    // a near miss triaged L0 and closed: never an incident, never in the times
    { no: 7, department: 'A', severity: 'L0', category: 'targeted_mail', status: 'closed', close: 100 },
    // a near miss ticked by the reporter, not triaged yet
    { no: 8, department: 'B', severity: null, category: null, status: 'reported', nearMiss: true },
    // rejected: left out of everything but its own count
    { no: 9, department: 'A', severity: 'L2', category: 'malware', status: 'rejected', ack: 15, close: 30 },
    // ticked as a near miss, but triage found an L1 incident: triage decides
    { no: 10, department: 'B', severity: 'L1', category: 'other', status: 'triaged', nearMiss: true, ack: 50 },
  ];
  const incidents = FIXTURE.filter((f) => f.status !== 'rejected' && !(f.severity === 'L0' || (f.severity === null && f.nearMiss)));
  const minutes = (list: Fixture[], step: 'ack' | 'contain' | 'close') =>
    list.filter((f) => f[step] !== undefined && (step !== 'close' || f.status === 'closed')).map((f) => f[step]!);

  async function insert(organizationId: string, f: Fixture, reportedAt: Date, fiscalYear: number, department: string): Promise<string> {
    const plus = (m?: number) => (m === undefined ? null : new Date(reportedAt.getTime() + m * 60_000).toISOString());
    const [row] = (await t.dataSource.query(
      `INSERT INTO incidents (organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at,
                              department_id, reporter_department_id, near_miss, status, severity, category, acknowledged_at, contained_at, closed_at)
       VALUES ($1, $2, $3, 'staff', $4, '経緯', $5, $5, $5, $6, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        organizationId,
        `INC-${fiscalYear}-${randomUUID().slice(0, 6)}`,
        fiscalYear,
        `事案 ${f.no}`,
        reportedAt.toISOString(),
        department,
        f.nearMiss ?? false,
        f.status,
        f.severity,
        f.category,
        plus(f.ack),
        plus(f.contain),
        plus(f.close),
      ],
    )) as { id: string }[];
    return row!.id;
  }

  const get = (who: keyof typeof people, url: string) => request(t.http).get(url).set('Authorization', `Bearer ${bearer[who]}`);
  const page = (who: keyof typeof people, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${bearer[who]}; mamori_csrf=${CSRF}` });
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'figures-town');
    a = await createDepartment(t, org, { code: 'A-SOMU', name: '総務課', nameEn: 'General Affairs' });
    b = await createDepartment(t, org, { code: 'B-KIKAKU', name: '企画課' });
    people.csirt = await createPerson(t, org, { roles: ['csirt'] });
    people.officer = await createPerson(t, org, { roles: ['security_officer'] });
    people.ciso = await createPerson(t, org, { roles: ['ciso'] });
    people.managerA = await createPerson(t, org, { roles: ['manager'], departmentId: a.id });
    people.staff = await createPerson(t, org, { roles: ['staff'], departmentId: a.id });
    people.auditor = await createPerson(t, org, { roles: ['auditor'] });
    for (const key of Object.keys(people) as (keyof typeof people)[]) bearer[key] = (await signIn(t, people[key])).accessToken;

    const start = Date.parse('2022-06-01T00:00:00Z');
    for (const [i, f] of FIXTURE.entries()) ids.set(f.no, await insert(org, f, new Date(start + i * 3_600_000), 2022, f.department === 'A' ? a.id : b.id));
    // not of the fiscal year: reported in March 2022 (FY2021); not of the organisation
    await insert(
      org,
      { no: 11, department: 'A', severity: 'L3', category: 'web_defacement', status: 'closed', ack: 1, contain: 2, close: 3 },
      new Date('2022-03-15T00:00:00Z'),
      2021,
      a.id,
    );
    const other = await testOrganization(t, 'other-town');
    const otherDepartment = await createDepartment(t, other, { code: 'X' });
    await insert(other, { no: 12, department: 'A', severity: 'L1', category: 'malware', status: 'triaged', ack: 1 }, new Date(start), 2022, otherDepartment.id);
  });
  afterAll(() => t.close());

  it('counts the fiscal year: incidents, the indicator’s count, open, near misses apart, rejected left out; median and 90th percentile of each time', async () => {
    const figures = (await get('csirt', '/api/v1/incidents/figures?fiscalYear=2022').expect(200)).body;
    expect(figures).toMatchObject({ fiscalYear: 2022, groupBy: 'severity', scope: 'all', countedSeverities: ['L1', 'L2', 'L3'] });
    expect(figures.totals).toEqual({
      incidents: 7,
      counted: 6, // no. 5 is not triaged yet: no severity, not counted
      open: 5,
      nearMisses: 2,
      rejected: 1,
      timeToAcknowledge: duration(minutes(incidents, 'ack')),
      timeToContain: duration(minutes(incidents, 'contain')),
      timeToClose: duration(minutes(incidents, 'close')),
    });
    // the same, written out: acknowledged after 5, 10, 20, 30, 40, 50 minutes
    expect(figures.totals.timeToAcknowledge).toEqual({ measured: 6, medianMinutes: 25, p90Minutes: 45 });
    expect(figures.totals.timeToContain).toEqual({ measured: 4, medianMinutes: 90, p90Minutes: 204 });
    expect(figures.totals.timeToClose).toEqual({ measured: 2, medianMinutes: 1020, p90Minutes: 1356 });
  });

  it('groups by severity (L0 … L3, the untriaged last), by category and by department', async () => {
    const bySeverity = (await get('officer', '/api/v1/incidents/figures?fiscalYear=2022&groupBy=severity').expect(200)).body;
    const counts = (row: Record<string, unknown>) => [row.incidents, row.counted, row.open, row.nearMisses, row.rejected];
    expect(bySeverity.items.map((row: Record<string, unknown>) => [row.severity, ...counts(row)])).toEqual([
      ['L0', 0, 0, 0, 1, 0],
      ['L1', 4, 4, 3, 0, 0],
      ['L2', 1, 1, 0, 0, 1],
      ['L3', 1, 1, 1, 0, 0],
      [null, 1, 0, 1, 1, 0],
    ]);
    const l1 = FIXTURE.filter((f) => f.severity === 'L1');
    expect(bySeverity.items[1].timeToAcknowledge).toEqual(duration(minutes(l1, 'ack')));
    expect(bySeverity.items[1].timeToAcknowledge).toEqual({ measured: 4, medianMinutes: 25, p90Minutes: 47 });
    expect(bySeverity.items[1].timeToContain).toEqual({ measured: 2, medianMinutes: 45, p90Minutes: 57 });
    expect(bySeverity.total).toBe(5);

    const byCategory = (await get('ciso', '/api/v1/incidents/figures?fiscalYear=2022&groupBy=category').expect(200)).body;
    expect(byCategory.items.map((row: Record<string, unknown>) => [row.category, row.incidents, row.nearMisses, row.rejected])).toEqual([
      ['malware', 2, 0, 1],
      ['targeted_mail', 1, 1, 0],
      ['information_leak', 1, 0, 0],
      ['mis_sent_mail', 1, 0, 0],
      ['other', 1, 0, 0],
      [null, 1, 1, 0],
    ]);

    const byDepartment = (await get('csirt', '/api/v1/incidents/figures?fiscalYear=2022&groupBy=department').expect(200)).body;
    expect(byDepartment.items.map((row: Record<string, unknown>) => [row.departmentCode, row.departmentName, ...counts(row)])).toEqual([
      ['A-SOMU', '総務課', 3, 3, 1, 1, 1],
      ['B-KIKAKU', '企画課', 4, 3, 4, 1, 0],
    ]);
    expect(byDepartment.items[0]).toMatchObject({ departmentId: a.id, departmentNameEn: 'General Affairs' });
    const inA = FIXTURE.filter((f) => f.department === 'A' && incidents.includes(f));
    expect(byDepartment.items[0].timeToClose).toEqual(duration(minutes(inA, 'close')));
    // another fiscal year has its own figures
    const fy2021 = (await get('csirt', '/api/v1/incidents/figures?fiscalYear=2021').expect(200)).body;
    expect(fy2021.totals).toMatchObject({ incidents: 1, counted: 1, timeToClose: { measured: 1, medianMinutes: 3, p90Minutes: 3 } });
  });

  it('shows a manager their own department only; staff and auditors may not read the figures; a wrong parameter names itself', async () => {
    const mine = (await get('managerA', '/api/v1/incidents/figures?fiscalYear=2022&groupBy=department').expect(200)).body;
    expect(mine.scope).toBe('department');
    expect(mine.items.map((row: { departmentId: string }) => row.departmentId)).toEqual([a.id]);
    expect(mine.totals).toMatchObject({ incidents: 3, counted: 3, nearMisses: 1, rejected: 1 });
    const bySeverity = (await get('managerA', '/api/v1/incidents/figures?fiscalYear=2022').expect(200)).body;
    expect(bySeverity.totals.incidents).toBe(3);
    await get('staff', '/api/v1/incidents/figures?fiscalYear=2022').expect(403);
    await get('auditor', '/api/v1/incidents/figures?fiscalYear=2022').expect(403);
    const wrong = await get('csirt', '/api/v1/incidents/figures?fiscalYear=22&groupBy=colour').expect(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fiscalYear', 'groupBy']);
    await get('csirt', '/api/v1/incidents/figures').expect(400);
  });

  it('exports the figures as a workbook: a sheet per grouping with the total, in Japanese or English', async () => {
    const file = await get('officer', '/api/v1/incidents/figures.xlsx?fiscalYear=2022')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['重大度別', '分類別', '課別', '条件']);
    const severity = workbook.getWorksheet('重大度別')!;
    expect(severity.getRow(1).getCell(1).value).toBe('重大度');
    expect(severity.getRow(1).getCell(2).value).toBe('インシデント');
    const last = severity.getRow(severity.rowCount);
    expect([last.getCell(1).value, last.getCell(2).value, last.getCell(3).value, last.getCell(5).value]).toEqual(['合計', 7, 6, 2]);
    expect(severity.getRow(3).getCell(1).value).toBe('L1 軽微');
    const english = await get('officer', '/api/v1/incidents/figures.xlsx?fiscalYear=2022&lang=en')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const en = new ExcelJS.Workbook();
    await en.xlsx.load(english.body as unknown as ArrayBuffer);
    expect(en.worksheets.map((sheet) => sheet.name)).toEqual(['By severity', 'By category', 'By department', 'Conditions']);
  });

  it('shows the figures page: a table per grouping, the manager’s own department, the workbook link', async () => {
    const office = await page('officer', '/incidents/figures?fiscalYear=2022').expect(200);
    const text = words(office.text);
    expect(text).toContain('インシデントの件数と対応時間');
    expect(text).toContain('重大度別');
    expect(text).toContain('分類別');
    expect(text).toContain('課別（発生した課）');
    expect(text).toContain('中央値 25分／90% 45分');
    expect(text).toContain('中央値 17時間／90% 22時間36分'); // 1020 and 1356 minutes to close
    expect(office.text).toContain('href="/incidents/figures.xlsx?fiscalYear&#x3D;2022"');
    const manager = await page('managerA', '/incidents/figures?fiscalYear=2022').expect(200);
    expect(words(manager.text)).toContain('あなたの課のインシデント');
    expect(manager.text).not.toContain('企画課');
    await page('staff', '/incidents/figures').expect(403);
    const workbook = await page('managerA', '/incidents/figures.xlsx?fiscalYear=2022').expect(200);
    expect(workbook.headers['content-type']).toContain('spreadsheetml');
  });

  it('puts the desk’s incident work in the work queue: to triage, unacknowledged, external reports due within a day or overdue', async () => {
    const now = Date.now();
    const climb = randomUUID();
    // no. 5 (reported, unacknowledged) was escalated past the first level
    await t.dataSource.query(
      `INSERT INTO escalation_firings (organization_id, climb_id, incident_id, level, attempt, due_at, fired_at) VALUES ($1, $2, $3, 1, 1, now(), now())`,
      [org, climb, ids.get(5)],
    );
    const report = (incident: number, recipient: string, kind: string, dueInHours: number, extra: { sent?: boolean; cancelled?: boolean } = {}) =>
      t.dataSource.query(
        `INSERT INTO external_reports (organization_id, incident_id, recipient, kind, due_at, sent_at, cancelled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          org,
          ids.get(incident),
          recipient,
          kind,
          new Date(now + dueInHours * 3_600_000).toISOString(),
          extra.sent ? new Date(now).toISOString() : null,
          extra.cancelled ? new Date(now).toISOString() : null,
        ],
      );
    await report(2, 'ppc', 'preliminary', -24); // overdue
    await report(2, 'prefecture', 'notice', 2); // due within a day
    await report(2, 'ppc', 'final', 24 * 20); // later: not counted
    await report(3, 'ppc', 'preliminary', -48, { sent: true }); // sent
    await report(3, 'ppc', 'final', 1, { cancelled: true }); // no longer owed

    const queue = words((await page('officer', '/work').expect(200)).text);
    expect(queue).toMatch(/判定を待つインシデント 2 件 うち期限超過 2件/);
    expect(queue).toMatch(/確認されていないインシデント 1 件 うち期限超過 1件/);
    expect(queue).toMatch(/期限が迫る外部報告 2 件 うち期限超過 1件/);
    const office = (await page('officer', '/work').expect(200)).text;
    expect(office).toContain('href="/incidents?status&#x3D;reported"');
    expect(office).toContain('href="/incidents/external-reports/due"');
    // every line of the work queue opens a page that answers, and the unacknowledged list is what was counted
    expect(office).toContain('href="/incidents?unacknowledged&#x3D;true"');
    const queueHrefs = [...new Set([...office.matchAll(/href="(\/incidents[^"#]*)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&')))];
    expect(queueHrefs.length).toBeGreaterThanOrEqual(3);
    for (const href of [...queueHrefs, '/incidents?open=true']) expect([href, (await page('officer', href)).status]).toEqual([href, 200]);
    const unacknowledged = (await page('ciso', '/incidents?unacknowledged=true').expect(200)).text;
    const listed = [...ids.entries()].filter(([, id]) => unacknowledged.includes(`href="/incidents/${id}"`)).map(([no]) => no);
    expect(listed).toEqual([5]);
    expect(unacknowledged).toMatch(/<input id="unacknowledged"[^>]*checked/);
    // the CISO does not triage: the other two only
    const ciso = (await page('ciso', '/work').expect(200)).text;
    expect(ciso).not.toContain('判定を待つインシデント');
    expect(words(ciso)).toMatch(/期限が迫る外部報告 2 件/);

    const due = await page('officer', '/incidents/external-reports/due').expect(200);
    const dueText = words(due.text);
    expect(dueText).toContain('3件（うち期限超過 1件、期限まで1日以内 1件）');
    expect(dueText.indexOf('個人情報保護委員会 速報')).toBeLessThan(dueText.indexOf('県 通知'));
    // each row opens the incident's checklist of outside reports
    expect(due.text).toContain(`href="/incidents/${ids.get(2)}/external-reports"`);
    expect(due.text).not.toContain(`href="/incidents/${ids.get(2)}"`);
    // the board leads there, for those who may read it
    for (const who of ['csirt', 'ciso'] as const) expect((await page(who, '/incidents').expect(200)).text).toContain('href="/incidents/external-reports/due"');
    // the CISO finds the checklist and the review on the incident's page
    const cisoIncident = (await page('ciso', `/incidents/${ids.get(2)}`).expect(200)).text;
    expect(cisoIncident).toContain(`href="/incidents/${ids.get(2)}/external-reports"`);
    expect(cisoIncident).toContain(`href="/incidents/${ids.get(2)}/review"`);
    await page('ciso', `/incidents/${ids.get(2)}/external-reports`).expect(200);
    await page('managerA', '/incidents/external-reports/due').expect(403);
  });
});
