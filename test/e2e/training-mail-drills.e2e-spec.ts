import request from 'supertest';
import { MailDrillUpload } from '../../src/training/mail-drill-upload.entity.js';
import { MailDrillUploadsService } from '../../src/training/mail-drill-uploads.service.js';
import { MailDrillResultsService } from '../../src/training/mail-drill-results.service.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import type { Department } from '../../src/staff/department.entity.js';
import { StaffService } from '../../src/staff/staff.service.js';
import { joinerDueOn } from '../../src/training/courses.service.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { MailDrillResult } from '../../src/training/mail-drill-result.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HEADER = 'id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position';

/** One row of Gophish's results export (Papa.unparse of the campaign's results), as its results page writes it. */
function gophishRow(n: number, status: string, reported: boolean, email: string, family = '試験', given = '職員'): string {
  const id = `r${n.toString(36).padStart(6, '0')}`;
  const sent = status === 'Scheduled' || status === 'Error' ? '0001-01-01T00:00:00Z' : '2022-10-03T09:00:12.402581+09:00';
  const seen = ['Email Opened', 'Clicked Link', 'Submitted Data'].includes(status);
  const ip = seen ? `203.0.113.${n % 250}` : '';
  const place = seen ? '35.6895,139.6917' : '0,0';
  return `${id},${status},${ip},${place},${sent},${reported},2022-10-03T09:41:07.118092+09:00,${email},${given},${family},主事`;
}
const gophishCsv = (rows: string[]): Buffer => Buffer.from(`${[HEADER, ...rows].join('\r\n')}\r\n`, 'utf8');

