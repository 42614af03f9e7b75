import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, launchBrowser, mainText, newPage, signInFully } from './support.js';

describe('annual report page in a browser (WCAG 2.1 AA, printable on A4)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'annual-report-page-town');
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    await t.dataSource.query(
      `INSERT INTO incidents (organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at, near_miss, status, severity)
       VALUES ($1, 'INC-2022-0001', 2022, 'staff', '事案', '経緯', '2022-07-01T01:00:00Z', '2022-07-01T01:00:00Z', '2022-07-01T01:00:00Z', false, 'closed', 'L1')`,
      [org],
    );
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the year both ways, every indicator with its status in words, III-1 … III-5; reads at 1280 and 375 px; prints on A4 without the menu', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, officer);
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '年次報告' }).click();
      await page.waitForURL('**/reports/annual');
      await page.locator('#fiscalYear').selectOption('2022');
      await page.getByRole('button', { name: '表示' }).click();
      await page.waitForURL('**/reports/annual?fiscalYear=2022');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('令和4年度（2022年度）');
      await expect(page.getByRole('row', { name: /情報セキュリティインシデントの件数/ }).textContent()).resolves.toMatch(/0件[\s\S]*1件[\s\S]*未達成/);
      const text = await mainText(page);
      for (const words of ['III-1', 'III-2', 'III-3', 'III-4', 'III-5', 'L1 軽微', 'Excel（XLSX）でダウンロード', 'CSVでダウンロード'])
        expect(text).toContain(words);
      await expectAccessible(page);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
      }
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('.site-header').isVisible()).resolves.toBe(false);
      await expect(page.getByRole('link', { name: 'CSVでダウンロード' }).isVisible()).resolves.toBe(false);
      const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
      expect(pdf).toMatch(/\/MediaBox \[0 0 594\.\d+ 841\.\d+\]/); // A4 portrait
    } finally {
      await context.close();
    }
  });
});
