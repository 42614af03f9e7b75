import type { Browser, Page } from 'playwright-core';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** Issue 12: the calendar subscription on my page, in a browser (WCAG 2.1 AA, 1280 and 375 px). */
describe('calendar subscription on my page in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let person: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    person = await createPerson(t, org, { departmentId: somu.id });
    await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName: '山田', givenName: '花子' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe, and no sideways scroll at 1280 and 375 px (a screenshot of each with CALENDAR_FEED_SCREENSHOTS set) */
  const checkPage = async (page: Page, name: string) => {
    await expectAccessible(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, width);
      if (process.env.CALENDAR_FEED_SCREENSHOTS) await page.screenshot({ path: `/tmp/calendar-feed-${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('makes the address (shown once, with how to add it), fetches it, stops it; stopping again is refused at the top with the focus', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, person);
      expect(await mainText(page)).toContain('購読用のアドレスはまだありません。');
      await page.getByRole('button', { name: '購読用のアドレスを発行する' }).click();
      expect(await mainText(page)).toContain('このアドレスが表示されるのは今回だけです。');
      const url = await page.getByLabel('購読用のアドレス').inputValue();
      expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      await checkPage(page, 'created');
      const feed = await context.request.get(new URL(url).pathname);
      expect(feed.status()).toBe(200);
      expect(await feed.text()).toContain('X-WR-CALNAME:Mamori 予定');

      await page.goto('/');
      expect(await mainText(page)).toContain('に発行済みです。');
      await checkPage(page, 'my-page');
      // a second tab stops it first; this one's button is then refused
      const other = await context.newPage();
      await other.goto('/');
      await other.getByRole('button', { name: '購読を停止する' }).click();
      await other.waitForURL(`${t.baseUrl}/`);
      expect(await other.getByRole('status').textContent()).toContain('カレンダーの購読を停止しました。');
      expect((await context.request.get(new URL(url).pathname)).status()).toBe(404);

      await page.getByRole('button', { name: '購読を停止する' }).click();
      expect(await page.title()).toMatch(/^エラー：/);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toContain('停止する購読はありません');
      await checkPage(page, 'refused');
    } finally {
      await context.close();
    }
  });
});