describe('training: targeted-mail drills (Gophish or plain CSV), follow-ups, figures by department', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let zeimu: Department;
  let officer: TestPerson;
  let somuManager: TestPerson;
  let officerBearer: { Authorization: string };
  let managerBearer: { Authorization: string };
  let drillId: string;
  let followUpId: string;
  const fy = fiscalYearOf(tokyoToday());

  const http = () => request(t.http);
  const mail = (name: string) => `${name}@drills.example`;

  /** People of a department in one INSERT (no password hashing): employee number and e-mail from their name. */
  async function people(department: Department, names: string[], status = 'active'): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
       SELECT $1, upper(n), '試験', n, n || '@drills.example', $2, $4, 'regular', '{staff}', '2015-04-01' FROM unnest($3::text[]) AS n`,
      [org, department.id, names, status],
    );
  }

  const course = (body: object) =>
    http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, audience: { all: true }, dueDate: `${fy}-12-28`, ...body });

  const upload = (courseId: string, file: Buffer, query = '') =>
    http()
      .post(`/api/v1/training/courses/${courseId}/drill-results${query}`)
      .set(officerBearer)
      .attach('file', file, { filename: 'campaign - Results.csv', contentType: 'text/csv' });

  const results = (courseId: string) => t.dataSource.getRepository(MailDrillResult).findBy({ courseId });
  const followUps = () => t.dataSource.getRepository(Enrolment).findBy({ courseId: followUpId });
  const audits = async (action: string): Promise<number> =>
    ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1 AND action = $2`, [org, action])) as { n: number }[])[0]!
      .n;

  /** The drill of 3 October: 12 people in three departments, every Gophish status a result can have. */
  const DRILL = [
    gophishRow(1, 'Submitted Data', false, 'S1@Drills.example', '山田', '花子'), // mixed case: matched all the same
    gophishRow(2, 'Clicked Link', false, mail('s2')),
    gophishRow(3, 'Email Opened', true, mail('s3')),
    gophishRow(4, 'Email Sent', true, mail('s4')),
    gophishRow(5, 'Email Sent', false, mail('s5')),
    gophishRow(6, 'Clicked Link', true, mail('k1')), // clicked but reported: no follow-up
    gophishRow(7, 'Email Opened', false, mail('k2')),
    gophishRow(8, 'Email Reported', true, mail('k3')),
    gophishRow(9, 'Error', false, mail('k4')), // never reached them
    gophishRow(10, 'Scheduled', false, mail('z1')),
    gophishRow(11, 'Clicked Link', false, mail('z2')),
    gophishRow(12, 'Email Sent', true, mail('z3')),
  ];

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'training-drills-town');
    somu = await createDepartment(t, org, { code: 'A-SOMU', name: '総務課', nameEn: 'General Affairs' });
    kikaku = await createDepartment(t, org, { code: 'B-KIKAKU', name: '企画課' });
    zeimu = await createDepartment(t, org, { code: 'C-ZEIMU', name: '税務課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    officerBearer = { Authorization: `Bearer ${(await signIn(t, officer)).accessToken}` };
    managerBearer = { Authorization: `Bearer ${(await signIn(t, somuManager)).accessToken}` };
    await people(somu, ['s1', 's2', 's3', 's4', 's5', 'n1']);
    await people(kikaku, ['k1', 'k2', 'k3', 'k4']);
    await people(zeimu, ['z1', 'z2', 'z3']);
    await people(zeimu, ['gone'], 'retired');

    // the follow-up course: published to nobody (its audience is the CISO), people are put in it by the drills
    const followUp = await course({ kind: 'e_learning', title: '標的型メール対策フォローアップ研修', audience: { roles: ['ciso'] }, dueDate: `${fy}-04-30` });
    followUpId = followUp.body.id as string;
    expect((await http().post(`/api/v1/training/courses/${followUpId}/publish`).set(officerBearer)).status).toBe(200);
    const drill = await course({ kind: 'targeted_mail_drill', title: '標的型メール訓練（10月）', followUpCourseId: followUpId });
    expect(drill.status).toBe(201);
    drillId = drill.body.id as string;
  });
  afterAll(() => t.close());

  it('imports only into a targeted-mail drill, and refuses a file without the columns it needs by line 1', async () => {
    const elearning = await course({ kind: 'e_learning', title: '情報セキュリティ研修' });
    const wrongKind = await upload(elearning.body.id as string, gophishCsv(DRILL));
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.code).toBe('DRILL_NOT_MAIL_DRILL');

    const noReported = await upload(drillId, Buffer.from('id,status,email\r\nx,Email Sent,s1@drills.example\r\n'));
    expect(noReported.status).toBe(400);
    expect(noReported.body).toMatchObject({ code: 'DRILL_RESULTS_INVALID', errors: [{ line: 1, field: 'reported' }] });
    expect(await results(drillId)).toHaveLength(0);
  });

  it('refuses a Gophish file with bad rows, every one by line, and imports nothing', async () => {
    const bad = [
      ...DRILL.slice(0, 3),
      gophishRow(20, 'Clicked', false, mail('s4')), // line 5: not a Gophish status
      ...DRILL.slice(4, 8),
      gophishRow(21, 'Email Sent', false, mail('nobody')), // line 10: nobody has this address
      gophishRow(22, 'Email Opened', false, mail('gone')), // line 11: retired
      gophishRow(23, 'Email Sent', 'maybe' as unknown as boolean, mail('k4')), // line 12: reported is not true/false
      gophishRow(24, 'Email Sent', false, mail('s2')), // line 13: s2 again
      ...DRILL.slice(9),
    ];
    const refused = await upload(drillId, gophishCsv(bad));
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('DRILL_RESULTS_INVALID');
    expect(refused.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual([
      '5:status',
      '10:email',
      '11:email',
      '12:reported',
      '13:email',
    ]);
    expect(refused.body.errors[4].messages[0]).toBe('same person as line 3');
    expect(await results(drillId)).toHaveLength(0);
    expect(await followUps()).toHaveLength(0);
    expect(await audits('course.import_drill_results')).toBe(0);
  });

  it('previews a good file without writing, then imports it: results per person, credited to their department', async () => {
    const preview = await upload(drillId, gophishCsv(DRILL), '?dryRun=true');
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      dryRun: true,
      format: 'gophish',
      rows: 12,
      sent: 10,
      opened: 6,
      clicked: 4,
      submittedData: 1,
      reported: 5,
      clickedNotReported: 3,
      created: 12,
      updated: 0,
      unchanged: 0,
      removed: 0,
      followUpCourseId: followUpId,
      followUpOpen: true,
      followUpEnrolled: 3,
    });
    expect(await results(drillId)).toHaveLength(0);
    expect(await followUps()).toHaveLength(0);

    const imported = await upload(drillId, gophishCsv(DRILL), '?format=gophish');
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ dryRun: false, rows: 12, created: 12, followUpEnrolled: 3 });
    const rows = await results(drillId);
    expect(rows).toHaveLength(12);
    const s1 = await t.dataSource.query(`SELECT id, department_id FROM staff WHERE email = 's1@drills.example'`);
    expect(rows.find((row) => row.staffId === s1[0].id)).toMatchObject({
      departmentId: somu.id,
      sent: true,
      opened: true,
      clicked: true,
      submittedData: true,
      reported: false,
      importedById: officer.staff.id,
    });
    expect(await audits('course.import_drill_results')).toBe(1);

    const list = await http().get(`/api/v1/training/courses/${drillId}/drill-results?clicked=true&reported=false`).set(officerBearer);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    expect(list.body.items.map((item: { email: string }) => item.email)).toEqual([mail('s1'), mail('s2'), mail('z2')]);
    expect(list.body.items[0]).toMatchObject({ familyName: '試験', departmentCode: 'A-SOMU', followUpEnrolled: true, followUpCompleted: false });
  });

  it('gives the report and click rates by department, as computed by hand', async () => {
    const figures = await http().get(`/api/v1/training/drill-figures?fiscalYear=${fy}&groupBy=department`).set(officerBearer);
    expect(figures.status).toBe(200);
    const row = (departmentId: string | null, counts: number[], reportRate: number, clickRate: number) => {
      const [recipients, opened, clicked, submitted, reported] = counts;
      return expect.objectContaining({ departmentId, recipients, opened, clicked, submitted, reported, reportRate, clickRate });
    };
    expect(figures.body).toMatchObject({ fiscalYear: fy, courseId: null, drills: 1 });
    // 総務課: 5 reached, 3 opened, 2 clicked (1 submitted), 2 reported; 企画課: k4's mail failed, 3 reached; 税務課: z1 was never sent
    expect(figures.body.departments).toEqual([
      row(somu.id, [5, 3, 2, 1, 2], 0.4, 0.4),
      row(kikaku.id, [3, 2, 1, 0, 2], 0.6667, 0.3333),
      row(zeimu.id, [2, 1, 1, 0, 1], 0.5, 0.5),
    ]);
    expect(figures.body.total).toEqual(row(null, [10, 6, 4, 1, 5], 0.5, 0.4));
    const one = await http().get(`/api/v1/training/drill-figures?fiscalYear=${fy}&courseId=${drillId}`).set(officerBearer);
    expect(one.body.total).toMatchObject({ recipients: 10 });
    const otherYear = await http()
      .get(`/api/v1/training/drill-figures?fiscalYear=${fy - 1}`)
      .set(officerBearer);
    expect(otherYear.body).toMatchObject({ drills: 0, departments: [], total: { recipients: 0, reportRate: null, clickRate: null } });
  });

  it('a manager sees their own department only, in the list and the figures', async () => {
    const list = await http().get(`/api/v1/training/courses/${drillId}/drill-results`).set(managerBearer);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(5);
    expect(list.body.items.every((item: { departmentId: string }) => item.departmentId === somu.id)).toBe(true);
    const figures = await http().get('/api/v1/training/drill-figures').set(managerBearer);
    expect(figures.status).toBe(200);
    expect(figures.body.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual([somu.id]);
    expect(figures.body.total).toMatchObject({ recipients: 5, reported: 2, reportRate: 0.4 });
    // the drill's page: their department's figures and people, no upload form
    const token = managerBearer.Authorization.slice('Bearer '.length);
    const page = await http().get(`/training/courses/${drillId}/drill-results`).set('Accept', 'text/html').set('Cookie', `mamori_at=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('訓練メールが届いたのは 5 人で、報告率は 40.0%、クリック率は 40.0% です。');
    expect(page.text).toContain('総務課');
    expect(page.text).not.toContain('企画課');
    expect(page.text).not.toContain('enctype="multipart/form-data"');
    const english = await http()
      .get(`/training/courses/${drillId}/drill-results?show=clickedNotReported&lang=en`)
      .set('Accept', 'text/html')
      .set('Cookie', `mamori_at=${token}; mamori_locale=en`);
    expect(english.text).toContain('Results by person (1–2 of 2)');
    const staff = await createPerson(t, org, { departmentId: somu.id });
    const refused = await http()
      .get('/api/v1/training/drill-figures')
      .set({ Authorization: `Bearer ${(await signIn(t, staff)).accessToken}` });
    expect(refused.status).toBe(403);
  });

  it('enrols who clicked without reporting in the follow-up course once, due 30 days on, told by mail; a re-import replaces the results and never enrols twice', async () => {
    const enrolled = await followUps();
    expect(enrolled).toHaveLength(3);
    expect(enrolled.every((e) => e.source === 'follow_up' && e.fiscalYear === fy && e.dueOn === joinerDueOn(`${fy}-04-30`, fy))).toBe(true);
    expect(await audits('enrolment.follow_up')).toBe(3);
    const mails = await mailsTo(t, mail('s2'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('【研修のお知らせ】標的型メール対策フォローアップ研修');

    // the same file again: nothing changes
    const again = await upload(drillId, gophishCsv(DRILL));
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 12, removed: 0, followUpEnrolled: 0 });
    expect(await followUps()).toHaveLength(3);

    // s1 moves: the result stays with the department of the import until the next one
    const s1 = await t.dataSource.query(`SELECT id FROM staff WHERE email = 's1@drills.example'`);
    await t.get(StaffService).update(actorOf((await createPerson(t, org, { roles: ['admin'] })) as TestPerson), s1[0].id, { departmentId: zeimu.id });
    expect((await results(drillId)).find((r) => r.staffId === s1[0].id)!.departmentId).toBe(somu.id);

    // a corrected file: z2 did report after all, s5 was not in the drill, n1 was and clicked
    const corrected = [
      ...DRILL.slice(0, 4),
      ...DRILL.slice(5, 10),
      gophishRow(11, 'Clicked Link', true, mail('z2')),
      DRILL[11]!,
      gophishRow(13, 'Clicked Link', false, mail('n1')),
    ];
    const replaced = await upload(drillId, gophishCsv(corrected));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ rows: 12, created: 1, updated: 2, unchanged: 9, removed: 1, followUpEnrolled: 1 });
    const rows = await results(drillId);
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.staffId === s1[0].id)!.departmentId).toBe(zeimu.id);
    expect(await followUps()).toHaveLength(4);
    expect(await audits('enrolment.follow_up')).toBe(4);
    expect(await audits('course.import_drill_results')).toBe(3);
  });

  it('reads a plain CSV by employee number with はい/いいえ', async () => {
    const plain = await course({ kind: 'targeted_mail_drill', title: '標的型メール訓練（2月）' });
    const csv =
      '\uFEFF職員番号,氏名,送信,開封,クリック,入力,報告\r\nS1,山田 花子,はい,はい,いいえ,いいえ,はい\r\nK2,試験 k2,1,1,1,0,0\r\nZ3,試験 z3,0,0,0,0,0\r\n';
    const imported = await upload(plain.body.id as string, Buffer.from(csv, 'utf8'));
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ format: 'plain', rows: 3, sent: 2, opened: 2, clicked: 1, reported: 1, followUpCourseId: null, followUpEnrolled: 0 });
    const unknown = await upload(plain.body.id as string, Buffer.from('職員番号,クリック,報告\r\nX999,1,0\r\n', 'utf8'));
    expect(unknown.body).toMatchObject({ code: 'DRILL_RESULTS_INVALID', errors: [{ line: 2, field: 'employeeNumber' }] });
  });

  it('removes checked files past their hour every quarter of an hour, confirmed or not, audited per organisation', async () => {
    const uploads = t.get(MailDrillUploadsService);
    const plain = await course({ kind: 'targeted_mail_drill', title: '標的型メール訓練（3月）' });
    const file = { buffer: Buffer.from('職員番号,クリック,報告\r\nS1,1,1\r\n', 'utf8'), originalname: 'drill.csv', mimetype: 'text/csv' };
    const checked = await uploads.upload(actorOf(officer), plain.body.id as string, file);
    const count = () => t.dataSource.getRepository(MailDrillUpload).countBy({ organizationId: org });
    expect(await uploads.purgeExpired(new Date())).toEqual({ removed: 0 }); // within its hour
    expect(await count()).toBe(1);
    expect(await uploads.purgeExpired(new Date(Date.now() + 61 * 60_000))).toEqual({ removed: 1 });
    expect(await count()).toBe(0);
    await expect(uploads.find(actorOf(officer), plain.body.id as string, checked.id)).rejects.toMatchObject({ code: 'DRILL_UPLOAD_NOT_FOUND' });
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1 AND action = 'drill_upload.purge'`, [
      org,
    ])) as { n: number }[];
    expect(n).toBe(1);
  });

  it('keeps a planned drill (a draft) from the managers until its results are imported, which publishes it', async () => {
    const planned = await course({ kind: 'targeted_mail_drill', title: '標的型メール訓練（予定）' });
    const id = planned.body.id as string;
    expect((await http().get(`/api/v1/training/courses/${id}/drill-results`).set(managerBearer)).status).toBe(404);
    expect((await http().get(`/api/v1/training/courses/${id}/drill-results`).set(officerBearer)).status).toBe(200);
    expect(await t.get(MailDrillResultsService).drills(actorOf(somuManager))).not.toContainEqual(expect.objectContaining({ id }));
    const imported = await upload(id, Buffer.from('職員番号,クリック,報告\r\nS1,1,1\r\n', 'utf8'));
    expect(imported.status).toBe(200);
    expect((await http().get(`/api/v1/training/courses/${id}`).set(officerBearer)).body.status).toBe('published');
    expect((await http().get(`/api/v1/training/courses/${id}/drill-results`).set(managerBearer)).status).toBe(200);
  });

  it('imports 5,000 recipients in one go', async () => {
    const big = await createDepartment(t, org, { code: 'D-HONCHO', name: '本庁' });
    await t.dataSource.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
       SELECT $1, 'BIG' || g, '一括', '職員' || g, 'big' || g || '@drills.example', $2, 'active', 'regular', '{staff}', '2015-04-01'
         FROM generate_series(1, 5000) g`,
      [org, big.id],
    );
    const drill = await course({ kind: 'targeted_mail_drill', title: '全庁標的型メール訓練', followUpCourseId: followUpId });
    const statuses = [
      'Email Sent',
      'Email Sent',
      'Email Opened',
      'Email Opened',
      'Clicked Link',
      'Submitted Data',
      'Email Sent',
      'Error',
      'Email Opened',
      'Email Sent',
    ];
    const rows = Array.from({ length: 5000 }, (_, i) => gophishRow(i + 1, statuses[i % 10]!, i % 3 === 0 && i % 10 !== 7, `BIG${i + 1}@drills.example`));
    const file = gophishCsv(rows);
    const started = performance.now();
    const imported = await upload(drill.body.id as string, file);
    const ms = performance.now() - started;
    console.log(`targeted-mail drill: imported 5,000 recipients (${(file.length / 1024).toFixed(0)} KB) in ${ms.toFixed(0)} ms`);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ rows: 5000, created: 5000, sent: 4500, clicked: 1000 });
    // clicked or submitted (i % 10 = 4, 5) and not reported (i % 3 ≠ 0)
    const expected = rows.filter((_, i) => [4, 5].includes(i % 10) && i % 3 !== 0).length;
    expect(imported.body.followUpEnrolled).toBe(expected);
    expect(await t.dataSource.getRepository(MailDrillResult).countBy({ courseId: drill.body.id as string })).toBe(5000);
    expect(ms).toBeLessThan(30_000);
  }, 120_000);
});
