import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf, formatFiscalYear } from '../../src/common/dates.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** where to save screenshots of the pages at 1280 and 375 px (unset: none) */
const SHOTS = process.env.INDICATOR_SCREENSHOTS;

describe('indicators in a browser: the CISO from the dashboard to an indicator, a manual value and the year close (WCAG 2.1 AA, 375 px)', () => {
  let t: TestApp;
  let browser: Browser;
  let ciso: TestPerson;
  const lastYear = fiscalYearOf(tokyoToday()) - 1;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'indicator-browser-town');
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe 0 violations and no sideways scroll at each width; with INDICATOR_SCREENSHOTS, a picture at each. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      await expectNoSidewaysScroll(page, width);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
  }

  it('lands on the dashboard, opens a manual indicator, is refused a value without its source then records it, and closes last year', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, ciso); // the CISO's home: the dashboard
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('指標ダッシュボード');
      expect(await page.getByRole('region', { name: '計画の項目 III-2' }).textContent()).toContain('情報セキュリティ研修の受講率');
      await expect(page.getByRole('img', { name: '情報セキュリティインシデントの件数の年度ごとの推移' }).count()).resolves.toBe(1);
      await check(page, 'dashboard');

      await page.getByRole('link', { name: '町公式LINEの登録者数' }).click();
      await page.waitForURL('**/indicators/line_subscribers?fiscalYear=*');
      await page.getByRole('textbox', { name: /^値/ }).fill('3120');
      await page.getByRole('button', { name: '値を登録する' }).click();
      await page.getByRole('alert').waitFor();
      expect(await focused(page)).toMatchObject({ role: 'alert' });
      expect(await page.getByRole('alert').textContent()).toContain('出典を入力してください。');
      expect(await page.title()).toMatch(/^エラー：/);
      await check(page, 'indicator-refused');

      await page.getByRole('alert').getByRole('link').click(); // the summary leads to the field
      expect(await focused(page)).toMatchObject({ id: 'sourceNote' });
      await page.locator('#sourceNote').fill('企画課：LINE公式アカウント管理画面「友だち数」');
      await page.getByRole('button', { name: '値を登録する' }).click();
      await page.waitForURL('**#entries-heading');
      expect(await mainText(page)).toContain('値を登録しました。');
      expect(await page.getByRole('region', { name: /この年度に入力された値/ }).textContent()).toContain('3,120');
      await check(page, 'indicator');

      await page.goto('/fiscal-years');
      const year = page.locator(`#year-${lastYear}`);
      await year.getByText('この年度を締める').click();
      await year.getByLabel('メモ').fill('情報化推進委員会で確認');
      await year.getByRole('button', { name: `${formatFiscalYear(lastYear, 'ja')}を締める` }).click();
      await page.waitForURL(`**/fiscal-years#year-${lastYear}`);
      expect(await year.textContent()).toContain('確定済み');
      expect(await year.textContent()).toContain('情報化推進委員会で確認');
      await check(page, 'fiscal-years');
    } finally {
      await context.close();
    }
  });
});
