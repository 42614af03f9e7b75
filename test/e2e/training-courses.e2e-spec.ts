import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { mp4Of } from '../factories/course-material.factory.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

type Bearer = { Authorization: string };

/** A town with two departments, the security office and a member of staff, signed in through the API. */
async function town(t: TestApp, code: string) {
  const org = await testOrganization(t, code);
  const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
  const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
  const officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
  const member = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
  const bearer = async (person: TestPerson): Promise<Bearer> => ({ Authorization: `Bearer ${(await signIn(t, person)).accessToken}` });
  return { org, somu, kikaku, officer, member, officerBearer: await bearer(officer), memberBearer: await bearer(member) };
}

describe('training administration: course material, exemptions, classroom attendance', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let officer: TestPerson;
  let officerBearer: Bearer;
  let memberBearer: Bearer;
  const fy = fiscalYearOf(tokyoToday());
  const dueDate = `${fy + 1}-03-31`;

  beforeAll(async () => {
    t = await createTestApp();
    ({ org, somu, kikaku, officer, officerBearer, memberBearer } = await town(t, 'training-courses-town'));
    // a town's staff with known employee numbers, in one INSERT … SELECT
    for (const [prefix, department] of [
      ['ATT', somu],
      ['KIK', kikaku],
    ] as const) {
      await t.dataSource.query(
        `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
         SELECT $1, $2 || g, '出席', '職員' || g, lower($2) || g || '@courses.example', $3, 'active', 'regular', '{staff}', '2015-04-01'
           FROM generate_series(1, 6) g`,
        [org, prefix, department.id],
      );
    }
  });
  afterAll(() => t.close());

  const http = () => request(t.http);
  async function course(body: object, publish = true): Promise<string> {
    const created = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'e_learning', title: '情報セキュリティ研修', audience: { all: true }, dueDate, ...body })
      .expect(201);
    if (publish)
      await http()
        .post(`/api/v1/training/courses/${created.body.id as string}/publish`)
        .set(officerBearer)
        .expect(200);
    return created.body.id as string;
  }
  const enrolmentOf = async (courseId: string, employeeNumber: string): Promise<Enrolment> => {
    const [row] = (await t.dataSource.query(
      `SELECT e.id FROM enrolments e JOIN staff s ON s.id = e.staff_id WHERE e.course_id = $1 AND s.employee_number = $2`,
      [courseId, employeeNumber],
    )) as { id: string }[];
    return t.dataSource.getRepository(Enrolment).findOneByOrFail({ id: row!.id });
  };
  const auditCount = async (action: string): Promise<number> =>
    Number(
      ((await t.dataSource.query(`SELECT count(*) AS n FROM audit_trail WHERE action = $1 AND organization_id = $2`, [action, org])) as { n: string }[])[0]!.n,
    );

  describe('attachments', () => {
    it('keeps a PDF in PostgreSQL, serves it inline with its length and by range, to whoever may read the course', async () => {
      const id = await course({ title: '標的型メール対策' }, false);
      const uploaded = await http()
        .post(`/api/v1/training/courses/${id}/attachments`)
        .set(officerBearer)
        .attach('file', PDF, { filename: '標的型メール対策.pdf', contentType: 'application/octet-stream' })
        .expect(201);
      expect(uploaded.body).toMatchObject({
        courseId: id,
        fileName: '標的型メール対策.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        storage: 'database',
      });
      const url = `/api/v1/training/courses/${id}/attachments/${uploaded.body.id as string}`;

      // a draft's material is the office's only
      await http().get(`/api/v1/training/courses/${id}/attachments`).set(memberBearer).expect(404);
      await http().get(url).set(memberBearer).expect(404);
      await http().post(`/api/v1/training/courses/${id}/publish`).set(officerBearer).expect(200);

      const list = await http().get(`/api/v1/training/courses/${id}/attachments`).set(memberBearer).expect(200);
      expect(list.body).toMatchObject({ total: 1, items: [{ id: uploaded.body.id, fileName: '標的型メール対策.pdf' }] });
      const whole = await http().get(url).set(memberBearer).buffer(true).expect(200);
      expect(whole.headers['content-type']).toBe('application/pdf');
      expect(whole.headers['content-length']).toBe(String(PDF.length));
      expect(whole.headers['content-disposition']).toMatch(/^inline; filename="________\.pdf"; filename\*=UTF-8''%E6%A8%99/);
      expect(whole.headers['x-content-type-options']).toBe('nosniff');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect(Buffer.compare(whole.body as Buffer, PDF)).toBe(0);
      expect(whole.headers.etag).toBe(`"${uploaded.body.sha256 as string}"`);
      await http().get(url).set(memberBearer).set('If-None-Match', whole.headers.etag!).expect(304);

      const part = await http().get(url).set(memberBearer).set('Range', 'bytes=0-4').buffer(true).expect(206);
      expect(part.headers['content-range']).toBe(`bytes 0-4/${PDF.length}`);
      expect((part.body as Buffer).toString('latin1')).toBe('%PDF-');
      const outside = await http().get(url).set(memberBearer).set('Range', `bytes=${PDF.length}-`).expect(416);
      expect(outside.body.code).toBe('ATTACHMENT_RANGE_NOT_SATISFIABLE');
      expect(outside.headers['content-range']).toBe(`bytes */${PDF.length}`);

      // removed (audited); a member of staff may not
      await http().delete(url).set(memberBearer).expect(403);
      await http().delete(url).set(officerBearer).expect(204);
      expect((await http().get(url).set(officerBearer).expect(404)).body.code).toBe('ATTACHMENT_NOT_FOUND');
      expect(await auditCount('course_attachment.create')).toBeGreaterThanOrEqual(1);
      expect(await auditCount('course_attachment.delete')).toBe(1);
      const [trail] = (await t.dataSource.query(
        `SELECT changes::text AS changes FROM audit_trail WHERE action = 'course_attachment.create' AND organization_id = $1`,
        [org],
      )) as { changes: string }[];
      expect(trail!.changes).not.toContain('PDF-1.4'); // the bytes never reach the trail
    });

    it('refuses what is not course material, naming the file, and keeps nothing', async () => {
      const id = await course({ title: '資料の試験' }, false);
      const upload = (bytes: Buffer, filename: string) =>
        http().post(`/api/v1/training/courses/${id}/attachments`).set(officerBearer).attach('file', bytes, { filename, contentType: 'application/pdf' });
      const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'slides.pdf').expect(400);
      expect(html.body).toMatchObject({
        code: 'ATTACHMENT_REFUSED',
        errors: [{ field: 'file' }],
        acceptedExtensions: expect.arrayContaining(['.pdf', '.pptx', '.mp4']),
      });
      const misnamed = await upload(PNG, 'figure.pdf').expect(400);
      expect(misnamed.body).toMatchObject({ code: 'ATTACHMENT_REFUSED', expectedExtension: '.png' });
      expect((await upload(Buffer.alloc(0), 'empty.pdf').expect(400)).body.code).toBe('ATTACHMENT_REFUSED');
      const none = await http().post(`/api/v1/training/courses/${id}/attachments`).set(officerBearer).field('x', '1').expect(400);
      expect(none.body.code).toBe('VALIDATION_FAILED');
      expect((await http().get(`/api/v1/training/courses/${id}/attachments`).set(officerBearer).expect(200)).body.total).toBe(0);
      // a closed course's material stays as it was
      await http().post(`/api/v1/training/courses/${id}/publish`).set(officerBearer).expect(200);
      await http().post(`/api/v1/training/courses/${id}/close`).set(officerBearer).expect(200);
      expect((await upload(PDF, 'late.pdf').expect(409)).body.code).toBe('COURSE_NOT_DRAFT');
    });
  });

  describe('exemptions', () => {
    it('exempts someone with a reason (out of the denominator, listed), refuses twice or a completed one, and lifts it', async () => {
      const id = await course({ title: '全職員研修' });
      const before = await http().get(`/api/v1/training/courses/${id}`).set(officerBearer).expect(200);
      const enrolment = await enrolmentOf(id, 'ATT1');

      const refused = await http().put(`/api/v1/training/enrolments/${enrolment.id}/exemption`).set(officerBearer).send({ kind: 'long_leave', reason: '  ' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe('reason');
      await http().put(`/api/v1/training/enrolments/${enrolment.id}/exemption`).set(memberBearer).send({ kind: 'long_leave', reason: '育児休業' }).expect(403);

      const exempted = await http()
        .put(`/api/v1/training/enrolments/${enrolment.id}/exemption`)
        .set(officerBearer)
        .send({ kind: 'long_leave', reason: '育児休業（2022年6月〜2023年5月）' })
        .expect(200);
      expect(exempted.body).toMatchObject({
        enrolmentId: enrolment.id,
        courseId: id,
        staff: { employeeNumber: 'ATT1', familyName: '出席' },
        department: { code: 'SOMU' },
        kind: 'long_leave',
        reason: '育児休業（2022年6月〜2023年5月）',
        exemptedBy: { id: officer.staff.id },
      });
      expect(
        (await http().put(`/api/v1/training/enrolments/${enrolment.id}/exemption`).set(officerBearer).send({ kind: 'other', reason: '再' }).expect(409)).body
          .code,
      ).toBe('ALREADY_EXEMPT');
      const after = await http().get(`/api/v1/training/courses/${id}`).set(officerBearer).expect(200);
      expect(after.body).toMatchObject({ enrolled: before.body.enrolled, exempt: 1 });
      const listed = await http().get(`/api/v1/training/courses/${id}/exemptions`).set(officerBearer).expect(200);
      expect(listed.body).toMatchObject({
        total: 1,
        items: [{ enrolmentId: enrolment.id, kind: 'long_leave', exemptedBy: { employeeNumber: officer.staff.employeeNumber } }],
      });

      // someone who completed cannot be exempted
      const done = await enrolmentOf(id, 'ATT2');
      await t.dataSource.query(`UPDATE enrolments SET completed_at = now(), completed_via = 'self' WHERE id = $1`, [done.id]);
      expect(
        (await http().put(`/api/v1/training/enrolments/${done.id}/exemption`).set(officerBearer).send({ kind: 'other', reason: '理由' }).expect(409)).body.code,
      ).toBe('ENROLMENT_NOT_OPEN');

      await http().delete(`/api/v1/training/enrolments/${enrolment.id}/exemption`).set(officerBearer).expect(204);
      expect((await http().delete(`/api/v1/training/enrolments/${enrolment.id}/exemption`).set(officerBearer).expect(409)).body.code).toBe('NOT_EXEMPT');
      expect(await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id: enrolment.id })).toMatchObject({
        exemptAt: null,
        exemptionReason: null,
        exemptedById: null,
      });
      expect((await http().get(`/api/v1/training/courses/${id}/exemptions`).set(officerBearer).expect(200)).body.total).toBe(0);
      expect(await auditCount('enrolment.unexempt')).toBe(1);
    });

    it("exempts a person from every open enrolment of a fiscal year in one statement, leaving other years' and completed ones", async () => {
      const first = await course({ title: '年度の研修（一）' });
      const second = await course({ title: '年度の研修（二）' });
      const nextYear = await course({ title: '翌年度の研修', fiscalYear: fy + 1, dueDate: `${fy + 2}-03-31` });
      const done = await enrolmentOf(second, 'ATT3');
      await t.dataSource.query(`UPDATE enrolments SET completed_at = now(), completed_via = 'self' WHERE id = $1`, [done.id]);
      const person = (await t.dataSource.query(`SELECT id FROM staff WHERE organization_id = $1 AND employee_number = 'ATT3'`, [org])) as { id: string }[];
      const owed = (await t.dataSource.query(
        `SELECT count(*)::int AS n FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.status = 'published'
          WHERE e.staff_id = $1 AND e.fiscal_year = $2 AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL`,
        [person[0]!.id, fy],
      )) as { n: number }[];

      const result = await http()
        .put(`/api/v1/training/staff/${person[0]!.id}/exemptions`)
        .set(officerBearer)
        .send({ fiscalYear: fy, kind: 'secondment', reason: '県へ出向（1年間）' })
        .expect(200);
      expect(result.body.exempted).toBe(owed[0]!.n);
      expect(result.body.enrolmentIds).toContain((await enrolmentOf(first, 'ATT3')).id);
      expect(await enrolmentOf(second, 'ATT3')).toMatchObject({ exemptAt: null }); // completed: stays completed
      expect(await enrolmentOf(nextYear, 'ATT3')).toMatchObject({ exemptAt: null });
      expect((await http().get(`/api/v1/training/courses/${first}/exemptions`).set(officerBearer).expect(200)).body.items).toEqual([
        expect.objectContaining({ kind: 'secondment', reason: '県へ出向（1年間）', staff: expect.objectContaining({ employeeNumber: 'ATT3' }) }),
      ]);
      // again: nothing left to exempt
      expect(
        (
          await http()
            .put(`/api/v1/training/staff/${person[0]!.id}/exemptions`)
            .set(officerBearer)
            .send({ fiscalYear: fy, kind: 'secondment', reason: '再' })
            .expect(200)
        ).body.exempted,
      ).toBe(0);
      await http()
        .put(`/api/v1/training/staff/00000000-0000-4000-8000-000000000000/exemptions`)
        .set(officerBearer)
        .send({ fiscalYear: fy, kind: 'other', reason: '理由' })
        .expect(404);
    });
  });

  describe('classroom attendance', () => {
    let classroom: string;
    beforeAll(async () => {
      classroom = await course({ kind: 'classroom', title: '集合研修（総務課）', audience: { departmentIds: [somu.id] } });
    });

    it('is recorded for classroom courses only', async () => {
      const elearning = await course({ title: 'eラーニング' });
      const refused = await http()
        .post(`/api/v1/training/courses/${elearning}/attendance`)
        .set(officerBearer)
        .send({ employeeNumbers: ['ATT1'] });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ATTENDANCE_NOT_CLASSROOM');
    });

    it('names every bad row of a list by its line and records nothing; then records the good list, harmless twice', async () => {
      await http()
        .put(`/api/v1/training/enrolments/${(await enrolmentOf(classroom, 'ATT6')).id}/exemption`)
        .set(officerBearer)
        .send({ kind: 'long_leave', reason: '病気休暇' })
        .expect(200);
      const bad = await http()
        .post(`/api/v1/training/courses/${classroom}/attendance`)
        .set(officerBearer)
        .send({ employeeNumbers: ['ATT1', ' ', 'ATT1', 'NOPE1', 'KIK1', 'ATT6', 'ＡＴＴ2'] });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('ATTENDANCE_INVALID');
      expect(bad.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
        [2, 'employeeNumber'],
        [3, 'employeeNumber'],
        [4, 'employeeNumber'],
        [5, 'employeeNumber'],
        [6, 'employeeNumber'],
      ]);
      expect(bad.body.errors[3].messages[0]).toMatch(/KIK1 is not enrolled/);
      expect(await t.dataSource.getRepository(Enrolment).countBy({ courseId: classroom, completedVia: 'attendance' })).toBe(0);

      const future = await http()
        .post(`/api/v1/training/courses/${classroom}/attendance`)
        .set(officerBearer)
        .send({ employeeNumbers: ['ATT1'], attendedAt: `${fy + 5}-04-01T10:00` });
      expect(future.status).toBe(400);
      expect(future.body.errors[0].field).toBe('attendedAt');

      const attendedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
      const good = await http()
        .post(`/api/v1/training/courses/${classroom}/attendance`)
        .set(officerBearer)
        .send({ employeeNumbers: ['ATT1', 'ＡＴＴ2'], attendedAt })
        .expect(200);
      expect(good.body).toEqual({ completed: 2, alreadyCompleted: 0 });
      expect(await enrolmentOf(classroom, 'ATT2')).toMatchObject({
        completedVia: 'attendance',
        completedAt: new Date(attendedAt),
        completedById: officer.staff.id,
      });
      const again = await http()
        .post(`/api/v1/training/courses/${classroom}/attendance`)
        .set(officerBearer)
        .send({ employeeNumbers: ['ATT1'] })
        .expect(200);
      expect(again.body).toEqual({ completed: 0, alreadyCompleted: 1 });
    });

    it('reads a CSV of employee numbers: a bad row refuses the file by its line, the fixed file records', async () => {
      const csv = (lines: string[]) => Buffer.from(`\uFEFF${['氏名,職員番号', ...lines].join('\r\n')}\r\n`, 'utf8');
      const send = (file: Buffer) =>
        http()
          .post(`/api/v1/training/courses/${classroom}/attendance.csv`)
          .set(officerBearer)
          .field('attendedAt', tokyoToday())
          .attach('file', file, { filename: '出席者.csv', contentType: 'text/csv' });
      const bad = await send(csv(['出席 職員2,ATT2', '出席 職員3,ATT3', '誤り,ATT999'])).expect(400);
      expect(bad.body).toMatchObject({ code: 'ATTENDANCE_INVALID', errors: [{ line: 4, field: 'employeeNumber' }] });
      expect(await enrolmentOf(classroom, 'ATT3')).toMatchObject({ completedAt: null });

      const good = await send(csv(['出席 職員2,ATT2', '出席 職員3,ATT3', '出席 職員4,ATT4'])).expect(200);
      expect(good.body).toEqual({ completed: 2, alreadyCompleted: 1 });
      expect(await enrolmentOf(classroom, 'ATT4')).toMatchObject({ completedVia: 'attendance' });

      const noColumn = await send(Buffer.from('氏名\r\n山田\r\n')).expect(400);
      expect(noColumn.body.errors).toEqual([{ line: 1, field: 'file', messages: [expect.stringContaining('職員番号')] }]);
      const course = await http().get(`/api/v1/training/courses/${classroom}`).set(officerBearer).expect(200);
      expect(course.body.completed).toBe(4);
    });
  });
});

