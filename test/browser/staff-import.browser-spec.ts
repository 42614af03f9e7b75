import type { Browser, Page } from 'playwright-core';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

const HEADER = '職員番号,氏,名,氏カナ,名カナ,メールアドレス,所属コード,役割,在職状況,採用日,退職日';
const GOOD = [
  'K1001,佐藤,一郎,サトウ,イチロウ,ichiro.sato@town.example,SOMU,staff,在職,2024/04/01,',
  'K1002,鈴木,花子,スズキ,ハナコ,hanako.suzuki@town.example,SOMU,manager,在職,2024/04/01,',
];
const csv = (lines: string[]) => ({ name: '職員一覧.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8') });

describe('staff import pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    admin = await createPerson(t, org, { roles: ['admin'] });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe, then no sideways scroll at 1280 and 375 px (and, with STAFF_IMPORT_SCREENSHOTS, a picture of each). */
  async function check(page: Page, name: string): Promise<void> {
    await expectAccessible(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, width);
      if (process.env.STAFF_IMPORT_SCREENSHOTS) await page.screenshot({ path: `/tmp/staff-import-${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('lets an administrator find a bad line, fix the file, check what it does and import it', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, admin);
      await page.goto('/staff');
      await page.getByRole('link', { name: '人事データ（CSV）から取り込む' }).click();
      await page.waitForURL('**/staff/import');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('職員の一括取り込み');
      await check(page, 'form');

      // one bad line: the summary takes the focus and says which line and column; nothing is imported
      await page
        .getByLabel('職員の CSV ファイル')
        .setInputFiles(csv([GOOD[0]!, 'K1002,鈴木,花子,スズキ,ハナコ,hanako.suzuki@town,SOMU,manager,在職,2024/04/01,']));
      const refused = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: '内容を確認する' }).click();
      expect((await refused).status()).toBe(422);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toContain('ファイルに誤りのある行が 1 行あります');
      expect(await mainText(page)).toContain('3行目　メールアドレス：メールアドレスの形になっていません。');
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await t.dataSource.getRepository(Staff).existsBy({ employeeNumber: 'K1001' })).toBe(false);
      await check(page, 'refused');

      // the fixed file: the preview counts, then the import
      await page.getByLabel('職員の CSV ファイル').setInputFiles(csv(GOOD));
      await page.getByRole('button', { name: '内容を確認する' }).click();
      await page.waitForURL(/\/staff\/import\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('取り込みの確認');
      expect(await mainText(page)).toMatch(/追加される職員\s*2 人/);
      await check(page, 'preview');

      await page.getByRole('button', { name: '取り込む' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('status').textContent()).toContain('職員の取り込みが終わりました。');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('取り込みました');
      expect(await t.dataSource.getRepository(Staff).findOneByOrFail({ employeeNumber: 'K1002' })).toMatchObject({ roles: ['manager', 'staff'] });
      await check(page, 'done');
    } finally {
      await context.close();
    }
  }, 120_000);
});
