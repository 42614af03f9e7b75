import type { Browser, Page } from 'playwright-core';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

describe('staff pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestPerson;
  let colleague: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    await createDepartment(t, org, { code: 'ZAISEI', name: '財政課' });
    colleague = await createPerson(t, org, { departmentId: somu.id });
    admin = await createPerson(t, org, { roles: ['admin'], departmentId: somu.id });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe, and no sideways scrolling at 1280 and 375 px (with a screenshot of each when STAFF_SCREENSHOTS is set) */
  async function checkPage(page: Page, name: string): Promise<void> {
    await expectAccessible(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, width);
      if (process.env.STAFF_SCREENSHOTS) await page.screenshot({ path: `/tmp/staff-${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('lets an administrator add a person, find them by kana in the other script, change them and retire them', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, admin);
      await page.getByRole('navigation').getByRole('link', { name: '職員一覧' }).click();
      await page.waitForURL('**/staff');
      await checkPage(page, 'list');

      // add a person; an address already used is refused at the top, with the focus, and by the field
      await page.getByRole('link', { name: '職員を追加する' }).click();
      await page.waitForURL('**/staff/new');
      await checkPage(page, 'new');
      await page.getByLabel('職員番号').fill('K-2026');
      await page.getByLabel('姓', { exact: true }).fill('小鳥遊');
      await page.getByLabel('名', { exact: true }).fill('悠');
      await page.getByLabel('姓（フリガナ）').fill('たかなし');
      await page.getByLabel('名（フリガナ）').fill('ゆう');
      await page.getByLabel('メールアドレス').fill(colleague.email);
      await page.getByLabel('所属', { exact: true }).selectOption({ label: '財政課（ZAISEI）' });
      await page.getByLabel('雇用形態').selectOption({ label: '会計年度任用職員' });
      await page.getByLabel('採用日').fill('2026-04-01');
      const refused = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: '職員を追加する' }).click();
      expect((await refused).status()).toBe(409);
      expect(await page.getByRole('alert').textContent()).toContain('このメールアドレスはすでにほかの職員が使っています');
      expect((await focused(page)).role).toBe('alert');
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await page.getByLabel('姓（フリガナ）').inputValue()).toBe('たかなし');
      await expectAccessible(page);
      if (process.env.STAFF_SCREENSHOTS) await page.screenshot({ path: '/tmp/staff-new-refused-1280.png', fullPage: true });
      await page.getByLabel('メールアドレス').fill('yu.takanashi@town.example');
      await page.getByRole('button', { name: '職員を追加する' }).click();
      await page.waitForURL(/\/staff\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('status').textContent()).toContain('職員を追加しました');
      expect(await mainText(page)).toContain('会計年度任用職員');

      // find them by their kana written in katakana
      await page.goto('/staff');
      await page.getByLabel('氏名・フリガナ・メールアドレス・職員番号').fill('タカナシ　ユウ');
      await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
      await page.waitForURL(/\/staff\?q=/);
      expect(await page.locator('table tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: '小鳥遊 悠' }).click();
      await page.waitForURL(/\/staff\/[0-9a-f-]{36}$/);
      await checkPage(page, 'person');

      // change them: employment type and head of department
      await page.getByLabel('雇用形態').selectOption({ label: '臨時職員' });
      await page.getByLabel('所属長').check();
      await page.getByRole('button', { name: '変更を保存する' }).click();
      await page.waitForURL(/\/staff\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('status').textContent()).toContain('変更を保存しました');
      const details = await page.locator('dl.details').textContent();
      expect(details).toContain('臨時職員');
      expect(details).toContain('所属長');

      // retire them through the confirmation step
      await page.getByRole('link', { name: '小鳥遊 悠さんを退職にする' }).click();
      await page.waitForURL(/\/retire$/);
      expect(await mainText(page)).toContain('ログイン中のセッションはすべて終了し');
      await checkPage(page, 'retire');
      await page.getByRole('button', { name: '小鳥遊 悠さんを退職にする' }).click();
      await page.waitForURL(/\/staff\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('status').textContent()).toContain('退職にしました');
      expect(await page.locator('dl.details').textContent()).toContain('退職');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  }, 120_000);
});