describe('training administration: course material kept in EVIDENCE_DIR', () => {
  let t: TestApp;
  let dir: string;
  let org: string;
  let officerBearer: Bearer;
  let memberBearer: Bearer;
  const fy = fiscalYearOf(tokyoToday());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mamori-courses-'));
    t = await createTestApp({ env: { EVIDENCE_DIR: dir } });
    ({ org, officerBearer, memberBearer } = await town(t, 'training-courses-dir-town'));
  });
  afterAll(async () => {
    await t.close();
    delete process.env.EVIDENCE_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a video to its own file, plays it by range through sendFile, and removes the file with the record', async () => {
    const http = () => request(t.http);
    const created = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'e_learning', title: '動画研修', audience: { all: true }, dueDate: `${fy + 1}-03-31` })
      .expect(201);
    const id = created.body.id as string;
    await http().post(`/api/v1/training/courses/${id}/publish`).set(officerBearer).expect(200);
    const video = mp4Of();
    const uploaded = await http()
      .post(`/api/v1/training/courses/${id}/attachments`)
      .set(officerBearer)
      .attach('file', video, { filename: '講義.mp4', contentType: 'video/mp4' })
      .expect(201);
    expect(uploaded.body).toMatchObject({ contentType: 'video/mp4', size: video.length, storage: 'directory' });
    const stored = join(dir, 'course-attachments', org, uploaded.body.id as string);
    expect(existsSync(stored)).toBe(true);
    expect((await t.dataSource.query(`SELECT content IS NULL AS empty FROM course_attachments WHERE id = $1`, [uploaded.body.id]))[0].empty).toBe(true);

    const url = `/api/v1/training/courses/${id}/attachments/${uploaded.body.id as string}`;
    const whole = await http().get(url).set(memberBearer).buffer(true).expect(200);
    expect(whole.headers).toMatchObject({ 'content-type': 'video/mp4', 'content-length': String(video.length), 'accept-ranges': 'bytes' });
    expect(whole.headers['content-disposition']).toMatch(/^inline; /);
    expect(whole.headers.etag).toBe(`"${uploaded.body.sha256 as string}"`);
    await http().get(url).set(memberBearer).set('If-None-Match', whole.headers.etag!).expect(304);
    const part = await http().get(url).set(memberBearer).set('Range', 'bytes=4-11').buffer(true).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${video.length}`);
    expect((part.body as Buffer).toString('latin1')).toBe('ftypisom');
    expect(
      (
        await http()
          .get(url)
          .set(memberBearer)
          .set('Range', `bytes=${video.length + 10}-`)
          .expect(416)
      ).body.code,
    ).toBe('ATTACHMENT_RANGE_NOT_SATISFIABLE');

    // a refused upload leaves nothing behind
    await http()
      .post(`/api/v1/training/courses/${id}/attachments`)
      .set(officerBearer)
      .attach('file', Buffer.from('MZ\x90\x00 not a video'), { filename: 'setup.mp4' })
      .expect(400);
    expect(readdirSync(join(dir, 'course-attachments', '.incoming'))).toEqual([]);
    expect(readdirSync(join(dir, 'course-attachments', org))).toEqual([uploaded.body.id]);

    await http().delete(url).set(officerBearer).expect(204);
    expect(existsSync(stored)).toBe(false);
  });
});
