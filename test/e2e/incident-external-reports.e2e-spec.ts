import ExcelJS from 'exceljs';
import request from 'supertest';
import { ExternalReportRemindersService } from '../../src/incidents/external-report-reminders.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import type { SentMail } from '../../src/notifications/mailer.service.js';
import { deliverOutbox } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;

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

interface ReportRow {
  id: string;
  recipient: string;
  kind: string;
  triggers: string[];
  dueAt: string;
  overdue: boolean;
  sentAt: string | null;
  late: boolean;
  cancelledAt: string | null;
}

/** Issue 10: the reports owed to the Commission, the prefecture and the ministry, their deadlines, recording them sent, the drafts and the reminders. */
describe('incidents: external reports (外部報告), their deadlines, drafts and reminders', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let reporter: TestPerson;
  let csirt: TestPerson;
  let officer: TestPerson;
  let ciso: TestPerson;
  let manager: TestPerson;
  const tokens = new Map<TestPerson, string>();
  /** the double-submit CSRF pair of the pages: the cookie and the form field carry the same token */
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

  /** reports an incident and triages it with the given assessment */
  const triaged = async (assessment: object, title = '個人情報の漏えい'): Promise<{ id: string; reference: string; detectedAt: string }> => {
    const reported = await as(reporter).post('/api/v1/incidents').send({ title, description: '住民の情報を含む名簿を誤って送信した' }).expect(201);
    await as(csirt)
      .post(`/api/v1/incidents/${reported.body.id}/transitions`)
      .send({ to: 'triaged', reason: '判定', category: 'mis_sent_mail', severity: 'L1', assigneeId: csirt.staff.id, ...assessment })
      .expect(200);
    return reported.body;
  };
  const reportsOf = async (incidentId: string, who: TestPerson = csirt): Promise<ReportRow[]> =>
    (await as(who).get(`/api/v1/incidents/${incidentId}/external-reports`).expect(200)).body.items;
  const owed = (rows: ReportRow[]) =>
    rows
      .filter((r) => !r.cancelledAt)
      .map((r) => `${r.recipient}:${r.kind}`)
      .sort();
  const dueDays = (row: ReportRow | undefined, detectedAt: string) => (Date.parse(row!.dueAt) - Date.parse(detectedAt)) / DAY;
  const find = (rows: ReportRow[], recipient: string, kind: string) => rows.find((r) => r.recipient === recipient && r.kind === kind);

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'external-reports-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    reporter = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: joho.id });
    for (const person of [reporter, manager, csirt, officer, ciso]) tokens.set(person, (await signIn(t, person)).accessToken);
  });
  afterAll(() => t.close());

  it('owes the Commission a preliminary report in 3 days and a final one in 30 (60 for an unlawful purpose) for each trigger, and nothing at or under 100 people without one', async () => {
    const cases: { personalData: object; triggers: string[]; finalDays: number }[] = [
      { personalData: { involved: true, affectedPeople: 101 }, triggers: ['over_100_people'], finalDays: 30 },
      { personalData: { involved: true, affectedPeople: 3, sensitive: true }, triggers: ['sensitive'], finalDays: 30 },
      { personalData: { involved: true, affectedPeople: 3, financialHarm: true }, triggers: ['financial_harm'], finalDays: 30 },
      { personalData: { involved: true, affectedPeople: 3, unlawfulPurpose: true }, triggers: ['unlawful_purpose'], finalDays: 60 },
      { personalData: { involved: true, affectedPeople: 3, ordinanceSensitive: true }, triggers: ['ordinance_sensitive'], finalDays: 30 },
      { personalData: { involved: true, affectedPeople: 3, myNumber: true }, triggers: ['my_number'], finalDays: 30 },
    ];
    for (const { personalData, triggers, finalDays } of cases) {
      const incident = await triaged({ personalData });
      const rows = await reportsOf(incident.id);
      expect(owed(rows)).toEqual(['affected_people:notice', 'ppc:final', 'ppc:preliminary']);
      expect(dueDays(find(rows, 'ppc', 'preliminary'), incident.detectedAt)).toBe(3);
      expect(dueDays(find(rows, 'ppc', 'final'), incident.detectedAt)).toBe(finalDays);
      expect(dueDays(find(rows, 'affected_people', 'notice'), incident.detectedAt)).toBe(3);
      for (const row of rows) expect(row.triggers).toEqual(triggers);
    }

    const hundred = await triaged({ personalData: { involved: true, affectedPeople: 100 } });
    expect(await reportsOf(hundred.id)).toEqual([]);
    const notPersonal = await triaged({ personalData: { involved: false, affectedPeople: 500, sensitive: true } });
    expect(await reportsOf(notPersonal.id)).toEqual([]);
  });

  it('owes the prefecture a notice in a day for L2, and the ministry one in 3 days for L3; on the timeline, in the audit trail and in the detail for those who read every incident', async () => {
    const l2 = await triaged({ severity: 'L2', personalData: { involved: false, affectedPeople: null } });
    const l2Rows = await reportsOf(l2.id);
    expect(owed(l2Rows)).toEqual(['prefecture:notice']);
    expect(dueDays(l2Rows[0], l2.detectedAt)).toBe(1);
    expect(l2Rows[0]!.triggers).toEqual(['severity']);

    const l3 = await triaged({ severity: 'L3', personalData: { involved: true, affectedPeople: 2000, myNumber: true } });
    const l3Rows = await reportsOf(l3.id);
    expect(owed(l3Rows)).toEqual(['affected_people:notice', 'ministry:notice', 'ppc:final', 'ppc:preliminary', 'prefecture:notice']);
    expect(dueDays(find(l3Rows, 'ministry', 'notice'), l3.detectedAt)).toBe(3);
    expect(find(l3Rows, 'ppc', 'final')!.triggers).toEqual(['over_100_people', 'my_number']);
    // soonest due first
    expect(l3Rows.map((r) => Date.parse(r.dueAt))).toEqual([...l3Rows.map((r) => Date.parse(r.dueAt))].sort((a, b) => a - b));

    const timeline = (await as(csirt).get(`/api/v1/incidents/${l3.id}/timeline`).expect(200)).body.items as { kind: string; data: { change?: string } }[];
    expect(timeline.filter((e) => e.kind === 'external_report').map((e) => e.data.change)).toEqual(['owed', 'owed', 'owed', 'owed', 'owed']);
    const audited = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE action = 'external_report.owe' AND entity_id = ANY($1)`, [
      l3Rows.map((r) => r.id),
    ])) as { n: number }[];
    expect(audited[0]!.n).toBe(5);

    const detail = (await as(ciso).get(`/api/v1/incidents/${l3.id}`).expect(200)).body;
    expect(detail.externalReports.map((r: ReportRow) => r.id)).toEqual(l3Rows.map((r) => r.id));
    expect((await as(reporter).get(`/api/v1/incidents/${l3.id}`).expect(200)).body.externalReports).toBeUndefined();
    await as(reporter).get(`/api/v1/incidents/${l3.id}/external-reports`).expect(403);
    await as(manager).get(`/api/v1/incidents/${l3.id}/external-reports`).expect(403);
  });

  it('a reassessment adds what is newly owed, cancels what is no longer owed and unsent, never touches what was sent; a rejection cancels the rest', async () => {
    const incident = await triaged({ severity: 'L2', personalData: { involved: true, affectedPeople: 5, sensitive: true } });
    let rows = await reportsOf(incident.id);
    expect(owed(rows)).toEqual(['affected_people:notice', 'ppc:final', 'ppc:preliminary', 'prefecture:notice']);
    const preliminary = find(rows, 'ppc', 'preliminary')!;
    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/external-reports/${preliminary.id}/sent`)
      .send({ sentTo: '個人情報保護委員会', sentVia: 'オンライン報告フォーム' })
      .expect(200);

    // no personal data after all, but severe: the Commission's unsent reports go, the ministry's comes
    await as(csirt)
      .patch(`/api/v1/incidents/${incident.id}/assessment`)
      .send({ reason: '再判定', severity: 'L3', personalData: { involved: false, affectedPeople: null } })
      .expect(200);
    rows = await reportsOf(incident.id);
    expect(owed(rows)).toEqual(['ministry:notice', 'ppc:preliminary', 'prefecture:notice']);
    expect(find(rows, 'ppc', 'preliminary')).toMatchObject({ sentAt: expect.any(String), cancelledAt: null, triggers: ['sensitive'] });
    expect(find(rows, 'ppc', 'final')!.cancelledAt).not.toBeNull();
    expect(find(rows, 'affected_people', 'notice')!.cancelledAt).not.toBeNull();

    // personal data again, for an unlawful purpose: the final report is owed again, now in 60 days
    await as(csirt)
      .patch(`/api/v1/incidents/${incident.id}/assessment`)
      .send({ reason: '内部不正の疑い', personalData: { involved: true, affectedPeople: 5, unlawfulPurpose: true } })
      .expect(200);
    rows = await reportsOf(incident.id);
    expect(find(rows, 'ppc', 'final')).toMatchObject({ cancelledAt: null, triggers: ['unlawful_purpose'] });
    expect(dueDays(find(rows, 'ppc', 'final'), incident.detectedAt)).toBe(60);
    expect(rows).toHaveLength(5); // one row per recipient and kind: revived, not duplicated
    expect(find(rows, 'ppc', 'preliminary')!.triggers).toEqual(['sensitive']); // sent: untouched

    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/transitions`)
      .send({ to: 'rejected', reason: '訓練だった', rejectionReason: 'not_an_incident' })
      .expect(200);
    rows = await reportsOf(incident.id);
    expect(owed(rows)).toEqual(['ppc:preliminary']);

    const changes = ((await as(csirt).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as { kind: string; data: { change: string } }[])
      .filter((e) => e.kind === 'external_report')
      .map((e) => e.data.change);
    expect(changes.filter((c) => c === 'cancelled')).toHaveLength(2 + 4);
    expect(changes).toContain('sent');
    expect(changes.filter((c) => c === 'owed')).toHaveLength(4 + 1 + 2);
  });

  it('records a report sent once, with when, to whom and how; refuses a time outside detection and now, a second record, and those who do not respond', async () => {
    const incident = await triaged({ severity: 'L2' });
    const [notice] = await reportsOf(incident.id);
    const url = `/api/v1/incidents/${incident.id}/external-reports/${notice!.id}/sent`;
    const future = await as(csirt)
      .post(url)
      .send({ sentAt: new Date(Date.now() + DAY).toISOString(), sentTo: '県', sentVia: '電話' })
      .expect(400);
    expect(future.body).toMatchObject({ code: 'EXTERNAL_REPORT_SENT_AT_INVALID', errors: [{ field: 'sentAt' }] });
    const missing = await as(csirt).post(url).send({ sentVia: '' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['sentTo', 'sentVia']);
    await as(ciso).post(url).send({ sentTo: '県', sentVia: '電話' }).expect(403);
    await as(reporter).post(url).send({ sentTo: '県', sentVia: '電話' }).expect(403);
    const other = await triaged({ severity: 'L2' });
    await as(csirt).post(`/api/v1/incidents/${other.id}/external-reports/${notice!.id}/sent`).send({ sentTo: '県', sentVia: '電話' }).expect(404);

    // sent two days after detection: late
    await t.dataSource.query(`UPDATE incidents SET detected_at = detected_at - interval '3 days' WHERE id = $1`, [incident.id]);
    await t.dataSource.query(`UPDATE external_reports SET due_at = due_at - interval '3 days' WHERE id = $1`, [notice!.id]);
    const sentAt = new Date(Date.now() - DAY).toISOString();
    const sent = await as(officer).post(url).send({ sentAt, sentTo: '県 情報政策課', sentVia: '電子メール', note: '電話でも連絡済み' }).expect(200);
    expect(sent.body).toMatchObject({
      sentAt,
      sentTo: '県 情報政策課',
      sentVia: '電子メール',
      note: '電話でも連絡済み',
      sentById: officer.staff.id,
      late: true,
      overdue: false,
    });
    const again = await as(csirt).post(url).send({ sentTo: '県', sentVia: '電話' }).expect(409);
    expect(again.body).toMatchObject({ code: 'EXTERNAL_REPORT_ALREADY_SENT', sentAt });
    const entry = (
      (await as(csirt).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as { kind: string; text: string; data: object }[]
    ).find((e) => e.kind === 'external_report' && (e.data as { change: string }).change === 'sent');
    expect(entry).toMatchObject({ text: '電話でも連絡済み', data: { sentTo: '県 情報政策課', late: true } });
  });

  it('reminds the assignee, the CSIRT and the security office of a report due within a day, the CISO too once overdue; once per report, rule and day', async () => {
    const reminders = t.get(ExternalReportRemindersService);
    await reminders.run(); // what earlier tests left waits no longer
    await deliverOutbox(t);
    const incident = await triaged({ severity: 'L2' }, '掲示板の改ざん');
    const [notice] = await reportsOf(incident.id);
    const remindersOf = (mails: SentMail[]) => mails.filter((m) => m.subject.includes(incident.reference) && m.subject.includes('外部報告'));
    const firedFor = async (id: string) =>
      (
        (await t.dataSource.query(`SELECT rule, sent_on::text AS day FROM external_report_reminders WHERE external_report_id = $1 ORDER BY sent_on, rule`, [
          id,
        ])) as {
          rule: string;
          day: string;
        }[]
      ).map((r) => `${r.rule}@${r.day}`);

    const first = await reminders.run();
    expect(first.fired.due_soon).toBeGreaterThanOrEqual(1);
    const mails = remindersOf(await deliverOutbox(t));
    expect(mails.map((m) => m.to).sort()).toEqual([csirt.email, officer.email].sort()); // the assignee is of the CSIRT: one mail each
    expect(mails[0]!.subject).toContain('外部報告の期限が近づいています');
    expect((await reminders.run()).fired).toEqual({ due_soon: 0, overdue: 0 });
    expect(remindersOf(await deliverOutbox(t))).toEqual([]);

    // two days later it is overdue: the CISO is told too, once that day
    const later = new Date(Date.now() + 2 * DAY);
    expect((await reminders.run(later)).fired.overdue).toBeGreaterThanOrEqual(1);
    const overdue = remindersOf(await deliverOutbox(t));
    expect(overdue.map((m) => m.to).sort()).toEqual([csirt.email, officer.email, ciso.email].sort());
    expect(overdue.find((m) => m.to === ciso.email)!.subject).toContain('外部報告の期限を過ぎています');
    await reminders.run(later);
    expect(remindersOf(await deliverOutbox(t))).toEqual([]);
    expect(await firedFor(notice!.id)).toHaveLength(2);

    // recorded as sent: no more reminders
    await as(csirt).post(`/api/v1/incidents/${incident.id}/external-reports/${notice!.id}/sent`).send({ sentTo: '県', sentVia: '電話' }).expect(200);
    await reminders.run(new Date(Date.now() + 3 * DAY));
    expect(await firedFor(notice!.id)).toHaveLength(2);
    const timeline = (await as(csirt).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as { kind: string; data: object }[];
    expect(timeline.filter((e) => e.kind === 'notification' && 'externalReport' in e.data)).toHaveLength(2);
  });

  it('drafts each report from the incident as a workbook (blanks labelled) and a printable page; the checklist page counts down and records a report sent', async () => {
    const incident = await triaged({ severity: 'L2', personalData: { involved: true, affectedPeople: 150, sensitive: true } }, '名簿の誤送信');
    const rows = await reportsOf(incident.id);
    const preliminary = find(rows, 'ppc', 'preliminary')!;
    const file = await as(csirt).get(`/api/v1/incidents/${incident.id}/external-reports/${preliminary.id}/draft.xlsx`).buffer(true).parse(binary).expect(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const workbook = await loadWorkbook(file.body as Buffer);
    const sheet = workbook.worksheets[0]!;
    const cells = new Map<string, string>();
    sheet.eachRow((row) => cells.set(String(row.getCell(1).value ?? ''), String(row.getCell(2).value ?? '')));
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('個人情報保護委員会への漏えい等報告（速報）案');
    expect(cells.get('本人の数')).toBe('150人');
    expect(cells.get('個人情報の区分')).toBe('要配慮個人情報');
    expect(cells.get('報告対象となる事態')).toBe('本人の数が100人を超える\n要配慮個人情報を含む');
    expect(cells.get('漏えい等した個人情報の項目（氏名、住所など）')).toBe('（未記入：記入してください）');
    expect(cells.get('公表の実施状況')).toBe('（未記入：記入してください）');
    expect(cells.get('概要')).toContain('名簿の誤送信');
    const english = await as(csirt)
      .get(`/api/v1/incidents/${incident.id}/external-reports/${preliminary.id}/draft.xlsx?lang=en`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const en = await loadWorkbook(english.body as Buffer);
    const enRows: string[][] = [];
    en.worksheets[0]!.eachRow((row) => enRows.push([1, 2, 3].map((c) => String(row.getCell(c).value ?? ''))));
    expect(enRows).toContainEqual(['本人の数', 'Number of people', '150人']);
    await as(manager).get(`/api/v1/incidents/${incident.id}/external-reports/${preliminary.id}/draft.xlsx`).expect(403);
    const exported = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE action = 'external_report.export' AND entity_id = $1`, [
      preliminary.id,
    ])) as { n: number }[];
    expect(exported[0]!.n).toBe(2);

    const draft = await page(csirt, `/incidents/${incident.id}/external-reports/${preliminary.id}/draft`).expect(200);
    expect(words(draft.text)).toContain('個人情報保護委員会への漏えい等報告（速報）案');
    expect(words(draft.text)).toContain('150人');
    expect(draft.text).toContain('未記入（記入してください）');
    await page(manager, `/incidents/${incident.id}/external-reports/${preliminary.id}/draft`).expect(403);

    // the checklist: the prefecture's notice overdue (in words and with a mark), the others counting down
    const prefecture = find(rows, 'prefecture', 'notice')!;
    await t.dataSource.query(`UPDATE external_reports SET due_at = now() - interval '5 hours' WHERE id = $1`, [prefecture.id]);
    const checklist = await page(csirt, `/incidents/${incident.id}/external-reports`).expect(200);
    const text = words(checklist.text);
    expect(text).toContain('期限を5時間過ぎています');
    expect(text).toContain('期限超過');
    expect(text).toMatch(/あと2日2[0-9]時間|あと3日0時間/);
    expect(checklist.text).toContain(`/incidents/${incident.id}/external-reports/${preliminary.id}/draft`);
    await page(reporter, `/incidents/${incident.id}/external-reports`).expect(403);

    const refused = await form(csirt, `/incidents/${incident.id}/external-reports/${prefecture.id}/sent`, { sentTo: '', sentVia: '電話', sentAt: '' }).expect(
      400,
    );
    expect(words(/<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.text)?.[0] ?? '')).toContain('宛先を入力してください');
    expect(refused.text).toContain(`id="sentTo-${prefecture.id}"`);
    const done = await form(csirt, `/incidents/${incident.id}/external-reports/${prefecture.id}/sent`, {
      sentTo: '県 情報政策課',
      sentVia: '電話',
      sentAt: '',
    }).expect(303);
    expect(done.headers.location).toBe(`/incidents/${incident.id}/external-reports`);
    expect((await reportsOf(incident.id)).find((r) => r.id === prefecture.id)).toMatchObject({ sentAt: expect.any(String), late: true });
    const twice = await form(csirt, `/incidents/${incident.id}/external-reports/${prefecture.id}/sent`, { sentTo: '県', sentVia: '電話', sentAt: '' }).expect(
      409,
    );
    expect(words(twice.text)).toContain('既に送付済み');
  });
});
