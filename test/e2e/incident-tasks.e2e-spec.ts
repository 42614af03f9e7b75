import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Department } from '../../src/staff/department.entity.js';
import { zipOf } from '../factories/course-material.factory.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 1)]);
const MAIL = Buffer.from(
  [
    'Return-Path: <info@bank-example.invalid>',
    'From: "銀行" <info@bank-example.invalid>',
    'To: somu@town.example.jp',
    'Subject: =?UTF-8?B?44CQ6YeN6KaB44CR?=',
    'Date: Mon, 30 Nov 2026 09:00:00 +0900',
    'Message-ID: <abc@bank-example.invalid>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'こちらのリンクからログインしてください。',
    '',
  ].join('\r\n'),
  'utf8',
);
/** 「端末ログ」 in Shift_JIS (Windows Notepad) */
const SHIFT_JIS_TEXT = Buffer.from([0x92, 0x5b, 0x96, 0x96, 0x83, 0x8d, 0x83, 0x4f, 0x0d, 0x0a]);
const DOCX = zipOf([
  ['[Content_Types].xml', '<Types/>'],
  ['word/document.xml', '<w:document/>'],
]);
const ZIP = zipOf([['logs/app.log', 'error']]);
const EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(200, 0)]);
const MAX_BYTES = 64 * 1024;

