import type { Browser } from 'playwright-core';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

describe('departments page in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    await createDepartment(t, org, { code: 'HISHO', name: '秘書係', parentId: somu.id });
    await createPerson(t, org, { departmentId: somu.id });
    await createPerson(t, org, { departmentId: somu.id });
    admin = await createPerson(t, org, { roles: ['admin'] });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets an administrator create, move and close departments, and explains a refused close', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, admin);
      await page.goto('/departments');
      await expect(page.getByRole('navigation').getByRole('link', { name: '部署' }).count()).resolves.toBeGreaterThan(0);
      expect(await mainText(page)).toContain('総務課');
      await expectAccessible(page);

      // create
      await page.getByLabel('部署コード').fill('JOHO');
      await page.getByLabel('部署名', { exact: true }).fill('情報政策室');
      await page.getByRole('button', { name: '部署を追加する' }).click();
      await page.waitForURL('**/departments');
      expect(await page.getByRole('status').textContent()).toContain('部署を追加しました');

      // move it under 総務課
      await page.getByRole('link', { name: '情報政策室', exact: true }).click();
      await page.getByLabel('上位部署', { exact: true }).selectOption({ label: '総務課（SOMU）' });
      await page.getByRole('button', { name: '変更を保存する' }).click();
      await page.waitForURL('**/departments');
      const row = page.getByRole('row', { name: /情報政策室/ });
      expect(await row.textContent()).toContain('総務課');

      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
        if (process.env.DEPT_SCREENSHOTS) await page.screenshot({ path: `/tmp/dept-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      // 総務課 has two members: the refusal at the top, with the focus
      await page.getByRole('link', { name: '総務課', exact: true }).click();
      await page.getByRole('link', { name: '総務課を廃止する' }).click();
      await expectAccessible(page);
      const refused = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: '総務課を廃止する' }).click();
      expect((await refused).status()).toBe(409);
      const alert = page.getByRole('alert');
      expect(await alert.textContent()).toContain('廃止できません');
      expect(await alert.textContent()).toContain('総務課には職員が 2 人所属しているため、廃止できません');
      expect((await focused(page)).role).toBe('alert');
      expect(await page.title()).toMatch(/^エラー：/);
      await expectAccessible(page);
      if (process.env.DEPT_SCREENSHOTS) await page.screenshot({ path: '/tmp/dept-close-refused.png', fullPage: true });

      // the empty 秘書係 closes after the confirmation step
      await page.goto('/departments');
      await page.getByRole('link', { name: '秘書係', exact: true }).click();
      await page.getByRole('link', { name: '秘書係を廃止する' }).click();
      expect(await mainText(page)).toContain('秘書係を廃止しますか');
      await page.getByRole('button', { name: '秘書係を廃止する' }).click();
      await page.waitForURL('**/departments');
      expect(await page.getByRole('status').textContent()).toContain('部署を廃止しました');
      await expect(page.getByRole('row', { name: /秘書係/ }).count()).resolves.toBe(0); // the list shows open departments

      // closed ones have their own view, and come back with one button
      await page.getByRole('link', { name: /廃止済み/ }).click();
      expect(await page.getByRole('row', { name: /秘書係/ }).textContent()).toContain('廃止');
      await expectAccessible(page);
      if (process.env.DEPT_SCREENSHOTS) await page.screenshot({ path: '/tmp/dept-closed.png', fullPage: true });
      await page.getByRole('button', { name: '秘書係を再開する' }).click();
      await page.waitForURL('**/departments');
      expect(await page.getByRole('status').textContent()).toContain('部署を再開しました');
      expect(await page.getByRole('row', { name: /秘書係/ }).textContent()).not.toContain('廃止');
    } finally {
      await context.close();
    }
  }, 120_000);
});
