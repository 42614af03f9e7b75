import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { Control } from '../../src/controls/control.entity.js';
import { FindingsService } from '../../src/findings/findings.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** where to save screenshots of the pages at 1280 and 375 px (unset: none) */
const SHOTS = process.env.FINDING_SCREENSHOTS;

describe('findings in a browser: the board, a finding’s page and the verify form (WCAG 2.1 AA, 375 and 1280 px)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  let findingId = '';

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'finding-browser-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    const kodomo = await createDepartment(t, org, { code: 'KODOMO', name: '子ども家庭課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    const assignee = await createPerson(t, org, { departmentId: somu.id });
    const other = await createPerson(t, org, { departmentId: kodomo.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    await t.dataSource.getRepository(Staff).update({ id: assignee.staff.id }, { familyName: '山田', givenName: '花子' });
    await t.dataSource.getRepository(Staff).update({ id: other.staff.id }, { familyName: '長谷川', givenName: '美由紀' });
    await t.dataSource.getRepository(Staff).update({ id: officer.staff.id }, { familyName: '佐藤', givenName: '一郎' });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    const controls = await t.dataSource.getRepository(Control).find({ where: { organizationId: org }, order: { code: 'ASC' }, take: 3 });

    // a board of a few findings: one with an action reported done (to verify), one overdue, one without actions
    const findings = t.get(FindingsService);
    const as = actorOf(officer);
    const today = tokyoToday();
    const { finding } = await findings.create(as, {
      title: '委託先との契約に再委託の制限と作業場所の条項がなく、住民情報を扱う作業の管理が確認できない',
      description:
        '委託契約書（令和4年度 住民税システム保守）を確認したところ、再委託の事前承認と作業場所の限定に関する条項がなかった。\n委託先への立入検査の記録もない。',
      severity: 'high',
      ownerDepartmentId: somu.id,
      controlIds: controls.map((c) => c.id),
      actions: [
        { description: '委託契約の雛形に再委託の事前承認と作業場所の条項を加える', assigneeId: assignee.staff.id, dueDate: addDays(today, 10) },
        { description: '現行の委託先に作業場所の報告を求める', assigneeId: other.staff.id, dueDate: addDays(today, 20) },
      ],
    });
    findingId = finding.id;
    const first = (await findings.get(as, finding.id)).actions.find((a) => a.assigneeId === assignee.staff.id);
    await findings.reportDone(actorOf(assignee), first!.id, { status: 'done', note: '雛形の第12条・第13条に加え、法務担当の確認を受けた。' });
    await findings.create(as, { title: 'パスワードの使い回し', severity: 'medium', ownerDepartmentId: zeimu.id, dueDate: addDays(today, -5), controlIds: [] });
    await findings.create(as, { title: '端末の画面ロックが設定されていない', severity: 'low', ownerDepartmentId: kodomo.id, controlIds: [] });
    // one of the year before, still open: carried over
    const carried = await findings.create(as, {
      title: '前年度の委託先監査で見つかった持ち出し記録の不備',
      severity: 'medium',
      ownerDepartmentId: zeimu.id,
      dueDate: addDays(today, -120),
      controlIds: [],
      actions: [{ description: '持ち出し簿の様式を改める', assigneeId: other.staff.id, dueDate: addDays(today, -30) }],
    });
    await t.dataSource.query(`UPDATE findings SET fiscal_year = fiscal_year - 1 WHERE id = $1`, [carried.finding.id]);

    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe 0 violations and no sideways scroll at 375 and 1280 px; with FINDING_SCREENSHOTS, a picture at each. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      await expectNoSidewaysScroll(page, width);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('the security office opens the board from the menu, filters it, opens a finding, is refused a verification without a note, then verifies it', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, officer);
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '指摘事項', exact: true }).click();
      await page.waitForURL('**/findings');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('指摘事項');
      await check(page, 'board');

      await page.getByLabel('期限を過ぎたものだけ').check();
      await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
      await page.waitForURL(/overdue=true/);
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await mainText(page)).toContain('パスワードの使い回し');
      await page.getByRole('link', { name: '条件をクリア' }).click();

      await page.getByRole('link', { name: '前年度からの繰越' }).click();
      await page.waitForURL('**/findings/carried-over');
      expect(await mainText(page)).toContain('前年度の委託先監査で見つかった持ち出し記録の不備');
      await check(page, 'carried-over');
      await page.getByRole('link', { name: 'すべての指摘事項' }).click();

      await page.locator(`a[href="/findings/${findingId}"]`).click();
      await page.waitForURL(`**/findings/${findingId}`);
      await check(page, 'finding');

      // the verify form, sent without a note: the summary takes the focus and links to the field
      await page.getByRole('button', { name: '確認する' }).click();
      await page.waitForURL(/\/verify$/);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.title()).toMatch(/^エラー：/);
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('確認の内容（差し戻す場合はその理由）を入力してください');
      await check(page, 'verify-refused');
      await summary.getByRole('link').click();
      await page.getByLabel('確認の内容、または差し戻す理由').fill('改定後の雛形（第12条・第13条）を確認した。');
      await page.getByRole('button', { name: '確認する' }).click();
      await page.waitForURL(`**/findings/${findingId}#action-*`);
      expect(await mainText(page)).toContain('是正措置を確認済みにしました。');
      expect(await mainText(page)).toContain('改定後の雛形（第12条・第13条）を確認した。');
      await check(page, 'finding-verified');

      await page.goto('/findings/new');
      await check(page, 'new');
    } finally {
      await context.close();
    }
  });
});
