import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf, formatDate, formatFiscalYear } from '../../src/common/dates.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { responsePlanFixture } from '../fixtures/response-plan.js';

const MINUTE = 60_000;
const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** Issue 12: the drill pages — the calendar, the schedule form, a drill's page, and the facilitator's live page without JavaScript. */
describe('drill pages: the calendar of what the viewer sees, scheduling in the form, running a drill through forms without JavaScript', () => {
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
  const tokens = new Map<TestPerson, string>();
  const CSRF = 'c'.repeat(43);
  const day = addDays(tokyoToday(), 1); // tomorrow: a drill is started from the day before its day on
  const fy = fiscalYearOf(day);
  let drillId: string;

  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const form = (person: TestPerson, path: string, fields: Record<string, string | string[]> = {}) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const words = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x3D;/g, '=')
      .replace(/\s+/g, ' ');
  const summaryOf = (html: string) => {
    const box = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    return [...box.matchAll(/<li>(?:<a href="([^"]*)">)?([\s\S]*?)(?:<\/a>)?<\/li>/g)].map((m) => ({ href: m[1] ?? null, text: m[2]! }));
  };
  const flashOf = (response: request.Response) => {
    const cookie = ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('mamori_flash='));
    return cookie ? decodeURIComponent(cookie.split(';')[0]!) : undefined;
  };
  /** the page's own content, without the header's forms */
  const mainOf = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
  /** the live page's step with this position */
  const stepOf = (html: string, position: number) => new RegExp(`<li id="step-${position}"[\\s\\S]*?</li>`).exec(html)?.[0] ?? '';

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'drill-pages-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    somuId = somu.id;
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    facilitator = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    invitee = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    colleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    outsider = await createPerson(t, org, { roles: ['staff'], departmentId: kikaku.id });
    const names: [TestPerson, string, string][] = [
      [facilitator, '進行', '太郎'],
      [invitee, '招集', '花子'],
      [colleague, '総務', '一郎'],
    ];
    for (const [person, family, given] of names)
      await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName: family, givenName: given });
    for (const person of [officer, facilitator, invitee, colleague, outsider]) tokens.set(person, (await signIn(t, person)).accessToken);
    const fixture = responsePlanFixture('mamori-drill-pages-');
    root = fixture.root;
    removeFixture = fixture.remove;
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });
    [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 AND key = 'web-outage'`, [org])) as {
      id: string;
    }[];
  });
  afterAll(async () => {
    removeFixture();
    await t.close();
  });

  const good = () => ({
    scenarioId,
    kind: 'tabletop',
    title: 'ウェブ停止 机上訓練',
    date: day,
    startTime: '10:00',
    endTime: '11:30',
    location: '本庁舎3階 第1会議室',
    onlineUrl: '',
    facilitatorId: facilitator.staff.id,
    inviteDepartmentIds: [somuId],
    inviteEmails: invitee.email.toUpperCase(),
  });

  it('the office schedules a drill in the form; a bad form is shown again with the error at the top and the fields kept', async () => {
    const blank = await page(officer, '/drills/new').expect(200);
    for (const text of ['訓練を予定する', 'ウェブサイトの停止', '机上訓練', '機能訓練', '総合訓練', '進行 太郎（企画課）', '総務課', 'CSIRT'])
      expect(blank.text).toContain(text);
    await page(facilitator, '/drills/new').expect(403);

    // no title: refused, linked to the field, the rest kept
    const untitled = await form(officer, '/drills', { ...good(), title: '' }).expect(400);
    expect(summaryOf(untitled.text)).toEqual([{ href: '#title', text: '件名を入力してください（200文字以内）。' }]);
    expect(untitled.text).toContain('value="本庁舎3階 第1会議室"');
    expect(untitled.text).toMatch(new RegExp(`<option value="${facilitator.staff.id}" selected>`));
    expect(untitled.text).toMatch(/<title>エラー：/);
    // the end before the start, and an address no one has
    const backwards = await form(officer, '/drills', { ...good(), endTime: '09:00' }).expect(400);
    expect(summaryOf(backwards.text)).toEqual([{ href: '#endTime', text: '終了時刻は開始時刻より後にしてください。' }]);
    const stranger = await form(officer, '/drills', { ...good(), inviteEmails: `${invitee.email}\nnobody@example.invalid` }).expect(400);
    expect(summaryOf(stranger.text)).toEqual([{ href: '#inviteEmails', text: '次のメールアドレスの職員が見つかりません：nobody@example.invalid' }]);
    expect(stranger.text).toMatch(new RegExp(`id="inviteDepartmentIds-${somuId}"[^>]*checked`));

    const done = await form(officer, '/drills', good()).expect(303);
    expect(flashOf(done)).toBe('mamori_flash=notice.drills_scheduled');
    drillId = /\/drills\/([0-9a-f-]{36})$/.exec(done.headers.location as string)![1]!;
    const shown = words((await page(officer, `/drills/${drillId}`).expect(200)).text);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
    expect(shown).toContain(`${y}年${m}月${d}日（${weekday}）10:00〜11:30`);
    expect(shown).toContain('いま招集の対象になる職員は 2 人です。');
    expect(shown).toContain('招集 花子');
    expect(shown).toContain('訓練を中止する');
  });

  it('the calendar lists only the drills the viewer sees, by month, with the year’s figures for the office; the invitation downloads with the session', async () => {
    // a second drill the invitee is not invited to
    await form(officer, '/drills', {
      ...good(),
      title: '経営層向け 総合訓練',
      kind: 'full_scale',
      inviteDepartmentIds: [],
      inviteEmails: '',
      inviteRoles: ['ciso'],
    }).expect(303);

    const forOfficer = await page(officer, `/drills?fiscalYear=${fy}`).expect(200);
    const officerText = words(forOfficer.text);
    expect(officerText).toContain(`${formatFiscalYear(fy, 'ja')}の訓練`);
    expect(officerText).toContain('ウェブ停止 机上訓練');
    expect(officerText).toContain('経営層向け 総合訓練');
    expect(officerText).toContain(`${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月`);
    expect(officerText).toContain('実施回数');
    expect(officerText).toContain('目標時間内に完了した手順の割合');
    expect(forOfficer.text).toContain('href="/drills/new"');

    const forInvitee = await page(invitee, `/drills?fiscalYear=${fy}`).expect(200);
    expect(forInvitee.text).toMatch(/href="\/drills"[^>]*>訓練<\/a>/); // the menu entry
    const inviteeText = words(forInvitee.text);
    expect(inviteeText).toContain('ウェブ停止 机上訓練');
    expect(inviteeText).not.toContain('経営層向け 総合訓練');
    expect(inviteeText).not.toContain('実施回数');
    expect(forInvitee.text).not.toContain('href="/drills/new"');
    expect(words((await page(outsider, `/drills?fiscalYear=${fy}`).expect(200)).text)).toContain('この年度の訓練はありません。');

    const ics = await page(invitee, `/drills/${drillId}/invite.ics`).expect(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.text).toContain('BEGIN:VCALENDAR');
    await page(outsider, `/drills/${drillId}/invite.ics`).expect(404);
    await page(outsider, `/drills/${drillId}`).expect(404);
  });

  it('the facilitator starts the drill, marks steps (late ones in words), the roll and an inject, takes a step back and finishes, all by forms', async () => {
    const before = await page(facilitator, `/drills/${drillId}`).expect(200);
    expect(before.text).toContain('訓練を開始する');
    const started = await form(facilitator, `/drills/${drillId}/start`).expect(303);
    expect(started.headers.location).toBe(`/drills/${drillId}/run`);
    expect(flashOf(started)).toBe('mamori_flash=notice.drills_started');

    let live = await page(facilitator, `/drills/${drillId}/run`).expect(200);
    expect(words(live.text)).toContain('開始から 0分');
    expect(live.text).not.toContain('http-equiv="refresh"');
    expect(live.text.match(/>完了<\/button>/g)).toHaveLength(3);

    const step1 = await form(facilitator, `/drills/${drillId}/run/steps/1`, { note: '警報を確認' }).expect(303);
    expect(step1.headers.location).toBe(`/drills/${drillId}/run#step-1`);
    expect(flashOf(step1)).toBe('mamori_flash=notice.drills_stepDone|position=1');
    // pretend the drill started 45 minutes ago: step 2 (target 30 minutes) is 15 minutes late
    await t.dataSource.query(`UPDATE drills SET started_at = $2 WHERE id = $1`, [drillId, new Date(Date.now() - 45 * MINUTE + 5_000)]);
    await form(facilitator, `/drills/${drillId}/run/steps/2`).expect(303);
    live = await page(facilitator, `/drills/${drillId}/run`).expect(200);
    expect(words(live.text)).toContain('開始から 44分');
    expect(words(stepOf(live.text, 1))).toContain('警報を確認'); // done before the clock was moved back: late too
    expect(words(stepOf(live.text, 2))).toMatch(/完了 \d\d:\d\d（開始から 45分） 遅れ 15分/);
    expect(stepOf(live.text, 2)).toContain('>取消</button>');
    expect(stepOf(live.text, 3)).toContain('>完了</button>');
    expect(words(live.text)).toContain('3 手順のうち 2 完了（遅れ 2）');
    const english = words((await page(facilitator, `/drills/${drillId}/run?lang=en`).expect(200)).text);
    expect(english).toContain('44 min since the start');
    expect(english).toContain('15 min late');
    expect(english).not.toMatch(/drills\.[a-z]/);

    // the roll: everyone invited, ticked as saved
    const roll = await form(facilitator, `/drills/${drillId}/run/attendance`, { presentStaffIds: [invitee.staff.id] }).expect(303);
    expect(roll.headers.location).toBe(`/drills/${drillId}/run#attendance-heading`);
    live = await page(facilitator, `/drills/${drillId}/run`).expect(200);
    expect(live.text).toMatch(new RegExp(`id="present-${invitee.staff.id}"[^>]*checked`));
    expect(live.text).not.toMatch(new RegExp(`id="present-${colleague.staff.id}"[^>]*checked`));
    expect(words(live.text)).toContain('招集 2 人のうち出席 1 人');

    // an inject; an empty one is refused at the top, linked to its box
    const empty = await form(facilitator, `/drills/${drillId}/run/events`, { kind: 'inject', text: '' }).expect(400);
    expect(summaryOf(empty.text)).toEqual([{ href: '#inject-text', text: '内容を入力してください（2000文字以内）。' }]);
    await form(facilitator, `/drills/${drillId}/run/events`, { kind: 'inject', text: '住民から「町HPが見られない」と電話' }).expect(303);
    await form(facilitator, `/drills/${drillId}/run/events`, { kind: 'problem', text: '配信業者の夜間連絡先が古かった' }).expect(303);

    // a step taken back
    const undo = await form(facilitator, `/drills/${drillId}/run/steps/1/undo`).expect(303);
    expect(flashOf(undo)).toBe('mamori_flash=notice.drills_stepUndone|position=1');
    live = await page(facilitator, `/drills/${drillId}/run`).expect(200);
    expect(stepOf(live.text, 1)).toContain('>完了</button>');
    const events = words(live.text);
    expect(events).toContain('状況付与');
    expect(events).toContain('住民から「町HPが見られない」と電話');
    expect(events).toContain('配信業者の夜間連絡先が古かった');

    const finished = await form(facilitator, `/drills/${drillId}/run/finish`, { lessons: '連絡先を四半期ごとに確かめる' }).expect(303);
    expect(finished.headers.location).toBe(`/drills/${drillId}`);
    expect(flashOf(finished)).toBe('mamori_flash=notice.drills_finished');
    expect(words((await page(facilitator, `/drills/${drillId}`).expect(200)).text)).toContain('この訓練は実施済みです。');
    // the year's figures count it: held once, half of the invited there, no step on time (step 2 late, the others not done)
    const figures = words((await page(officer, `/drills?fiscalYear=${fy}`).expect(200)).text);
    expect(figures).toContain('実施回数 1 回 机上 1 ・ 機能 0 ・ 総合 0');
    expect(figures).toContain('出席率 50.0% 招集 2 人のうち 1 人');
    expect(figures).toContain('目標時間内に完了した手順の割合 0.0% 3 手順のうち 0（遅れ 1、未実施 2）');

    // once finished, the live page's forms are gone and a late post is refused at the top with the drill's state
    const late = await form(facilitator, `/drills/${drillId}/run/steps/3`).expect(409);
    expect(summaryOf(late.text)).toEqual([{ href: null, text: 'この訓練は「実施済」です。実施中の訓練だけ記録できます。' }]);
    expect(late.text).toMatch(/<title>エラー：/);
    live = await page(facilitator, `/drills/${drillId}/run`).expect(200);
    expect(live.text).not.toContain('>完了</button>');
    expect(words(live.text)).toContain('連絡先を四半期ごとに確かめる');
  });

  it('someone who does not run the drill sees it without buttons, and their posts are refused; the office cancels a drill with a reason', async () => {
    await form(officer, '/drills', { ...good(), title: '二回目の机上訓練' }).expect(303);
    const [{ id }] = (await t.dataSource.query(`SELECT id FROM drills WHERE organization_id = $1 AND title = '二回目の机上訓練'`, [org])) as { id: string }[];

    const drillPage = await page(invitee, `/drills/${id}`).expect(200);
    expect(drillPage.text).not.toContain('訓練を開始する');
    expect(drillPage.text).not.toContain('訓練を中止する');
    await form(invitee, `/drills/${id}/start`).expect(403);
    await form(facilitator, `/drills/${id}/start`).expect(303);
    const watching = await page(invitee, `/drills/${id}/run`).expect(200);
    expect(mainOf(watching.text)).not.toContain('<button');
    expect(mainOf(watching.text)).not.toContain('<form');
    expect(words(watching.text)).toContain('進行役と情報セキュリティ担当だけが記録できます。');
    await form(invitee, `/drills/${id}/run/steps/1`).expect(403);
    await form(invitee, `/drills/${id}/run/finish`).expect(403);
    await form(outsider, `/drills/${id}/run/steps/1`).expect(404);

    // cancelling: a running drill is refused at the top; a scheduled one needs a reason
    const running = await form(officer, `/drills/${id}/cancel`, { reason: '台風接近のため' }).expect(409);
    expect(summaryOf(running.text)).toEqual([{ href: null, text: 'この訓練は「実施中」です。予定の訓練だけ開始・中止できます。' }]);
    const again = await form(facilitator, `/drills/${id}/start`).expect(409);
    expect(summaryOf(again.text)).toEqual([{ href: null, text: 'この訓練は「実施中」です。予定の訓練だけ開始・中止できます。' }]);
    await form(officer, '/drills', { ...good(), title: '中止する訓練' }).expect(303);
    const [{ id: other }] = (await t.dataSource.query(`SELECT id FROM drills WHERE organization_id = $1 AND title = '中止する訓練'`, [org])) as {
      id: string;
    }[];
    // 開始 on a drill weeks ahead is refused at the top, saying its day
    const later = addDays(tokyoToday(), 40);
    await form(officer, '/drills', { ...good(), title: '来月の訓練', date: later }).expect(303);
    const [{ id: ahead }] = (await t.dataSource.query(`SELECT id FROM drills WHERE organization_id = $1 AND title = '来月の訓練'`, [org])) as { id: string }[];
    const tooEarly = await form(facilitator, `/drills/${ahead}/start`).expect(409);
    expect(summaryOf(tooEarly.text)).toEqual([
      {
        href: null,
        text: `この訓練の予定日は${formatDate(later, 'ja')}です。開始できるのは予定日の前日からです。今日行う場合は、先に日時を変更してください。`,
      },
    ]);
    const noReason = await form(officer, `/drills/${other}/cancel`, { reason: ' ' }).expect(400);
    expect(summaryOf(noReason.text)).toEqual([{ href: '#reason', text: '中止の理由を1000文字以内で入力してください。' }]);
    await form(facilitator, `/drills/${other}/cancel`, { reason: 'x' }).expect(403);
    const cancelled = await form(officer, `/drills/${other}/cancel`, { reason: '台風接近のため' }).expect(303);
    expect(flashOf(cancelled)).toBe('mamori_flash=notice.drills_cancelled');
    const shown = words((await page(invitee, `/drills/${other}`).expect(200)).text);
    expect(shown).toContain('この訓練は中止になりました。');
    expect(shown).toContain('理由：台風接近のため');
  });
});
