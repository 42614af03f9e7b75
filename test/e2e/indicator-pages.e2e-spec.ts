import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 13: the indicator pages — the dashboard, an indicator's page with a manual value, the fiscal years with the CISO's close and reopen. */
describe('indicator pages: the dashboard, an indicator with its records and manual values, the year close through forms', () => {
  let t: TestApp;
  let org: string;
  let ciso: TestPerson;
  let officer: TestPerson;
  let auditor: TestPerson;
  let staff: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const CSRF = 'c'.repeat(43);
  const fy = fiscalYearOf(tokyoToday());
  const lastYear = fy - 1;

  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const form = (person: TestPerson, path: string, fields: Record<string, string> = {}) =>
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
  const mainOf = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
  const summaryOf = (html: string) => {
    const box = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    return [...box.matchAll(/<li>(?:<a href="([^"]*)">)?([\s\S]*?)(?:<\/a>)?<\/li>/g)].map((m) => ({ href: m[1] ?? null, text: m[2]! }));
  };

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'indicator-pages-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    auditor = await createPerson(t, org, { roles: ['auditor'] });
    staff = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    for (const person of [ciso, officer, auditor, staff]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the dashboard to the security office, the CISO and the auditors, by plan item with status words and a chart with its text; staff are refused', async () => {
    const response = await page(officer, '/dashboard').expect(200);
    const main = mainOf(response.text);
    const text = words(main);
    expect(text).toContain('指標ダッシュボード');
    expect(text).toMatch(/令和\d+年度（\d{4}年度）の指標と目標/);
    // the plan's own items first, in order, then the other chapters'
    const groups = [...main.matchAll(/<h2 id="plan-([^"]+)"/g)].map((m) => m[1]);
    expect(groups.slice(0, 5)).toEqual(['III-1', 'III-2', 'III-3', 'III-4', 'III-5']);
    expect(groups.length).toBeGreaterThan(5);
    // each figure links to its page, says its status in words and has a chart with a text alternative
    expect(main).toContain(`href="/indicators/training_completion?fiscalYear&#x3D;${fy}"`);
    expect(text).toMatch(/達成|未達成|順調|要注意|データなし/);
    expect(main).toMatch(/<svg class="indicator-trend"[^>]*role="img"[^>]*aria-labelledby="trend-security_incidents-title trend-security_incidents-desc"/);
    expect(main).toMatch(/<desc id="trend-security_incidents-desc">[^<]*\d{4}年度 0件（(達成|順調|データなし|目標なし|未達成)）/);
    // the overdue work and the incidents open now, with links
    expect(main).toContain('href="/incidents?status&#x3D;open"');
    expect(main).toContain('href="/work"');

    await page(ciso, '/dashboard').expect(200);
    const auditorPage = await page(auditor, '/dashboard').expect(200);
    expect(mainOf(auditorPage.text)).not.toContain('/incidents?status&#x3D;open'); // an auditor does not see every incident
    for (const path of ['/dashboard', '/indicators/training_completion', '/fiscal-years']) await page(staff, path).expect(403);
    await form(staff, `/fiscal-years/${lastYear}/close`).expect(403);
  });

  it('shows the CISO the overdue findings the security office works on, each linked to a list they may open; an auditor no link to /work', async () => {
    // a finding of last year past its due date, not verified
    await t.dataSource.query(
      `INSERT INTO findings (organization_id, reference, fiscal_year, source, title, severity, due_date, status)
       VALUES ($1, 'F-OVERDUE-1', $2, 'manual', '期限切れの指摘', 'medium', $3, 'in_progress')`,
      [org, lastYear, `${lastYear}-06-30`],
    );
    const cisoPage = mainOf((await page(ciso, '/dashboard').expect(200)).text);
    expect(cisoPage).toContain('href="/findings?overdue&#x3D;true"');
    expect(words(cisoPage)).toMatch(/期限を過ぎた指摘事項 期限超過 1件/);
    expect(words(cisoPage)).not.toContain('期限を過ぎた作業はありません');
    expect(cisoPage).toContain('href="/work"');
    const auditorPage = mainOf((await page(auditor, '/dashboard').expect(200)).text);
    expect(auditorPage).toContain('href="/findings?overdue&#x3D;true"'); // auditors verify findings: they may open the list
    expect(auditorPage).not.toContain('href="/work"'); // but not the work queue
    // the close shows what it would freeze, with the open finding of the year; each year links to its annual report
    const years = mainOf((await page(ciso, '/fiscal-years').expect(200)).text);
    const year = new RegExp(`<li class="fiscal-year" id="year-${lastYear}">[\\s\\S]*?</li>\\s*<li class="fiscal-year"`).exec(years)?.[0] ?? '';
    expect(year).toContain(`href="/reports/annual?fiscalYear&#x3D;${lastYear}"`);
    expect(words(year)).toContain('締めると確定するもの');
    expect(words(year)).toMatch(/達成 \d+件・未達成 \d+件・データなし \d+件・目標なし \d+件/);
    expect(words(year)).toContain('期限がこの年度内で、まだ確認済みでない指摘事項が1件あります');
    expect(words(year)).toContain('締めた時点の監査証跡の最新の記録（通番とハッシュ）');
    await t.dataSource.query(`DELETE FROM findings WHERE organization_id = $1 AND reference = 'F-OVERDUE-1'`, [org]);
  });

  it('says 目標なし for a value without a target and a count with its counter word (presentation only: the API keeps no_data)', async () => {
    const path = `/indicators/near_misses?fiscalYear=${fy}`;
    const detail = words(mainOf((await page(officer, path).expect(200)).text));
    expect(detail).toContain('出典 記録から計算');
    expect(detail).toMatch(/状況 目標なし/);
    expect(detail).toMatch(/値 \d+件/);
  });

  it('shows an indicator: definition, target, history, the records counted with their links; an unknown code is a 404', async () => {
    const detail = await page(ciso, `/indicators/controls_implemented?fiscalYear=${fy}`).expect(200);
    const main = mainOf(detail.text);
    expect(words(main)).toContain('対策基準の管理策の実施率');
    expect(words(main)).toContain('年度ごとの推移');
    expect(main).toMatch(/<caption id="history-caption">/);
    expect(main).toMatch(/<th scope="row"><span aria-current="true">令和\d+年度/);
    expect(words(main)).toContain('数えた記録');
    expect(main).toMatch(/href="\/controls\/[0-9a-f-]{36}"/);
    await page(ciso, '/indicators/no_such_indicator').expect(404);
  });

  it('takes a manual value only with a source note: refused, the error summary at the top links to the field; then listed', async () => {
    const path = `/indicators/line_subscribers/values/${fy}`;
    const refused = await form(officer, path, { value: '3120', sourceNote: '  ' }).expect(400);
    expect(refused.text).toMatch(/<title>エラー：/);
    const summary = summaryOf(refused.text);
    expect(summary).toEqual([{ href: '#sourceNote', text: expect.stringContaining('出典') as string }]);
    expect(refused.text.indexOf('class="error-summary"')).toBeLessThan(refused.text.indexOf('<h1'));
    expect(refused.text).toMatch(/<textarea id="sourceNote" name="sourceNote"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('value="3120"'); // what was typed stays
    expect(summaryOf(refused.text)[0]!.text).toContain('出典を入力してください');
    // the value's message says what the unit takes, as its hint does
    const notWhole = await form(officer, path, { value: '12.5', sourceNote: '企画課' }).expect(400);
    expect(summaryOf(notWhole.text)).toEqual([{ href: '#value', text: '値を0以上の整数で入力してください。' }]);

    const done = await form(officer, path, { value: '3120', sourceNote: '企画課：LINE公式アカウント管理画面' }).expect(303);
    expect(done.headers.location).toBe(`/indicators/line_subscribers?fiscalYear=${fy}#entries-heading`);
    const after = words(mainOf((await page(officer, `/indicators/line_subscribers?fiscalYear=${fy}`).expect(200)).text));
    expect(after).toContain('企画課：LINE公式アカウント管理画面');
    expect(after).toContain('3,120');
    // the auditor reads it but has no form
    const auditorPage = (await page(auditor, `/indicators/line_subscribers?fiscalYear=${fy}`).expect(200)).text;
    expect(auditorPage).not.toContain(`action="${path}"`);
    await form(auditor, path, { value: '1', sourceNote: 'x' }).expect(403);
  });

  it('closes a year that is over and reopens it with a reason through the fiscal years page; refusals show at the top', async () => {
    const list = mainOf((await page(ciso, '/fiscal-years').expect(200)).text);
    expect(list).toContain(`action="/fiscal-years/${lastYear}/close"`);
    expect(list).not.toContain(`action="/fiscal-years/${fy}/close"`); // the current year is not over
    expect(mainOf((await page(officer, '/fiscal-years').expect(200)).text)).not.toContain('/close"'); // only the CISO closes

    const early = await form(ciso, `/fiscal-years/${fy}/close`).expect(409);
    expect(summaryOf(early.text)).toEqual([{ href: `#note-${fy}`, text: expect.stringContaining('まだ終わっていません') as string }]);

    const closed = await form(ciso, `/fiscal-years/${lastYear}/close`, { note: '情報化推進委員会で確認' }).expect(303);
    expect(closed.headers.location).toBe(`/fiscal-years#year-${lastYear}`);
    // the notice names the year both ways: 令和N年度（YYYY年度）
    expect(decodeURIComponent(JSON.stringify(closed.headers['set-cookie']))).toContain(`notice.fiscalYears_closed|era=${lastYear - 2018}|year=${lastYear}`);
    const after = mainOf((await page(ciso, '/fiscal-years').expect(200)).text);
    const year = new RegExp(`<li class="fiscal-year" id="year-${lastYear}">[\\s\\S]*?</li>\\s*<li`).exec(after)?.[0] ?? '';
    expect(words(year)).toContain('確定済み');
    expect(words(year)).toContain('情報化推進委員会で確認');
    expect(year).toMatch(/<code class="hash">[0-9a-f]{64}<\/code>/);
    expect(words(mainOf((await page(officer, `/dashboard?fiscalYear=${lastYear}`).expect(200)).text))).toContain('確定済み');

    const noReason = await form(ciso, `/fiscal-years/${lastYear}/reopen`, { reason: '' }).expect(400);
    expect(summaryOf(noReason.text)).toEqual([{ href: `#reason-${lastYear}`, text: expect.stringContaining('理由') as string }]);
    await form(ciso, `/fiscal-years/${lastYear}/reopen`, { reason: '監査で研修の記録漏れが見つかったため' }).expect(303);
    const reopened = words(mainOf((await page(ciso, '/fiscal-years').expect(200)).text));
    expect(reopened).toContain('解除された締め');
    expect(reopened).toContain('監査で研修の記録漏れが見つかったため');
  });
});
