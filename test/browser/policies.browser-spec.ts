import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { ControlEvidence } from '../../src/controls/control-evidence.entity.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { countAcknowledgementDuties } from '../support/acknowledgements.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { csrfTokenOf, expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signIn, signInFully } from './support.js';

const MAX_BYTES = 64 * 1024;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 1)]);
const OLD_CLAUSE = '少なくとも年1回開催して';
const NEW_CLAUSE = '少なくとも年2回開催して';

describe('policy, control and review pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let org: string;
  let ciso: TestPerson;
  let officer: TestPerson;
  let staff: TestPerson;
  let control: Control;
  let tmp: string;
  const sessions: Record<'ciso' | 'officer' | 'staff', { context: BrowserContext; page: Page }> = {} as never;

  beforeAll(async () => {
    t = await createTestApp({ listen: true, env: { EVIDENCE_MAX_BYTES: String(MAX_BYTES) } });
    org = await testOrganization(t);
    const department = await createDepartment(t, org, { name: '総務課' });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: department.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: department.id });
    staff = await createPerson(t, org, { roles: ['staff'], departmentId: department.id });

    // the shipped policies, both approved as version 1; then an edited standards.md makes draft 2
    const sync = t.get(PoliciesSyncService);
    await sync.sync(systemActor(org, 'test'));
    const policies = await t.dataSource.getRepository(Policy).findBy({ organizationId: org });
    for (const policy of policies) await t.get(PolicyVersionsService).approve(actorOf(ciso), policy.id, 1, {});
    tmp = mkdtempSync(join(tmpdir(), 'mamori-browser-policies-'));
    cpSync(PoliciesSyncService.defaultRoot(), tmp, { recursive: true });
    const standards = join(tmp, 'standards.md');
    writeFileSync(standards, readFileSync(standards, 'utf8').replace(OLD_CLAUSE, NEW_CLAUSE));
    await sync.sync(systemActor(org, 'test'), { root: tmp });
    control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '5-02' });

    browser = await launchBrowser();
    for (const [name, person] of [
      ['ciso', ciso],
      ['officer', officer],
      ['staff', staff],
    ] as const) {
      sessions[name] = await newPage(browser, t);
      await signInFully(sessions[name].page, t, person);
    }
  }, 120_000);

  afterAll(async () => {
    for (const session of Object.values(sessions)) await session.context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const evidenceCount = () => t.dataSource.getRepository(ControlEvidence).countBy({ controlId: control.id });

  it('shows the policies and reads the approved text in Japanese and in English', async () => {
    const { page } = sessions.officer;
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ポリシー' }).click();
    await page.waitForURL('**/policies');
    expect(await page.locator('table tbody tr').count()).toBe(2);
    await expect(page.locator('[aria-current="page"]').textContent()).resolves.toBe('ポリシー');
    await expectAccessible(page);

    await page.getByRole('link', { name: '情報セキュリティ基本方針' }).click();
    await page.waitForURL('**/policies/basic-policy');
    const ja = await mainText(page);
    expect(ja).toContain('第1条 目的');
    expect(ja).not.toContain('Mamori Town Information Security Basic Policy');
    expect(await page.locator('article.policy-text').getAttribute('lang')).toBe('ja');
    expect(await page.locator('article.policy-text h1').count()).toBe(0); // the body's headings sit under the page's h1
    expect(await page.getByRole('heading', { name: '版の一覧' }).count()).toBe(1); // a reviewer sees the versions
    await expectAccessible(page);

    await page.goto('/policies/basic-policy?lang=en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(h1(page)).resolves.toBe('Information Security Basic Policy');
    const en = await mainText(page);
    expect(en).toContain('Mamori Town Information Security Basic Policy');
    expect(en).not.toContain('第1条 目的');
    expect(await page.locator('article.policy-text').getAttribute('lang')).toBe('en');
    await expectAccessible(page);
    await page.goto('/policies?lang=ja');

    // the standards contain an HTML comment: it never reaches the page
    const standards = await page.request.get('/policies/standards');
    expect(await standards.text()).not.toMatch(/<!--|&lt;!--/);
  });

  it('filters the catalogue, shows the coverage and streams the statement of applicability', async () => {
    const { page } = sessions.officer;
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '管理策' }).click();
    await page.waitForURL('**/controls');
    await page.getByLabel('章', { exact: true }).selectOption('5');
    await page.getByLabel('実施状況', { exact: true }).selectOption('not_implemented');
    await page.getByLabel('対応する規格').selectOption('iso27001');
    await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
    await page.waitForURL(/\/controls\?.*chapter=5/);
    const rows = await page.locator('#controls-caption').locator('xpath=..').locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(await page.locator('#controls-caption').locator('xpath=..').locator('tbody').textContent()).toContain('5-02');
    expect(await page.getByLabel('章', { exact: true }).inputValue()).toBe('5');
    expect(await page.getByRole('table', { name: '章ごとの実施状況' }).locator('tbody tr').count()).toBe(9);
    expect(await page.getByRole('table', { name: '規格ごとの対応状況' }).locator('tbody tr').count()).toBe(2);
    await expectAccessible(page);

    const soa = await page.request.get('/controls/statement-of-applicability.xlsx');
    expect(soa.status()).toBe(200);
    expect(soa.headers()['content-type']).toContain('spreadsheetml');
    expect((await soa.body()).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('changes a control\'s status, refusing "not applicable" without a reason', async () => {
    const { page } = sessions.officer;
    await page.goto(`/controls/${control.id}`);
    await expect(h1(page)).resolves.toContain('5-02');
    await expectAccessible(page);

    await page.getByLabel('実施状況', { exact: true }).selectOption('not_applicable');
    await page.getByLabel('理由').fill('');
    const refused = page.waitForResponse((r) => r.url().endsWith('/status'));
    await page.getByRole('button', { name: '実施状況を更新する' }).click();
    expect((await refused).status()).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('理由が必要です');
    expect(await page.getByLabel('理由').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('実施状況', { exact: true }).inputValue()).toBe('not_applicable');
    expect((await t.dataSource.getRepository(Control).findOneByOrFail({ id: control.id })).status).toBe('not_implemented');
    await expectAccessible(page);

    // the error summary: the title says so, the summary has the focus, its link leads to the field, whose message is beside it
    expect(await page.title()).toMatch(/^エラー：/);
    expect(await focused(page)).toMatchObject({ role: 'alert' });
    await expect(page.getByRole('alert').getByRole('heading').textContent()).resolves.toBe('入力内容を確認してください');
    await page
      .getByRole('alert')
      .getByRole('link', { name: /理由が必要です/ })
      .click();
    expect(await focused(page)).toMatchObject({ id: 'reason' });
    expect(await page.getByLabel('理由').getAttribute('aria-describedby')).toBe('reason-hint reason-error');
    await expect(page.locator('#reason-error').textContent()).resolves.toContain('理由が必要です');

    // the language switch of the refused form's answer leads to the control's page in English, and back
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${t.baseUrl}/controls/${control.id}?lang=en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(h1(page)).resolves.toContain('5-02');
    expect(await page.title()).not.toMatch(/^Error/);
    await page.getByRole('link', { name: '日本語' }).click();
    await page.waitForURL(`${t.baseUrl}/controls/${control.id}?lang=ja`);

    await page.getByLabel('実施状況', { exact: true }).selectOption('implemented');
    await page.getByLabel('理由').fill('全職員のパスワードを12文字以上に設定済み。');
    await page.getByRole('button', { name: '実施状況を更新する' }).click();
    await page.waitForURL(`${t.baseUrl}/controls/${control.id}`); // the message comes as a flash
    await expect(page.getByRole('status').textContent()).resolves.toContain('実施状況を更新しました');
    expect(await mainText(page)).toContain('全職員のパスワードを12文字以上に設定済み。');
    const saved = await t.dataSource.getRepository(Control).findOneByOrFail({ id: control.id });
    expect(saved).toMatchObject({ status: 'implemented', lastCheckedAt: expect.any(Date), nextCheckDue: expect.any(String) });
    await expectAccessible(page);
    // the flash message shows once
    await page.reload();
    expect(await page.getByRole('status').count()).toBe(0);
  });

  it('uploads evidence, downloads it, and refuses a wrong type or a file too large without writing anything', async () => {
    const { page } = sessions.officer;
    await page.goto(`/controls/${control.id}`);
    await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: '点検記録.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByLabel('説明（任意）').fill('令和7年度 パスワード設定の点検記録');
    await page.getByRole('button', { name: '登録する' }).click();
    await page.waitForURL(`${t.baseUrl}/controls/${control.id}`); // the message comes as a flash
    await expect(page.getByRole('status').textContent()).resolves.toContain('証跡ファイルを登録しました');
    const link = page.getByRole('link', { name: '点検記録.pdf' });
    expect(await link.count()).toBe(1);
    await expectAccessible(page);
    const download = await page.request.get((await link.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('application/pdf');
    expect(Buffer.compare(await download.body(), PDF)).toBe(0);
    expect(await evidenceCount()).toBe(1);

    // a PNG named .pdf: the bytes decide the type
    await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: PNG });
    await page.getByLabel('説明（任意）').fill('誤ったファイル');
    const refused = page.waitForResponse((r) => r.url().endsWith('/evidence') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '登録する' }).click();
    expect((await refused).status()).toBe(415);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('名前の末尾を「.png」に直して');
    expect(await page.getByLabel('説明（任意）').inputValue()).toBe('誤ったファイル');
    await expectAccessible(page);

    // too large: multer stops at EVIDENCE_MAX_BYTES
    await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(MAX_BYTES + 1, 'a') });
    const tooLarge = page.waitForResponse((r) => r.url().endsWith('/evidence') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '登録する' }).click();
    expect((await tooLarge).status()).toBe(413);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('ファイルが大きすぎます');
    await expectAccessible(page);
    expect(await evidenceCount()).toBe(1);
  });

  it('refuses multipart forms without the CSRF token, and multipart sent to a form that does not take it', async () => {
    const { page } = sessions.officer;
    await page.goto(`/controls/${control.id}`);
    const file = { name: 'x.pdf', mimeType: 'application/pdf', buffer: PDF };
    const missing = await page.request.post(`/controls/${control.id}/evidence`, { multipart: { note: 'forged', file }, maxRedirects: 0 });
    expect(missing.status()).toBe(403);
    const forged = await page.request.post(`/controls/${control.id}/evidence`, { multipart: { _csrf: 'x'.repeat(43), note: 'forged', file }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    // a multipart body would hide the token from the middleware: other forms refuse multipart outright
    const token = await csrfTokenOf(page);
    const elsewhere = await page.request.post(`/controls/${control.id}/status`, {
      multipart: { _csrf: token, status: 'partial', reason: 'x' },
      maxRedirects: 0,
    });
    expect(elsewhere.status()).toBe(403);
    expect(await evidenceCount()).toBe(1);
    expect((await t.dataSource.getRepository(Control).findOneByOrFail({ id: control.id })).status).toBe('implemented');
  });

  it("lists the review queue, shows the draft's diff and records a review", async () => {
    const { page } = sessions.officer;
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '見直し' }).click();
    await page.waitForURL('**/reviews');
    const standards = page.getByRole('region', { name: '情報セキュリティ対策基準' });
    expect(await standards.textContent()).toContain('第2版');
    expect(await page.getByRole('button', { name: /を承認する$/ }).count()).toBe(0); // only the CISO approves
    await expectAccessible(page);

    await standards.getByRole('link', { name: '第2版の本文と差分を見る' }).click();
    await page.waitForURL('**/policies/standards/versions/2');
    const added = page.locator('.diff__line--added');
    const removed = page.locator('.diff__line--removed');
    expect(await added.count()).toBeGreaterThan(0);
    await expect(added.filter({ hasText: NEW_CLAUSE }).first().textContent()).resolves.toMatch(/^追加 \+/);
    await expect(removed.filter({ hasText: OLD_CLAUSE }).first().textContent()).resolves.toMatch(/^削除 -/);
    await expectAccessible(page);

    // a review without an outcome is refused beside its form
    await page.goto('/reviews');
    const standardsForm = page.locator('form[action="/policies/standards/reviews"]');
    await standardsForm.getByLabel('所見').fill('委員会の開催回数を見直す。');
    const refused = page.waitForResponse((r) => r.url().endsWith('/reviews') && r.request().method() === 'POST');
    await standardsForm.getByRole('button', { name: '見直しを記録する' }).click();
    expect((await refused).status()).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('見直しの結果を選んでください');
    await expectAccessible(page);

    const again = page.locator('form[action="/policies/standards/reviews"]');
    await again.getByLabel('改訂が必要').check();
    await again.getByRole('button', { name: '見直しを記録する' }).click();
    // a revision asked for: the security office goes on to write it (the message comes as a flash)
    await page.waitForURL(`${t.baseUrl}/policies/standards/revise`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('見直しの結果を記録しました');
    expect(await mainText(page)).toContain('委員会の開催回数を見直す。'); // the review's notes, to write the revision with
    await page.goto('/reviews');
    expect(await page.getByRole('region', { name: '情報セキュリティ対策基準' }).textContent()).toContain('改訂が求められています');
    await expectAccessible(page);
  });

  it('lets the CISO approve the latest draft asking all staff to acknowledge it', async () => {
    const { page } = sessions.ciso;
    await page.goto('/reviews');
    const approve = page.locator('form[action="/policies/standards/versions/2/approve"]');
    expect(await approve.getByLabel('全職員に内容の確認（誓約）を求める').isChecked()).toBe(true);
    // a due date in the past is refused beside its field
    await approve.getByLabel('確認の期限').fill(addDays(tokyoToday(), -1));
    await approve.getByRole('button', { name: '第2版を承認する' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('今日以降の日付を入力してください');
    expect(await page.title()).toMatch(/^エラー：/);
    await page.getByRole('alert').getByRole('link').click();
    expect(await focused(page)).toMatchObject({ id: 'approve-standards-due' });
    expect(await page.locator('#approve-standards-due').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    const dueOn = addDays(tokyoToday(), 14);
    await approve.getByLabel('確認の期限').fill(dueOn);
    await expectAccessible(page);
    await approve.getByRole('button', { name: '第2版を承認する' }).click();
    await page.waitForURL(`${t.baseUrl}/reviews`); // the message comes as a flash
    await expect(page.getByRole('status').textContent()).resolves.toContain('新しい版を承認しました');
    await expectAccessible(page);
    const v2 = await t.dataSource.getRepository(PolicyVersion).findOneByOrFail({ organizationId: org, version: 2 });
    expect(v2).toMatchObject({ status: 'approved', acknowledgementRequired: true });
    expect(await countAcknowledgementDuties(t, { policyVersionId: v2.id, dueOn })).toBe(3);
  });

  it('takes a member of staff from the duty on the my page to the acknowledgement, after which it is gone', async () => {
    const { page } = sessions.staff;
    await page.goto('/');
    const duty = page.locator('.duties').getByRole('link', { name: /情報セキュリティ対策基準/ });
    expect(await duty.count()).toBe(1);
    await expect(duty.textContent()).resolves.toContain('第2版');
    await expectAccessible(page);

    await duty.click();
    await page.waitForURL('**/acknowledgements/*');
    expect(await mainText(page)).toContain(NEW_CLAUSE);
    await expectAccessible(page);
    await page.getByRole('button', { name: '内容を読み、遵守します' }).click();
    await page.waitForURL(`${t.baseUrl}/`); // the message comes as a flash
    await expect(page.getByRole('status').textContent()).resolves.toContain('ポリシーの確認を記録しました');
    await expect(mainText(page)).resolves.toContain('未完了の研修・確認事項はありません');
    await expectAccessible(page);
    expect(await countAcknowledgementDuties(t, { staffId: staff.staff.id, acknowledged: true })).toBe(1);
  });

  it("refuses the security office's pages and forms to a plain member of staff", async () => {
    const { page } = sessions.staff;
    await page.goto(`/controls/${control.id}`);
    expect(await page.getByRole('button', { name: '実施状況を更新する' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '登録する' }).count()).toBe(0);
    const token = await csrfTokenOf(page);
    const status = await page.request.post(`/controls/${control.id}/status`, { form: { _csrf: token, status: 'partial', reason: '' }, maxRedirects: 0 });
    expect(status.status()).toBe(403);
    expect(await status.text()).toContain('このページを表示する権限がありません');
    const reviews = await page.goto('/reviews');
    expect(reviews?.status()).toBe(403);
    await expectAccessible(page);
    const draft = await page.request.get('/policies/standards/versions/2');
    expect(draft.status()).toBe(403);
    const soa = await page.request.get('/controls/statement-of-applicability.xlsx');
    expect(soa.status()).toBe(403);
    expect((await t.dataSource.getRepository(Control).findOneByOrFail({ id: control.id })).status).toBe('implemented');
  });

  it('lands the security office on its work queue: what is due, with counts that lead to where the work is done', async () => {
    const { page } = sessions.officer;
    const today = tokyoToday();
    await t.dataSource.query(`UPDATE controls SET next_check_due = $2::date WHERE organization_id = $1 AND code = '1-01'`, [org, addDays(today, -3)]);
    await t.dataSource.query(`UPDATE controls SET next_check_due = $2::date WHERE organization_id = $1 AND code = '6-01'`, [org, addDays(today, 10)]);
    await t.dataSource.query(`UPDATE policies SET next_review_due = $2::date WHERE organization_id = $1 AND key = 'basic-policy'`, [org, addDays(today, -1)]);
    const [expected] = (await t.dataSource.query(
      `SELECT (SELECT count(*) FROM controls WHERE organization_id = $1 AND retired_at IS NULL AND next_check_due <= $2::date)::int AS controls,
              (SELECT count(*) FROM policies WHERE organization_id = $1 AND next_review_due <= $2::date)::int AS reviews,
              (SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.kind = 'policy_acknowledgement'
                WHERE e.organization_id = $1 AND e.completed_at IS NULL)::int AS acknowledgements`,
      [org, addDays(today, 30)],
    )) as { controls: number; reviews: number; acknowledgements: number }[];
    expect(expected).toMatchObject({ reviews: 1, acknowledgements: 2 }); // the CISO and the officer have not acknowledged version 2

    await page.goto('/');
    await page.getByRole('link', { name: 'Mamori 情報セキュリティ管理' }).click(); // the site name leads home: the indicators' dashboard
    await page.waitForURL(`${t.baseUrl}/dashboard`);
    const menu = page.getByRole('navigation', { name: 'メインメニュー' });
    await menu.getByRole('link', { name: '作業一覧' }).click();
    await page.waitForURL(`${t.baseUrl}/work`);
    expect((await menu.getByRole('link').allTextContents()).slice(0, 3)).toEqual(['指標ダッシュボード', '作業一覧', 'マイページ']);
    await expect(page.locator('[aria-current="page"]').textContent()).resolves.toBe('作業一覧');
    const item = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
    const count = async (name: string) => Number(await item(name).locator('.work-item__number').textContent());
    expect(await count('点検期限が近い管理策')).toBe(expected!.controls);
    expect(await item('点検期限が近い管理策').textContent()).toContain('うち期限超過 1件');
    expect(await count('見直し期限が近いポリシー')).toBe(1);
    expect(await item('見直し期限が近いポリシー').textContent()).toContain('うち期限超過 1件');
    expect(await count('ポリシーの未確認')).toBe(2);
    expect(await mainText(page)).toContain('未完了のものが1件あります'); // the officer's own acknowledgement
    await expectAccessible(page);

    await page.getByRole('link', { name: '点検期限が近い管理策' }).click();
    await page.waitForURL('**/controls/due');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(expected!.controls);
    await expect(rows.first().textContent()).resolves.toContain('1-01'); // the overdue one first
    await expect(rows.first().textContent()).resolves.toContain('期限超過');
    await expectAccessible(page);

    await page.goto('/work');
    await page.getByRole('link', { name: 'ポリシーの未確認' }).click();
    await page.waitForURL('**/acknowledgements');
    await expect(page.locator('tbody').textContent()).resolves.toContain('情報セキュリティ対策基準');
    await expect(page.locator('tbody tr').first().locator('td').nth(4).textContent()).resolves.toBe('2'); // outstanding
    await expectAccessible(page);

    await page.goto('/work');
    await page.getByRole('link', { name: '見直し期限が近いポリシー' }).click();
    await page.waitForURL('**/reviews');
    await expect(page.getByRole('region', { name: '情報セキュリティ基本方針' }).textContent()).resolves.toContain('期限超過');

    // a member of staff has no work queue
    const refused = await sessions.staff.page.goto('/work');
    expect(refused?.status()).toBe(403);
  });

  it('fits every page into 375 px without sideways scrolling, axe-clean at that width too', async () => {
    const width = 375;
    // a long address in the staff list, to see it wrap
    const department = (await t.dataSource.getRepository(Control).findOneByOrFail({ id: control.id })).ownerDepartmentId;
    await createPerson(t, org, { departmentId: department, email: `information-security-office.long-address-${Date.now()}@somedepartment.town.example.jp` });
    const check = async (page: Page, path: string, status = 200) => {
      const response = await page.goto(path);
      expect([path, response?.status()]).toEqual([path, status]);
      await expectNoSidewaysScroll(page, width);
      await expectAccessible(page);
    };
    const { page } = sessions.officer;
    await page.setViewportSize({ width, height: 800 });
    try {
      for (const path of [
        '/work',
        '/',
        '/policies',
        '/policies/standards',
        '/policies/standards/versions/2',
        '/reviews',
        '/acknowledgements',
        '/controls',
        `/controls/${control.id}`,
        '/controls/due',
        '/staff',
        '/audit-trail',
        '/api-docs',
      ]) {
        await check(page, path);
      }
      await check(page, '/no-such-page', 404);
      // a refused form, in Japanese and in English
      await page.goto(`/controls/${control.id}`);
      await page.getByLabel('実施状況', { exact: true }).selectOption('not_applicable');
      await page.getByLabel('理由').fill('');
      await page.getByRole('button', { name: '実施状況を更新する' }).click();
      await page.getByRole('alert').waitFor();
      await expectNoSidewaysScroll(page, width);
      await expectAccessible(page);
      await sessions.staff.page.setViewportSize({ width, height: 800 });
      await check(sessions.staff.page, '/audit-trail', 403);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
      await sessions.staff.page.setViewportSize({ width: 1280, height: 720 });
    }

    // the pages before signing in
    const anonymous = await newPage(browser, t);
    try {
      await anonymous.page.setViewportSize({ width, height: 800 });
      for (const path of ['/login', '/password/forgot']) await check(anonymous.page, path);
      await check(anonymous.page, '/password/set?token=not-a-real-token', 400);
      await signIn(anonymous.page, staff, 'not-the-password');
      await anonymous.page.getByRole('alert').waitFor();
      await expectNoSidewaysScroll(anonymous.page, width);
      await expectAccessible(anonymous.page);
    } finally {
      await anonymous.context.close();
    }
  });
});
