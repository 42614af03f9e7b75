import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);
const EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(64, 0)]);

/** The incident pages over HTTP: the one-time form token, visibility, the transition form's refusals, tasks and notes. */
describe('incident pages', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let reporter: TestPerson;
  let colleague: TestPerson;
  let manager: TestPerson;
  let csirt: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const CSRF = randomBytes(32).toString('base64url');
  const cookies = (person: TestPerson, extra = '') => `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}${extra}`;
  const get = (person: TestPerson, path: string, extra = '') => request(t.http).get(path).set('Accept', 'text/html').set('Cookie', cookies(person, extra));
  const post = (person: TestPerson, path: string, form: Record<string, string>) =>
    request(t.http)
      .post(path)
      .set('Accept', 'text/html')
      .set('Cookie', cookies(person))
      .type('form')
      .send({ _csrf: CSRF, ...form });
  const reportForm = (person: TestPerson, fields: Record<string, string>, files: [Buffer, string][] = []) => {
    let r = request(t.http).post('/incidents/new').set('Accept', 'text/html').set('Cookie', cookies(person)).field('_csrf', CSRF);
    for (const [name, value] of Object.entries(fields)) r = r.field(name, value);
    for (const [bytes, filename] of files) r = r.attach('attachments', bytes, { filename, contentType: 'application/octet-stream' });
    return r;
  };
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/[ \t\r\n]+/g, ' ');
  const formTokenOf = (html: string) => /name="formToken" value="([0-9a-f-]{36})"/.exec(html)?.[1];
  const flashCookie = (response: request.Response) =>
    ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('mamori_flash='))?.split(';')[0];
  const count = async (sql: string, params: unknown[]) => ((await t.dataSource.query(sql, params)) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'incident-pages-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    reporter = await createPerson(t, org, { departmentId: somu.id });
    colleague = await createPerson(t, org, { departmentId: somu.id });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    for (const person of [reporter, colleague, manager, csirt]) tokens.set(person, (await signIn(t, person)).accessToken);
  });
  afterAll(() => t.close());

  let incidentId = '';

  it('offers everyone the report form from the menu; a double-clicked submit with its one-time token files one report, with its file once', async () => {
    const page = await get(reporter, '/').expect(200);
    expect(page.text).toMatch(/<a class="site-nav__link" href="\/incidents\/new">インシデントを報告<\/a>/);
    const form = await get(reporter, '/incidents/new').expect(200);
    expect(form.text).toContain('<h1>インシデントを報告する</h1>');
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).toMatch(new RegExp(`<option value="${somu.id}" selected>総務課</option>`));
    // departments by code (JOHO before SOMU)
    expect(form.text.indexOf('>情報政策課</option>')).toBeLessThan(form.text.indexOf('>総務課</option>'));
    const token = formTokenOf(form.text)!;
    expect(token).toBeDefined();
    expect(formTokenOf((await get(reporter, '/incidents/new').expect(200)).text)).not.toBe(token);

    const fields = {
      formToken: token,
      title: 'USBメモリを紛失した',
      description: '帰りの電車で、住民の名簿を入れたUSBメモリをなくしました。',
      occurredAt: '2026-01-05T18:30',
      personalDataInvolved: 'true',
      affectedPeople: '１２０',
      system: 'USBメモリ',
      networkZone: 'lgwan',
      departmentId: somu.id,
    };
    const [first, second] = await Promise.all([reportForm(reporter, fields, [[PNG, '写真.png']]), reportForm(reporter, fields, [[PNG, '写真.png']])]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.headers.location).toBe(second.headers.location);
    incidentId = first.headers.location.replace('/incidents/', '');
    expect(await count(`SELECT count(*)::int AS n FROM incidents WHERE organization_id = $1 AND title = 'USBメモリを紛失した'`, [org])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM incident_attachments WHERE incident_id = $1`, [incidentId])).toBe(1);
    const [row] = (await t.dataSource.query(
      `SELECT reference, occurred_at, affected_people, personal_data_suspected, network_zone FROM incidents WHERE id = $1`,
      [incidentId],
    )) as { reference: string; occurred_at: Date; affected_people: number; personal_data_suspected: boolean; network_zone: string }[];
    expect(row).toMatchObject({ affected_people: 120, personal_data_suspected: true, network_zone: 'lgwan' });
    expect(row!.occurred_at.toISOString()).toBe('2026-01-05T09:30:00.000Z'); // 18:30 in Tokyo

    // the incident's page says so once, naming the reference
    const shown = await get(reporter, first.headers.location, `; ${flashCookie(first)}`).expect(200);
    expect(text(shown.text)).toContain(`${row!.reference} として受け付けました。`);
    expect(text(shown.text)).toContain('写真.png');
    const again = await get(reporter, first.headers.location).expect(200);
    expect(again.text).not.toContain('として受け付けました');

    // the same token with another report is not a new report: the form says so and offers a fresh token
    const reused = await reportForm(reporter, { ...fields, title: '別の報告' }).expect(422);
    expect(text(reused.text)).toContain('この画面の報告は、すでに別の内容で受け付けています。');
    expect(formTokenOf(reused.text)).not.toBe(token);
    // the summary links to something on the page: the button that sends it again; and the page says where the first one is
    expect(reused.text).toContain('href="#report-submit"');
    expect(reused.text).toContain('id="report-submit"');
    expect(reused.text).not.toContain('#Idempotency-Key');
    expect(reused.text).toMatch(/受け付け済みです。[^<]*<a href="\/incidents\/mine">わたしの報告<\/a>/);
  });

  it('refuses a report with the error summary, keeping what was typed and the token, and files nothing', async () => {
    const token = formTokenOf((await get(reporter, '/incidents/new').expect(200)).text)!;
    const empty = await reportForm(reporter, { formToken: token, title: '', description: '画面に警告が出た', affectedPeople: 'たくさん' }).expect(400);
    expect(text(empty.text)).toContain('選んだファイルは送られていません。送る前に、もう一度選んでください。');
    expect(empty.text).toMatch(/<title>エラー：/);
    expect(empty.text).toContain('role="alert"');
    expect(text(empty.text)).toContain('何が起きたかを、ひとことで入力してください');
    expect(text(empty.text)).toContain('人数は 0 以上の数字で入力してください。');
    expect(empty.text).toMatch(/<input id="title"[^>]*aria-invalid="true"/);
    expect(empty.text).toContain('画面に警告が出た</textarea>');
    expect(formTokenOf(empty.text)).toBe(token);
    const exe = await reportForm(reporter, { formToken: token, title: '請求書', description: '添付を保存した' }, [[EXE, '請求書.exe']]).expect(400);
    expect(text(exe.text)).toContain('「請求書.exe」は添付できない種類のファイルです。');
    expect(exe.text).toMatch(/<input id="attachments"[^>]*aria-invalid="true"/);
    const six = Array.from({ length: 6 }, (_, i): [Buffer, string] => [PNG, `画面${i}.png`]);
    const many = await reportForm(reporter, { formToken: token, title: '請求書', description: '添付を保存した' }, six).expect(400);
    expect(text(many.text)).toContain('一度に添付できるファイルは5件までです。');
    expect(await count(`SELECT count(*)::int AS n FROM incidents WHERE organization_id = $1 AND title IN ('請求書', '')`, [org])).toBe(0);
    // the form works again with the same token
    const later = await reportForm(reporter, { formToken: token, title: '請求書', description: '添付を保存した', nearMiss: 'true' }).expect(303);
    expect(later.headers.location).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
  });

  it('shows an incident to its reporter, their manager and the CSIRT; to others it is 404, and the board is the CSIRT’s', async () => {
    await get(reporter, `/incidents/${incidentId}`).expect(200);
    await get(manager, `/incidents/${incidentId}`).expect(200);
    await get(csirt, `/incidents/${incidentId}`).expect(200);
    const other = await get(colleague, `/incidents/${incidentId}`).expect(404);
    expect(other.text).not.toContain('USBメモリを紛失した');
    expect(text(other.text)).toContain('インシデントが見つかりません');
    const attachment = ((await t.dataSource.query(`SELECT id FROM incident_attachments WHERE incident_id = $1`, [incidentId])) as { id: string }[])[0]!.id;
    await get(colleague, `/incidents/${incidentId}/attachments/${attachment}`).expect(404);
    const file = await get(manager, `/incidents/${incidentId}/attachments/${attachment}`).expect(200);
    expect(file.headers['content-type']).toBe('image/png');

    const mine = await get(reporter, '/incidents/mine').expect(200);
    expect(text(mine.text)).toContain('USBメモリを紛失した');
    expect(text(mine.text)).toContain('受付（未判定）');
    expect(text((await get(colleague, '/incidents/mine').expect(200)).text)).not.toContain('USBメモリを紛失した');
    await get(reporter, '/incidents').expect(403);
    await get(manager, '/incidents').expect(403);
    const board = await get(csirt, '/incidents?q=USB&status=open').expect(200);
    expect(text(board.text)).toContain('USBメモリを紛失した');
    expect(text(board.text)).toContain('未確認');
    expect(text((await get(csirt, '/incidents?nearMiss=only').expect(200)).text)).not.toContain('USBメモリを紛失した');
    // staff see no transition form, no task buttons
    const staffView = await get(reporter, `/incidents/${incidentId}`).expect(200);
    expect(staffView.text).not.toContain(`action="/incidents/${incidentId}/transitions"`);
    expect(staffView.text).not.toContain('/external-reports');
  });

  it('answers a transition the table does not allow with the error summary naming, in words, where it may go', async () => {
    const page = await get(csirt, `/incidents/${incidentId}`).expect(200);
    expect(page.text).toMatch(/<option value="triaged"[^>]*>判定する/);
    expect(page.text).not.toMatch(/<option value="closed"/);
    const refused = await post(csirt, `/incidents/${incidentId}/transitions`, { to: 'closed', reason: '終わった' }).expect(409);
    expect(refused.text).toMatch(/<title>エラー：/);
    expect(text(refused.text)).toContain('「受付（未判定）」から「完了」には進められません。今の状態から進めるのは「判定済み・対応中」、「対象外」です。');
    expect(refused.text).toContain('href="#transition-to"');
    expect(refused.text).toContain('終わった</textarea>');
    // a duplicate of itself is refused beside the field of the original's reference
    const reference = ((await t.dataSource.query(`SELECT reference FROM incidents WHERE id = $1`, [incidentId])) as { reference: string }[])[0]!.reference;
    const self = await post(csirt, `/incidents/${incidentId}/transitions`, {
      to: 'rejected',
      reason: '重複',
      rejectionReason: 'duplicate',
      duplicateOf: reference,
    }).expect(400);
    expect(self.text).toContain('href="#duplicateOf"');
    expect(self.text).not.toContain('#duplicateOfId');
    expect(self.text).toMatch(/<input id="duplicateOf"[^>]*aria-invalid="true"/);
    // triage without severity and category names both
    const incomplete = await post(csirt, `/incidents/${incidentId}/transitions`, { to: 'triaged', reason: '確認した' }).expect(400);
    expect(text(incomplete.text)).toContain('判定するには、重大度を選んでください。');
    expect(text(incomplete.text)).toContain('判定するには、分類を選んでください。');
    expect(await count(`SELECT count(*)::int AS n FROM incident_timeline WHERE incident_id = $1 AND kind = 'transition'`, [incidentId])).toBe(0);
    // the triage itself
    const triaged = await post(csirt, `/incidents/${incidentId}/transitions`, {
      to: 'triaged',
      reason: '名簿の紛失を確認',
      severity: 'L2',
      category: 'lost_device',
      personalDataInvolved: 'true',
      affectedPeople: '120',
      assigneeId: csirt.staff.id,
      version: '1',
    }).expect(303);
    expect(triaged.headers.location).toBe(`/incidents/${incidentId}`);
    const after = text((await get(csirt, `/incidents/${incidentId}`).expect(200)).text);
    expect(after).toContain('判定済み・対応中');
    expect(after).toContain('L2 重大');
    expect(after).toContain('含まれる（120 人分）');
    expect(after).toContain('状態を「受付（未判定）」から「判定済み・対応中」に変えました。');
    // the facts of triage in words, the severity once (the transition tells it; its own entry is not repeated)
    expect(after).toContain('個人情報：含まれる（120人）');
    expect(after.split('重大度：未判定 → L2 重大').length - 1).toBe(1);
    const afterEn = text((await get(csirt, `/incidents/${incidentId}`, '; mamori_lang=en').expect(200)).text);
    expect(afterEn).toContain('Personal data: involved (120 people)');
    // a form made from an older version is refused
    const stale = await post(csirt, `/incidents/${incidentId}/transitions`, { to: 'contained', reason: '遮断', version: '1' }).expect(409);
    expect(text(stale.text)).toContain('ほかの人が先にこのインシデントを変更しました。');
  });

  it('adds a task, marks it done, writes a note and acknowledges, each on the timeline in words', async () => {
    await post(csirt, `/incidents/${incidentId}/tasks`, { title: '', phase: 'contain' }).expect(400);
    await post(csirt, `/incidents/${incidentId}/tasks`, { title: '警察に遺失届を出す', phase: 'communicate', assigneeId: csirt.staff.id, dueAt: '' }).expect(
      303,
    );
    const task = ((await t.dataSource.query(`SELECT id FROM incident_tasks WHERE incident_id = $1`, [incidentId])) as { id: string }[])[0]!.id;
    await post(csirt, `/incidents/${incidentId}/tasks/${task}`, { status: 'done', note: '受理番号 123' }).expect(303);
    const again = await post(csirt, `/incidents/${incidentId}/tasks/${task}`, { status: 'done' }).expect(409);
    expect(text(again.text)).toContain('このタスクは、すでにその状態です');
    await post(reporter, `/incidents/${incidentId}/tasks`, { title: 'x' }).expect(403);
    await post(csirt, `/incidents/${incidentId}/timeline`, { kind: 'contact', text: '県に電話で第一報', contact: '県情報政策課' }).expect(303);
    // acknowledging is for those who take the incident on (and the CISO): a manager has no button and is refused
    expect((await get(manager, `/incidents/${incidentId}`).expect(200)).text).not.toContain(`action="/incidents/${incidentId}/acknowledge"`);
    await post(manager, `/incidents/${incidentId}/acknowledge`, { note: '課長確認' }).expect(403);
    expect((await get(csirt, `/incidents/${incidentId}`).expect(200)).text).toContain(`action="/incidents/${incidentId}/acknowledge"`);
    const tooLong = await post(csirt, `/incidents/${incidentId}/acknowledge`, { note: `長すぎるメモ${'あ'.repeat(2000)}` }).expect(400);
    expect(tooLong.text).toMatch(/<input id="ack-note"[^>]*value="長すぎるメモあ/);
    // a double click: the second press by the same person is done too (one acknowledgement), the API keeps its 409
    const acks = await Promise.all([
      post(csirt, `/incidents/${incidentId}/acknowledge`, { note: 'CSIRT確認' }),
      post(csirt, `/incidents/${incidentId}/acknowledge`, { note: 'CSIRT確認' }),
    ]);
    expect(acks.map((r) => r.status)).toEqual([303, 303]);
    expect(acks.map((r) => flashCookie(r))).toEqual(['mamori_flash=notice.incidentAcknowledged', 'mamori_flash=notice.incidentAcknowledged']);
    expect(await count(`SELECT count(*)::int AS n FROM incident_timeline WHERE incident_id = $1 AND kind = 'acknowledgement'`, [incidentId])).toBe(1);
    await request(t.http)
      .post(`/api/v1/incidents/${incidentId}/acknowledge`)
      .set('Authorization', `Bearer ${tokens.get(csirt)}`)
      .send({})
      .expect(409);

    const page = text((await get(csirt, `/incidents/${incidentId}`).expect(200)).text);
    expect(page).toContain('タスク「警察に遺失届を出す」を追加しました。');
    expect(page).toContain('タスク「警察に遺失届を出す」を完了にしました。');
    expect(page).toContain('受理番号 123');
    expect(page).toContain('連絡：県情報政策課');
    expect(page).toContain('「確認しました」を押しました。');
    // newest last
    expect(page.indexOf('報告を受け付けました')).toBeLessThan(page.indexOf('「確認しました」を押しました。'));

    // the reporter (and their manager) read how it went: states and dates, not the responders' notes, tasks or facts
    for (const reader of [reporter, manager]) {
      const html = (await get(reader, `/incidents/${incidentId}`).expect(200)).text;
      const theirs = text(html);
      expect(theirs).toMatch(/報告を受け付けました（INC-\d{4}-\d+）。/);
      expect(theirs).not.toContain('（）');
      expect(theirs).toContain('状態を「受付（未判定）」から「判定済み・対応中」に変えました。');
      expect(theirs).toContain('「確認しました」を押しました。');
      expect(theirs.indexOf('報告を受け付けました')).toBeLessThan(theirs.indexOf('「確認しました」を押しました。'));
      for (const hidden of ['受理番号 123', '県に電話で第一報', '県情報政策課', 'CSIRT確認', '名簿の紛失を確認', '重大度：'])
        expect([hidden, theirs.includes(hidden)]).toEqual([hidden, false]);
      expect(html).toMatch(/<li class="timeline__entry timeline__entry--transition">\s*<p class="timeline__when"><time datetime="[^"]+">/);
      expect(html).not.toContain('undefined');
      expect(html).not.toContain('[object Object]');
      expect(html).not.toContain('incidentPage.');
    }
  });

  it('saves a double-clicked note or task once (the form’s one-time token), and a retried API post with its Idempotency-Key once', async () => {
    const page = (await get(csirt, `/incidents/${incidentId}`).expect(200)).text;
    const tokenIn = (action: string) => new RegExp(`action="${action}"[\\s\\S]*?name="formToken" value="([0-9a-f-]{36})"`).exec(page)?.[1];
    const noteToken = tokenIn(`/incidents/${incidentId}/timeline`)!;
    const taskToken = tokenIn(`/incidents/${incidentId}/tasks`)!;
    expect(noteToken).toBeDefined();
    expect(taskToken).toBeDefined();
    expect(noteToken).not.toBe(taskToken);
    const note = { formToken: noteToken, kind: 'note', text: '二度押しのメモ' };
    const notes = await Promise.all([post(csirt, `/incidents/${incidentId}/timeline`, note), post(csirt, `/incidents/${incidentId}/timeline`, note)]);
    expect(notes.map((r) => r.status)).toEqual([303, 303]);
    expect(await count(`SELECT count(*)::int AS n FROM incident_timeline WHERE incident_id = $1 AND text = '二度押しのメモ'`, [incidentId])).toBe(1);
    const task = { formToken: taskToken, title: '二度押しのタスク', phase: 'contain' };
    const tasks = await Promise.all([post(csirt, `/incidents/${incidentId}/tasks`, task), post(csirt, `/incidents/${incidentId}/tasks`, task)]);
    expect(tasks.map((r) => r.status)).toEqual([303, 303]);
    expect(await count(`SELECT count(*)::int AS n FROM incident_tasks WHERE incident_id = $1 AND title = '二度押しのタスク'`, [incidentId])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM incident_timeline WHERE incident_id = $1 AND data->>'title' = '二度押しのタスク'`, [incidentId])).toBe(
      1,
    );
    // a refused note keeps its token, so that sending it again still saves once
    const refused = await post(csirt, `/incidents/${incidentId}/timeline`, { formToken: noteToken, kind: 'note', text: '' }).expect(400);
    expect(refused.text).toContain(`name="formToken" value="${noteToken}"`);

    const api = (path: string, key: string, body: object) =>
      request(t.http)
        .post(path)
        .set('Authorization', `Bearer ${tokens.get(csirt)}`)
        .set('Idempotency-Key', key)
        .send(body);
    const [a, b] = await Promise.all([
      api(`/api/v1/incidents/${incidentId}/timeline`, 'note-key-1', { kind: 'action', text: 'API から二度' }),
      api(`/api/v1/incidents/${incidentId}/timeline`, 'note-key-1', { kind: 'action', text: 'API から二度' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await count(`SELECT count(*)::int AS n FROM incident_timeline WHERE incident_id = $1 AND text = 'API から二度'`, [incidentId])).toBe(1);
    const [c, d] = await Promise.all([
      api(`/api/v1/incidents/${incidentId}/tasks`, 'task-key-1', { title: 'API のタスク' }),
      api(`/api/v1/incidents/${incidentId}/tasks`, 'task-key-1', { title: 'API のタスク' }),
    ]);
    expect([c.status, d.status]).toEqual([201, 201]);
    expect(c.body.id).toBe(d.body.id);
    expect(await count(`SELECT count(*)::int AS n FROM incident_tasks WHERE incident_id = $1 AND title = 'API のタスク'`, [incidentId])).toBe(1);
    await api(`/api/v1/incidents/${incidentId}/tasks`, 'ü'.repeat(3), { title: 'x' }).expect(400);
  });
  it('words each change of an outside report on the timeline: whom, which report, its due time (ja and en)', async () => {
    const entry = (data: object) =>
      t.dataSource.query(
        `INSERT INTO incident_timeline (organization_id, incident_id, kind, actor_label, data) VALUES ($1, $2, 'external_report', 'Mamori', $3::jsonb)`,
        [org, incidentId, JSON.stringify(data)],
      );
    const due = '2026-12-03T13:18:00.000Z'; // 22:18 in Tokyo
    await entry({ change: 'owed', recipient: 'ppc', kind: 'preliminary', dueAt: due });
    await entry({ change: 'changed', recipient: 'prefecture', kind: 'notice', dueAt: due });
    await entry({ change: 'cancelled', recipient: 'police', kind: 'notice', dueAt: due });
    await entry({ change: 'sent', recipient: 'ppc', kind: 'final', dueAt: due, sentAt: '2026-12-04T00:00:00Z', late: true });
    const ja = text((await get(csirt, `/incidents/${incidentId}`).expect(200)).text);
    expect(ja).toContain('個人情報保護委員会（速報）の期限を 2026/12/03 22:18 に設定しました。');
    expect(ja).toContain('都道府県（通知）の期限を 2026/12/03 22:18 に変えました。');
    expect(ja).toContain('警察（通知）は不要になりました（期限 2026/12/03 22:18）。');
    expect(ja).toContain('個人情報保護委員会（確報）に報告しました。期限（2026/12/03 22:18）を過ぎていました。');
    expect(ja).not.toContain('外部への報告を記録しました。');
    const en = text((await get(csirt, `/incidents/${incidentId}`, '; mamori_lang=en').expect(200)).text);
    expect(en).toContain('Set the due time of the preliminary report to the Personal Information Protection Commission: 3 Dec 2026 22:18.');
    expect(en).toContain('Sent the final report to the Personal Information Protection Commission, after its due time (3 Dec 2026 22:18).');
  });
});
