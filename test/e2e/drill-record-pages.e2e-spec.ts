import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { responsePlanFixture } from '../fixtures/response-plan.js';

const CONTACTS = `contacts:
  - key: prefecture
    name: 県 情報政策課
    kind: prefecture
    phone: 000-0000-0001
    outOfHoursPhone: 090-0000-0002
`;

/** Issue 12: a drill's record page, its printable checklist and the paper sheet entered afterwards. */
describe('drill record pages: the paper sheet entered afterwards, the record with late steps and attendance, the checklist, findings from the drill', () => {
  let t: TestApp;
  let org: string;
  let root: string;
  let removeFixture = (): void => undefined;
  let officer: TestPerson;
  let facilitator: TestPerson;
  let invitee: TestPerson;
  let colleague: TestPerson;
  let outsider: TestPerson;
  let scenarioId: string;
  let somuId: string;
  let drillId: string;
  const day = addDays(tokyoToday(), -2);
  const tokens = new Map<TestPerson, string>();
  const CSRF = 'c'.repeat(43);

  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const post = (person: TestPerson, path: string, fields: Record<string, string | string[]>) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const api = (person: TestPerson, method: 'get' | 'post', url: string) =>
    request(t.http)
      [method](url)
      .set('Authorization', `Bearer ${tokens.get(person)}`);
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const flashOf = (response: request.Response) =>
    ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('mamori_flash='))?.split(';')[0];
  /** the cells of each row of a table's body, as text */
  const rows = (html: string, tableClass: string): string[][] => {
    const table = new RegExp(`<table class="table ${tableClass}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
    return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => words(cell[1]!).trim()),
    );
  };
  /** the paper form as the browser sends it: three steps in order, two rows of injects and problems */
  const paperForm = (step2: string): Record<string, string | string[]> => ({
    date: day,
    startTime: '14:00',
    endTime: '15:30',
    // two invitees ticked; the facilitator, not invited, chosen in the second walk-in select
    present: [invitee.staff.id, colleague.staff.id, '', facilitator.staff.id, ''],
    stepPosition: ['1', '2', '3'],
    stepTime: ['14:12', step2, ''],
    stepNote: ['紙の連絡網で連絡', '', ''],
    eventKind: ['inject', 'problem'],
    eventTime: ['14:05', '14:40'],
    eventText: ['庁舎が停電', '配信業者の連絡先が古かった'],
    lessons: '連絡先の一覧を年度初めに確かめる',
  });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'drill-record-pages-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    somuId = somu.id;
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    facilitator = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    invitee = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    colleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    const absentee = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    outsider = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    const rename = (person: TestPerson, family: string, given: string) =>
      t.dataSource.query(`UPDATE staff SET family_name = $2, given_name = $3 WHERE id = $1`, [person.staff.id, family, given]);
    await rename(facilitator, '進行', '役子');
    await rename(invitee, '招待', '一郎');
    await rename(colleague, '総務', '花子');
    await rename(absentee, '欠席', '次郎');
    for (const person of [officer, facilitator, invitee, outsider]) tokens.set(person, (await signIn(t, person)).accessToken);
    const fixture = responsePlanFixture('mamori-drill-record-', CONTACTS);
    root = fixture.root;
    removeFixture = fixture.remove;
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });
    [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 AND key = 'web-outage'`, [org])) as {
      id: string;
    }[];
    drillId = (
      await api(officer, 'post', '/api/v1/drills')
        .send({
          scenarioId,
          kind: 'tabletop',
          title: '停電時のウェブ停止 机上訓練',
          startsAt: `${day}T14:00:00+09:00`,
          endsAt: `${day}T15:30:00+09:00`,
          location: '本庁舎3階 第1会議室',
          facilitatorId: facilitator.staff.id,
          invitees: { staffIds: [invitee.staff.id], departmentIds: [somuId] },
        })
        .expect(201)
    ).body.id as string;
  });
  afterAll(async () => {
    removeFixture();
    await t.close();
  });

  it('the checklist lists the steps with blanks and the roll of everyone invited; outside contacts only for those who may read them', async () => {
    const sheet = (await page(facilitator, `/drills/${drillId}/checklist`).expect(200)).text;
    const text = words(sheet);
    expect(text).toContain('訓練チェックシート');
    expect(text).toContain('本庁舎3階 第1会議室');
    expect(text).toContain('進行 役子');
    expect(text).toMatch(/開始時刻 ____:____/);
    expect(text).toMatch(/終了時刻 ____:____/);
    expect(rows(sheet, 'drill-sheet-steps')).toEqual([
      ['1', '検知', '監視の警報を確かめる', 'CSIRT', '10分', '____:____', ''],
      ['2', '封じ込め', '配信業者に遮断を依頼する', 'CSIRT', '30分', '____:____', ''],
      ['3', '報告・連絡', '住民向けのお知らせを出す', '情報セキュリティ担当', '1時間', '____:____', ''],
    ]);
    // the roll: the invitee by name, the two of 総務課 by department; a box to tick for each
    const roll = [...sheet.matchAll(/<span class="drill-sheet-roll__name">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(roll.sort()).toEqual(['招待 一郎', '欠席 次郎', '総務 花子'].sort());
    expect(sheet.match(/☐<\/span><span class="visually-hidden">チェック欄<\/span> 出席/g)).toHaveLength(3);
    // staff who run the drill but may not read the contact roster get a word instead of the numbers
    expect(sheet).not.toContain('000-0000-0001');
    expect(text).toContain('外部の連絡先は、緊急連絡網を読める職員');
    // the security office sees the contacts with their out-of-hours numbers
    const forOffice = words((await page(officer, `/drills/${drillId}/checklist`).expect(200)).text);
    expect(forOffice).toContain('県 情報政策課 電話 000-0000-0001 時間外 090-0000-0002');
  });

  it('the paper form refuses a time outside the drill, naming the step, and writes nothing; then enters the record', async () => {
    const form = (await page(facilitator, `/drills/${drillId}/paper`).expect(200)).text;
    expect(form).toContain(`value="${day}"`);
    expect(form).toContain(`name="present" type="checkbox" value="${colleague.staff.id}"`);

    const refused = await post(facilitator, `/drills/${drillId}/paper`, paperForm('16:00')).expect(400);
    const html = refused.text;
    expect(html).toMatch(/<title>エラー：/);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(summary).toContain('autofocus');
    expect(words(summary)).toContain('手順 2「配信業者に遮断を依頼する」の完了時刻 16:00 が、開始 14:00 から終了 15:30 の間にありません。');
    expect(summary).toContain('href="#step-2-time"');
    // beside the step, the field marked; what was typed is kept
    expect(html).toMatch(/<p class="field-error" id="step-2-time-error">/);
    expect(html).toMatch(
      /id="step-2-time" name="stepTime" type="text" inputmode="numeric" autocomplete="off" maxlength="5" class="drill-record-paper__time" value="16:00" aria-describedby="paper-steps-hint step-2-time-error" aria-invalid="true"/,
    );
    expect(html).toContain('value="14:12"');
    expect(html).toContain('value="庁舎が停電"');
    expect(html).toContain(`value="${colleague.staff.id}" checked`);
    // the walk-in kept (in the first select)
    expect(html).toMatch(new RegExp(`<select id="walk-in-1"[\\s\\S]*?value="${facilitator.staff.id}" selected[\\s\\S]*?</select>`));
    const untouched = (await api(facilitator, 'get', `/api/v1/drills/${drillId}/record`).expect(200)).body;
    expect(untouched).toMatchObject({ drillStatus: 'scheduled', startedAt: null, events: [] });

    // a time that cannot be read is named too
    const unreadable = (await post(facilitator, `/drills/${drillId}/paper`, { ...paperForm('25:70') }).expect(400)).text;
    expect(words(unreadable)).toContain('手順 2「配信業者に遮断を依頼する」の完了時刻を 14:25 のように入力してください');

    // someone invited who does not run the drill may not enter it
    await page(invitee, `/drills/${drillId}/paper`).expect(403);
    await post(invitee, `/drills/${drillId}/paper`, paperForm('14:25')).expect(403);

    const entered = await post(facilitator, `/drills/${drillId}/paper`, paperForm('14:25')).expect(303);
    expect(entered.headers.location).toBe(`/drills/${drillId}/record`);
    expect(flashOf(entered)).toBe('mamori_flash=notice.drillPaper_recorded');
    // sent again (a second tab): refused, saying why, with no form to fill
    const again = (await post(facilitator, `/drills/${drillId}/paper`, paperForm('14:25')).expect(409)).text;
    expect(words(again)).toContain('この訓練は紙の記録を入力できる状態ではありません（実施済み）。予定の訓練にだけ入力できます。');
    expect(again).not.toContain('name="stepTime"');
    // once held, the form goes to the record
    expect((await page(facilitator, `/drills/${drillId}/paper`).expect(303)).headers.location).toBe(`/drills/${drillId}/record`);
  });

  it('the record shows the times, the late step in words, the attendance rate, the injects and problems, the lessons', async () => {
    const record = (await page(invitee, `/drills/${drillId}/record`).expect(200)).text;
    const text = words(record);
    expect(text).toContain('訓練記録');
    expect(text).toContain('停電時のウェブ停止 机上訓練');
    expect(text).toContain('ウェブサイトの停止 （第1版）');
    expect(text).toContain('机上訓練');
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日（[日月火水木金土]）/);
    expect(text).toContain('開始 14:00 / 終了 15:30 （所要 90分）');
    expect(text).toContain('紙の記録から入力');
    expect(text).toContain('手順 3 のうち 目標時間内 1・遅れ 1・未実施 1');
    expect(text).toContain('出席率 67%（2/3人）');
    expect(text).toContain('（招集外の出席 1人）');
    expect(record).toContain('遅れた手順：<a href="#step-row-1" class="nowrap">手順 1（2分）</a>');
    expect(record).toContain('<tr id="step-row-1" class="drill-record-steps__late">');
    expect(rows(record, 'drill-record-steps')).toEqual([
      ['1', '検知', '監視の警報を確かめる', 'CSIRT', '10分', '12分 （14:12）', '遅れ 2分', '紙の連絡網で連絡'],
      ['2', '封じ込め', '配信業者に遮断を依頼する', 'CSIRT', '30分', '25分 （14:25）', '目標時間内', ''],
      ['3', '報告・連絡', '住民向けのお知らせを出す', '情報セキュリティ担当', '1時間', '—', '未実施', ''],
    ]);
    expect(rows(record, 'drill-record-attendance')).toEqual(
      expect.arrayContaining([
        ['招待 一郎', '企画課', '出席'],
        ['総務 花子', '総務課', '出席'],
        ['欠席 次郎', '総務課', '欠席'],
        ['進行 役子', '企画課', '出席 （招集外）'],
      ]),
    );
    expect(rows(record, 'drill-record-events')).toEqual([
      ['5分 （14:05）', '状況付与', '庁舎が停電'],
      ['40分 （14:40）', '課題', '配信業者の連絡先が古かった'],
    ]);
    expect(text).toContain('連絡先の一覧を年度初めに確かめる');
    // in English too, without a message key left untranslated
    const english = words((await page(invitee, `/drills/${drillId}/record?lang=en`).expect(200)).text);
    expect(english).toContain('Of 3 steps: 1 on time, 1 late, 1 not done');
    expect(english).toContain('attendance 67% (2/3)');
    expect(english).toContain('Late by 2 min');
    expect(english).not.toMatch(/drillRecord\.|drillSheet\.|responsePlan\./);
    expect(words((await page(invitee, `/drills/${drillId}/checklist?lang=en`).expect(200)).text)).not.toMatch(/drillRecord\.|drillSheet\./);
    // an invitee reads it, without the forms of those who run it
    expect(record).not.toContain(`action="/drills/${drillId}/record/findings"`);
    expect(record).not.toContain(`action="/drills/${drillId}/record/lessons"`);

    const forFacilitator = (await page(facilitator, `/drills/${drillId}/record`).expect(200)).text;
    expect(forFacilitator).toContain(`action="/drills/${drillId}/record/lessons"`);
    const saved = await post(facilitator, `/drills/${drillId}/record/lessons`, { lessons: '連絡先の一覧を年度初めと異動時に確かめる' }).expect(303);
    expect(flashOf(saved)).toBe('mamori_flash=notice.drillRecord_lessonsSaved');
    expect(words((await page(invitee, `/drills/${drillId}/record`).expect(200)).text)).toContain('連絡先の一覧を年度初めと異動時に確かめる');
  });

  it('a finding raised through the record’s form appears on the record and on the findings board (source drill); refused without a department', async () => {
    const refused = (
      await post(facilitator, `/drills/${drillId}/record/findings`, { title: '配信業者の連絡先が古い', severity: 'medium', ownerDepartmentId: '' }).expect(400)
    ).text;
    expect(words(/<div class="error-summary"[\s\S]*?<\/div>/.exec(refused)?.[0] ?? '')).toContain('所管課を選んでください。');
    expect(refused).toContain('href="#finding-ownerDepartmentId"');
    expect(refused).toContain('value="配信業者の連絡先が古い"');

    const raised = await post(facilitator, `/drills/${drillId}/record/findings`, {
      title: '配信業者の連絡先が古い',
      description: '訓練で、配信業者の夜間窓口の番号が変わっていた。',
      severity: 'high',
      ownerDepartmentId: somuId,
      dueDate: '',
    }).expect(303);
    expect(flashOf(raised)).toBe('mamori_flash=notice.drillRecord_findingRaised');
    const board = (await api(officer, 'get', '/api/v1/findings?source=drill').expect(200)).body as {
      items: { id: string; title: string; source: string; sourceId: string }[];
    };
    const finding = board.items.find((item) => item.sourceId === drillId);
    expect(finding).toMatchObject({ title: '配信業者の連絡先が古い', source: 'drill' });
    const record = (await page(invitee, `/drills/${drillId}/record`).expect(200)).text;
    expect(record).toMatch(new RegExp(`<a href="/findings/${finding!.id}">[^<]*配信業者の連絡先が古い</a>`));
    expect(words(record)).toContain('重要度 高');
    // the findings board links the drill's record for the office (who reads every drill)
    const officeBoard = (await page(officer, '/findings?source=drill').expect(200)).text;
    expect(officeBoard).toContain(`<a href="/drills/${drillId}/record">`);
    const findingPage = (await page(officer, `/findings/${finding!.id}`).expect(200)).text;
    expect(findingPage).toContain(`href="/drills/${drillId}/record"`);
  });

  it('a change to the playbook proposed through the record’s form goes into the plan’s draft; refusals at the top; no form for those who may not propose', async () => {
    const summaryOf = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    const proposalsPath = `/drills/${drillId}/record/proposals`;
    // an invitee reads the section, without the form
    const forInvitee = (await page(invitee, `/drills/${drillId}/record`).expect(200)).text;
    expect(forInvitee).toContain('<h2 id="proposals-heading">手順の変更の提案</h2>');
    expect(words(forInvitee)).toContain('この訓練からの提案はまだありません。');
    expect(forInvitee).not.toContain(`action="${proposalsPath}"`);
    // the facilitator gets the form, the first late step chosen
    const form = (await page(facilitator, `/drills/${drillId}/record`).expect(200)).text;
    expect(form).toContain(`action="${proposalsPath}"`);
    expect(form).toContain('<option value="1" selected>1. 監視の警報を確かめる（目標 10分）</option>');
    expect(form).toContain('<option value="2">2. 配信業者に遮断を依頼する（目標 30分）</option>');
    expect(form).toMatch(/<label for="proposal-reason">理由/);

    // neither a new target nor a new wording: refused at the top, on both fields, what was typed kept
    const nothing = (
      await post(facilitator, proposalsPath, { position: '1', targetMinutes: '', action: '', reason: '連絡網の確認に時間がかかった' }).expect(400)
    ).text;
    expect(nothing).toMatch(/<title>エラー：/);
    expect(summaryOf(nothing)).toContain('autofocus');
    expect(words(summaryOf(nothing))).toContain('新しい目標か新しい文言の、少なくとも一方を入力してください。');
    expect(summaryOf(nothing)).toContain('href="#proposal-targetMinutes"');
    expect(nothing).toMatch(/id="proposal-action" name="action"[^>]*aria-invalid="true"/);
    expect(nothing).toContain('>連絡網の確認に時間がかかった</textarea>');
    expect(nothing).toContain('<option value="1" selected>');
    // a target that breaks the order of the targets, either way, as a sentence about the step
    const later = (await post(facilitator, proposalsPath, { position: '1', targetMinutes: '45', action: '', reason: '遅れた' }).expect(400)).text;
    expect(words(summaryOf(later))).toContain('手順 1「監視の警報を確かめる」の新しい目標 45分 は、次の手順 2 の目標 30分 より長くできません。');
    expect(later).toContain('value="45"');
    const earlier = (await post(facilitator, proposalsPath, { position: '2', targetMinutes: '5', action: '', reason: '早くできる' }).expect(400)).text;
    expect(words(summaryOf(earlier))).toContain('手順 2「配信業者に遮断を依頼する」の新しい目標 5分 は、前の手順 1 の目標 10分 より短くできません。');
    expect(earlier).toContain('<option value="2" selected>');
    // no reason, no step, a target that is not a number
    const blank = (await post(facilitator, proposalsPath, { position: '', targetMinutes: '十五', action: '', reason: ' ' }).expect(400)).text;
    const said = words(summaryOf(blank));
    expect(said).toContain('変更する手順を選んでください。');
    expect(said).toContain('新しい目標は 0 以上の整数（分）で入力してください');
    expect(said).toContain('理由を入力してください');
    // a step the playbook does not have
    expect(words(summaryOf((await post(facilitator, proposalsPath, { position: '9', targetMinutes: '70', reason: 'x' }).expect(400)).text))).toContain(
      '手順 9 はありません。対応手順は 3 手順です。',
    );
    expect((await api(facilitator, 'get', `/api/v1/drills/${drillId}/proposals`).expect(200)).body.total).toBe(0);

    // someone invited who does not run the drill may not propose (whatever they send); someone who does not see it gets 404
    await post(invitee, proposalsPath, { position: '1', targetMinutes: '15', reason: '遅れた' }).expect(403);
    await post(invitee, proposalsPath, { position: '', reason: '' }).expect(403);
    await post(outsider, proposalsPath, { position: '1', targetMinutes: '15', reason: '遅れた' }).expect(404);

    // the facilitator proposes a longer target for the late step; the office a new wording for step 3
    const proposed = await post(facilitator, proposalsPath, {
      position: '1',
      targetMinutes: '１５',
      action: '',
      reason: '停電時は監視画面の確認に時間がかかる',
    }).expect(303);
    expect(proposed.headers.location).toBe(`/drills/${drillId}/record#proposals-heading`);
    expect(flashOf(proposed)).toBe('mamori_flash=notice.drillProposal_proposed');
    await post(officer, proposalsPath, {
      position: '3',
      targetMinutes: '',
      action: '住民向けのお知らせをウェブとSNSで出す',
      reason: 'ウェブが止まるとお知らせが届かない',
    }).expect(303);

    // both are in the plan's draft, as changed steps of the scenario
    const versions = (await api(officer, 'get', '/api/v1/response-plan/versions').expect(200)).body as { items: { version: number; status: string }[] };
    const draft = versions.items.find((v) => v.status === 'draft');
    expect(draft).toBeDefined();
    const detail = (await api(officer, 'get', `/api/v1/response-plan/versions/${draft!.version}`).expect(200)).body as {
      scenarioRevisions: Record<string, number>;
    };
    // the draft names the scenario's newest revision, which holds both changes
    const revision = detail.scenarioRevisions[scenarioId];
    expect(revision).toBe(3);
    const steps = (await t.dataSource.query(
      `SELECT position, action, target_minutes FROM playbook_steps WHERE organization_id = $1 AND scenario_id = $2 AND revision = $3 ORDER BY position`,
      [org, scenarioId, revision],
    )) as { position: number; action: string; target_minutes: number }[];
    expect(steps).toEqual([
      { position: 1, action: '監視の警報を確かめる', target_minutes: 15 },
      { position: 2, action: '配信業者に遮断を依頼する', target_minutes: 30 },
      { position: 3, action: '住民向けのお知らせをウェブとSNSで出す', target_minutes: 60 },
    ]);
    const [inForce] = (await t.dataSource.query(`SELECT revision, latest_revision FROM response_scenarios WHERE id = $1`, [scenarioId])) as {
      revision: number;
      latest_revision: number;
    }[];
    // not in force until the CISO approves
    expect(inForce).toEqual({ revision: 1, latest_revision: 3 });

    // the record lists them: the step as it read, the change, why, who, when, the draft they went into
    const record = (await page(officer, `/drills/${drillId}/record`).expect(200)).text;
    const section = words(/<section aria-labelledby="proposals-heading"[\s\S]*?<\/section>/.exec(record)?.[0] ?? '');
    expect(section).toContain('手順 1 「監視の警報を確かめる」 目標 10分 → 15分 理由 停電時は監視画面の確認に時間がかかる 提案者 進行 役子');
    expect(section).toMatch(new RegExp(`進行 役子 \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2} 改訂案 第${draft!.version}版（承認待ち） 改訂案を見る`));
    expect(section).toContain('手順 3 「住民向けのお知らせを出す」 新しい文言 住民向けのお知らせをウェブとSNSで出す 理由 ウェブが止まるとお知らせが届かない');
    expect(section).not.toMatch(/手順 3[^手]*目標/);
    expect(record).toContain('<a href="/response-plan/draft" class="no-print">改訂案を見る</a>');
    // the form offers the newest playbook (the draft's)
    expect(record).toContain('<option value="1" selected>1. 監視の警報を確かめる（目標 15分）</option>');
    // an invitee sees the proposals, not the link to the draft (they may not read drafts)
    const seen = (await page(invitee, `/drills/${drillId}/record`).expect(200)).text;
    expect(words(seen)).toContain('目標 10分 → 15分');
    expect(seen).not.toContain('href="/response-plan/draft"');
    expect(words(seen)).toContain(`第${draft!.version}版（承認待ち）`);
    // in English, without a message key left untranslated
    const english = words((await page(facilitator, `/drills/${drillId}/record?lang=en`).expect(200)).text);
    expect(english).toContain('Proposed changes to the playbook');
    expect(english).toContain('10 min → 15 min');
    expect(english).not.toMatch(/drillProposal\./);
  });

  it('someone who may not see the drill gets 404 on its pages', async () => {
    for (const path of ['record', 'checklist', 'paper']) await page(outsider, `/drills/${drillId}/${path}`).expect(404);
    await post(outsider, `/drills/${drillId}/record/findings`, { title: 'x', severity: 'low', ownerDepartmentId: somuId }).expect(404);
    await page(officer, '/drills/00000000-0000-4000-8000-000000000000/record').expect(404);
    await page(officer, '/drills/not-a-uuid/record').expect(400);
  });
});
