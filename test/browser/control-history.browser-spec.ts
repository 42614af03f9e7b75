import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, newPage, signInFully } from './support.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe("a control's evidence and history in a browser (WCAG 2.1 AA)", () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  let control: Control;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    await t.dataSource.getRepository(Staff).update(officer.staff.id, { familyName: '山田', givenName: '花子' });
    control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '6-01' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses an empty file with one message at the top, then takes a file and names who added it in the table and the history', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, officer);
      await page.goto(`/controls/${control.id}`);
      await page.getByLabel('実施状況', { exact: true }).selectOption('partial');
      await page.getByRole('button', { name: '実施状況を更新する' }).click();
      await page.waitForURL(`${t.baseUrl}/controls/${control.id}`);

      const send = async (expected: number) => {
        const answer = page.waitForResponse((r) => r.url().endsWith('/evidence') && r.request().method() === 'POST');
        await page.getByRole('button', { name: '登録する' }).click();
        expect((await answer).status()).toBe(expected);
      };
      const alert = page.getByRole('alert');
      // no file chosen, then an empty one: each one message, at the top with the focus and beside the field
      await send(400);
      expect(await alert.locator('li').allTextContents()).toEqual(['ファイルが選ばれていません。登録するファイルを選んでください。']);
      await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: '空の記録.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) });
      await send(400);
      const message = '選んだファイルは空です（0 バイト）。中身のあるファイルを選んでください。';
      expect(await alert.locator('li').allTextContents()).toEqual([message]);
      expect(await focused(page)).toMatchObject({ role: 'alert' });
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await page.locator('#file-error').textContent()).toContain(message);
      expect(await page.getByLabel('ファイル', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page);
      if (process.env.CONTROL_SCREENSHOTS) await page.screenshot({ path: '/tmp/control-empty-refused.png', fullPage: true });

      await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: '点検記録.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByLabel('説明（任意）').fill('令和8年度 ログ点検の記録');
      await page.getByRole('button', { name: '登録する' }).click();
      await page.waitForURL(`${t.baseUrl}/controls/${control.id}`);
      expect(await page.getByRole('status').textContent()).toContain('証跡ファイルを登録しました');

      const evidence = page.getByRole('table', { name: /証跡ファイル/ }).getByRole('row', { name: /点検記録\.pdf/ });
      expect(await evidence.textContent()).toContain('山田 花子');
      const history = page.getByRole('table', { name: /変更の履歴/ }).locator('tbody tr');
      await expect(history.first().textContent()).resolves.toMatch(/山田 花子\s*証跡ファイル「点検記録\.pdf」を登録/);
      await expect(history.nth(1).textContent()).resolves.toMatch(/山田 花子\s*実施状況を「未実施」から「一部実施」に変更/);
      await expect(history.last().textContent()).resolves.toMatch(/システム（system:test）\s*カタログに追加/);

      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
        await expectAccessible(page);
        if (process.env.CONTROL_SCREENSHOTS) await page.screenshot({ path: `/tmp/control-history-${width}.png`, fullPage: true });
        if (process.env.CONTROL_SCREENSHOTS) await page.locator('section[aria-labelledby=history-heading]').screenshot({ path: `/tmp/history-${width}.png` });
      }
    } finally {
      await context.close();
    }
  });
});