/** Tasks and attachments of an incident: every task change on the timeline and the audit trail; files kept like control evidence (here in EVIDENCE_DIR). */
describe('incident tasks and attachments (API)', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let reporter: TestPerson;
  let colleague: TestPerson;
  let manager: TestPerson;
  let csirt: TestPerson;
  let officer: TestPerson;
  const evidenceDir = mkdtempSync(join(tmpdir(), 'mamori-incident-files-'));
  const tokens = new Map<TestPerson, string>();

  const as = (person: TestPerson) => {
    const auth = { Authorization: `Bearer ${tokens.get(person)}` };
    return {
      get: (url: string) => request(t.http).get(url).set(auth),
      post: (url: string) => request(t.http).post(url).set(auth),
      patch: (url: string) => request(t.http).patch(url).set(auth),
    };
  };
  const report = async (title = '不審なメールを開いた') =>
    (await as(reporter).post('/api/v1/incidents').send({ title, description: 'リンクを押してしまいました。' }).expect(201)).body as {
      id: string;
      reference: string;
    };
  const timeline = async (id: string) =>
    (await as(csirt).get(`/api/v1/incidents/${id}/timeline`).expect(200)).body.items as {
      kind: string;
      text: string | null;
      actorId: string | null;
      data: Record<string, unknown>;
    }[];
  const audit = (action: string) =>
    t.dataSource.query(`SELECT entity_id, changes FROM audit_trail WHERE organization_id = $1 AND action = $2 ORDER BY seq`, [org, action]) as Promise<
      { entity_id: string; changes: Record<string, { after?: unknown; before?: unknown }> }[]
    >;
  const attach = (person: TestPerson, id: string, bytes: Buffer, filename: string) =>
    as(person).post(`/api/v1/incidents/${id}/attachments`).attach('file', bytes, { filename, contentType: 'application/octet-stream' });

  beforeAll(async () => {
    t = await createTestApp({ env: { EVIDENCE_DIR: evidenceDir, EVIDENCE_MAX_BYTES: String(MAX_BYTES) } });
    org = await testOrganization(t, 'incident-tasks-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    reporter = await createPerson(t, org, { departmentId: somu.id });
    colleague = await createPerson(t, org, { departmentId: somu.id });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    for (const person of [reporter, colleague, manager, csirt, officer]) tokens.set(person, (await signIn(t, person)).accessToken);
  });
  afterAll(async () => {
    await t.close();
    rmSync(evidenceDir, { recursive: true, force: true });
  });

  it('adds tasks by hand in order and writes every change of one on the timeline and the audit trail', async () => {
    const incident = await report();
    const tasks = `/api/v1/incidents/${incident.id}/tasks`;
    expect((await as(reporter).get(tasks).expect(200)).body).toEqual({ items: [], total: 0 });

    const first = (
      await as(csirt)
        .post(tasks)
        .send({
          title: '該当端末をネットワークから切り離す',
          phase: 'contain',
          role: 'csirt',
          assigneeId: officer.staff.id,
          dueAt: '2026-12-01T17:00:00+09:00',
        })
        .expect(201)
    ).body;
    expect(first).toMatchObject({
      position: 1,
      status: 'open',
      source: 'manual',
      phase: 'contain',
      assigneeId: officer.staff.id,
      dueAt: '2026-12-01T08:00:00.000Z',
    });
    const second = (await as(officer).post(tasks).send({ title: 'パスワードを変更させる' }).expect(201)).body;
    expect(second.position).toBe(2);

    const done = (await as(csirt).patch(`${tasks}/${first.id}`).send({ status: 'done', note: 'LANケーブルを抜いた' }).expect(200)).body;
    expect(done).toMatchObject({ status: 'done', doneById: csirt.staff.id });
    expect(done.doneAt).not.toBeNull();
    const skipped = (await as(csirt).patch(`${tasks}/${second.id}`).send({ status: 'skipped', note: '該当なし' }).expect(200)).body;
    expect(skipped.status).toBe('skipped');
    const reopened = (await as(csirt).patch(`${tasks}/${second.id}`).send({ status: 'open', assigneeId: csirt.staff.id }).expect(200)).body;
    expect(reopened).toMatchObject({ status: 'open', doneAt: null, doneById: null, assigneeId: csirt.staff.id });
    await as(csirt).patch(`${tasks}/${second.id}`).send({ status: 'open', assigneeId: null }).expect(200);

    // the reader sees them in order
    const listed = (await as(reporter).get(tasks).expect(200)).body;
    expect(listed.items.map((task: { title: string; status: string }) => [task.title, task.status])).toEqual([
      ['該当端末をネットワークから切り離す', 'done'],
      ['パスワードを変更させる', 'open'],
    ]);

    // every change, in order, on the timeline: 2 added, done, skipped, open again + assigned, unassigned
    const entries = (await timeline(incident.id)).filter((entry) => entry.kind === 'task');
    expect(entries.map((entry) => [entry.data.event, entry.data.taskId, entry.data.from ?? null, entry.data.to ?? null, entry.text])).toEqual([
      ['added', first.id, null, null, null],
      ['added', second.id, null, null, null],
      ['status', first.id, 'open', 'done', 'LANケーブルを抜いた'],
      ['status', second.id, 'open', 'skipped', '該当なし'],
      ['status', second.id, 'skipped', 'open', null],
      ['assigned', second.id, null, csirt.staff.id, null],
      ['assigned', second.id, csirt.staff.id, null, null],
    ]);
    expect(entries[2]!.actorId).toBe(csirt.staff.id);
    expect(entries[1]!.actorId).toBe(officer.staff.id);
    // and on the audit trail: two additions, four updates
    expect((await audit('incident_task.create')).filter((row) => [first.id, second.id].includes(row.entity_id))).toHaveLength(2);
    const updates = (await audit('incident_task.update')).filter((row) => [first.id, second.id].includes(row.entity_id));
    expect(updates).toHaveLength(4);
    expect(updates[0]!.changes.status).toEqual({ before: 'open', after: 'done' });
  });

  it('refuses task changes by the wrong people, on the wrong things, and that change nothing', async () => {
    const incident = await report('タスクの拒否');
    const tasks = `/api/v1/incidents/${incident.id}/tasks`;
    const task = (await as(csirt).post(tasks).send({ title: '確認する' }).expect(201)).body;
    // reporters and managers read, but do not work the incident; someone else's incident is 404
    expect((await as(reporter).post(tasks).send({ title: 'x' }).expect(403)).body.code).toBe('FORBIDDEN');
    await as(manager).patch(`${tasks}/${task.id}`).send({ status: 'done' }).expect(403);
    await as(manager).get(tasks).expect(200);
    expect((await as(colleague).get(tasks).expect(404)).body.code).toBe('INCIDENT_NOT_FOUND');
    // bad input names the field
    const bad = await as(csirt).post(tasks).send({ title: '', phase: 'later', dueAt: 'tomorrow' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['dueAt', 'phase', 'title']);
    expect((await as(csirt).patch(`${tasks}/${task.id}`).send({ status: 'finished' }).expect(400)).body.errors[0].field).toBe('status');
    const unknown = await as(csirt).post(tasks).send({ title: 'x', assigneeId: '3ff45433-aa34-4962-9328-fdda4aff7ca8' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'INCIDENT_ASSIGNEE_UNKNOWN', errors: [{ field: 'assigneeId' }] });
    // a change to where it already is
    const same = await as(csirt).patch(`${tasks}/${task.id}`).send({ status: 'open' }).expect(409);
    expect(same.body).toMatchObject({ code: 'TASK_TRANSITION_NOT_ALLOWED', status: 409, taskStatus: 'open' });
    // a task of another incident, an unknown task, a task id that is no UUID
    const other = await report('別件');
    expect((await as(csirt).patch(`/api/v1/incidents/${other.id}/tasks/${task.id}`).send({ status: 'done' }).expect(404)).body.code).toBe('TASK_NOT_FOUND');
    await as(csirt).patch(`${tasks}/3ff45433-aa34-4962-9328-fdda4aff7ca8`).send({ status: 'done' }).expect(404);
    expect((await as(csirt).patch(`${tasks}/nope`).send({ status: 'done' }).expect(400)).body.errors[0].field).toBe('taskId');
    // nothing was written by the refusals
    expect((await timeline(incident.id)).filter((entry) => entry.kind === 'task')).toHaveLength(1);

    // a rejected incident takes no task changes until reopened
    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/transitions`)
      .send({ to: 'rejected', reason: '誤報', rejectionReason: 'not_an_incident' })
      .expect(200);
    expect((await as(csirt).post(tasks).send({ title: 'x' }).expect(409)).body.code).toBe('INCIDENT_CLOSED');
    expect((await as(csirt).patch(`${tasks}/${task.id}`).send({ status: 'done' }).expect(409)).body.code).toBe('INCIDENT_CLOSED');
  });

  it('keeps the reporter’s files judged by their content, in EVIDENCE_DIR under their SHA-256, each on the timeline and audited without bytes', async () => {
    const incident = await report('添付ファイル');
    const files = `/api/v1/incidents/${incident.id}/attachments`;
    const kept: [Buffer, string, string][] = [
      [PNG, '画面.png', 'image/png'],
      [MAIL, '不審メール.eml', 'message/rfc822'],
      [SHIFT_JIS_TEXT, '端末ログ.txt', 'text/plain; charset=shift_jis'],
      [DOCX, '報告.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [ZIP, 'ログ一式.zip', 'application/zip'],
    ];
    const ids: string[] = [];
    for (const [bytes, name, contentType] of kept) {
      const response = await attach(reporter, incident.id, bytes, name).expect(201);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(response.body).toMatchObject({ fileName: name, contentType, size: bytes.length, sha256, uploadedById: reporter.staff.id });
      expect(response.body.uploadedBy.id).toBe(reporter.staff.id);
      expect(existsSync(join(evidenceDir, sha256))).toBe(true);
      ids.push(response.body.id as string);
    }
    const stored = (await t.dataSource.query(`SELECT content, storage_path FROM incident_attachments WHERE id = $1`, [ids[0]])) as {
      content: Buffer | null;
      storage_path: string;
    }[];
    expect(stored[0]).toEqual({ content: null, storage_path: createHash('sha256').update(PNG).digest('hex') });

    // the responders attach too; the list and the download are for whoever sees the incident
    await attach(csirt, incident.id, PNG, 'csirt.png').expect(201);
    const listed = (await as(manager).get(files).expect(200)).body;
    expect(listed.total).toBe(6);
    expect(listed.items.map((a: { fileName: string }) => a.fileName)).toEqual([
      '画面.png',
      '不審メール.eml',
      '端末ログ.txt',
      '報告.docx',
      'ログ一式.zip',
      'csirt.png',
    ]);
    const download = await as(manager)
      .get(`${files}/${ids[1]}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('message/rfc822');
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''%E4%B8%8D%E5%AF%A9");
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(download.body as Buffer, MAIL)).toBe(0);
    await as(colleague).get(`${files}/${ids[1]}`).expect(404);
    expect((await as(reporter).get(`${files}/3ff45433-aa34-4962-9328-fdda4aff7ca8`).expect(404)).body.code).toBe('INCIDENT_ATTACHMENT_NOT_FOUND');

    // on the timeline and the audit trail: the name, size and SHA-256, never the bytes
    const entries = (await timeline(incident.id)).filter((entry) => entry.kind === 'attachment');
    expect(entries).toHaveLength(6);
    expect(entries[1]!.data).toMatchObject({ event: 'added', attachmentId: ids[1], fileName: '不審メール.eml', size: MAIL.length });
    const created = (await audit('incident_attachment.create')).find((row) => row.entity_id === ids[1])!;
    expect(created.changes.fileName!.after).toBe('不審メール.eml');
    expect(created.changes.sha256!.after).toBe(createHash('sha256').update(MAIL).digest('hex'));
    expect(created.changes.content).toBeUndefined();
    expect(JSON.stringify(created.changes)).not.toContain('ログインしてください');
    expect((await audit('incident_attachment.download')).map((row) => row.entity_id)).toContain(ids[1]);
  });

  it('refuses a file that is missing, empty, too large, of a kind not kept or named as another kind, naming `file`; and people who may not attach', async () => {
    const incident = await report('添付の拒否');
    const files = `/api/v1/incidents/${incident.id}/attachments`;
    const none = await as(reporter).post(files).field('note', 'x').expect(400);
    expect(none.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'file' }] });
    const empty = await attach(reporter, incident.id, Buffer.alloc(0), 'empty.txt').expect(400);
    expect(empty.body).toMatchObject({ code: 'INCIDENT_ATTACHMENT_REFUSED', reason: 'empty', errors: [{ field: 'file' }] });
    const exe = await attach(reporter, incident.id, EXE, 'invoice.exe').expect(400);
    expect(exe.body).toMatchObject({ code: 'INCIDENT_ATTACHMENT_REFUSED', reason: 'not_accepted', errors: [{ field: 'file' }] });
    expect(exe.body.acceptedExtensions).toEqual(expect.arrayContaining(['.png', '.pdf', '.eml', '.docx', '.zip']));
    const misnamed = await attach(reporter, incident.id, PNG, 'scan.pdf').expect(400);
    expect(misnamed.body).toMatchObject({ code: 'INCIDENT_ATTACHMENT_REFUSED', reason: 'misnamed', expectedExtension: '.png' });
    const notMail = await attach(reporter, incident.id, Buffer.from('ただのメモ', 'utf8'), 'memo.eml').expect(400);
    expect(notMail.body.code).toBe('INCIDENT_ATTACHMENT_REFUSED');
    const large = await attach(reporter, incident.id, Buffer.alloc(MAX_BYTES + 1, 0x41), 'big.txt').expect(413);
    expect(large.body).toMatchObject({ code: 'INCIDENT_ATTACHMENT_TOO_LARGE', maxBytes: MAX_BYTES, errors: [{ field: 'file' }] });

    // someone else's incident is not there; a manager sees it but only reads; a closed report takes files from responders only
    expect((await attach(colleague, incident.id, PNG, 'x.png').expect(404)).body.code).toBe('INCIDENT_NOT_FOUND');
    expect((await attach(manager, incident.id, PNG, 'x.png').expect(403)).body.code).toBe('FORBIDDEN');
    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/transitions`)
      .send({ to: 'rejected', reason: '誤報', rejectionReason: 'not_an_incident' })
      .expect(200);
    expect((await attach(reporter, incident.id, PNG, 'late.png').expect(409)).body.code).toBe('INCIDENT_CLOSED');
    await attach(csirt, incident.id, PNG, 'after.png').expect(201);
    const count = (await t.dataSource.query(`SELECT count(*)::int AS n FROM incident_attachments WHERE incident_id = $1`, [incident.id])) as { n: number }[];
    expect(count[0]!.n).toBe(1);
  });
});
