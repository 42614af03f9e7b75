import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createDepartment, createPerson, signIn as signInApi, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

describe('audit trail page in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestPerson;
  let kaikei: string;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    admin = await createPerson(t, org, { roles: ['admin'] });
    const hanako = await createPerson(t, org, { roles: ['admin'] });
    const adminToken = (await signInApi(t, admin)).accessToken;
    await request(t.http)
      .patch(`/api/v1/staff/${hanako.staff.id}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ familyName: '山田', givenName: '花子' })
      .expect(200);
    const hanakoToken = (await signInApi(t, hanako)).accessToken;
    kaikei = (
      await request(t.http).post('/api/v1/departments').set('Authorization', `Bearer ${hanakoToken}`).send({ code: 'KAIKEI', name: '会計課' }).expect(201)
    ).body.id;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("filters by who acted, shows the rows in words with the actor's name and links to the record; explains a refused period", async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, admin);
      await page.goto('/audit-trail');
      await expectAccessible(page);

      // who: 山田 花子
      await page.getByLabel('操作者').selectOption({ label: '山田 花子' });
      await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
      await page.waitForURL(/\/audit-trail\?.*actorId=[0-9a-f-]{36}/);
      const rows = page.locator('table tbody tr');
      expect(await rows.count()).toBe(2);
      for (const text of await rows.allTextContents()) expect(text).toContain('山田 花子');
      expect(await rows.nth(0).textContent()).toMatch(/部署を追加[\s\S]*部署[\s\S]*会計課/);
      expect(await rows.nth(1).textContent()).toContain('ログイン');
      expect(await mainText(page)).not.toMatch(/department\.create|auth\.login/);
      expect(await page.getByLabel('操作者').locator('option:checked').textContent()).toBe('山田 花子');
      const csv = await page.getByRole('link', { name: 'CSV で書き出す' }).getAttribute('href');
      expect(csv).toMatch(/^\/audit-trail\.csv\?actorId=[0-9a-f-]{36}$/);
      await expectAccessible(page);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
        if (process.env.AUDIT_SCREENSHOTS) await page.screenshot({ path: `/tmp/audit-trail-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      // the CSV of the same filter: UTF-8 with a BOM, its headers in Japanese
      const download = await page.request.get(csv!);
      expect(download.headers()['content-type']).toBe('text/csv; charset=utf-8');
      const body = await download.body();
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.toString('utf8')).toContain('番号,日時（日本時間）,操作者');

      // the record's link leads to its page
      await rows.nth(0).getByRole('link', { name: '会計課' }).click();
      await page.waitForURL(`**/departments/${kaikei}`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('会計課');

      // in English, the same rows in English words
      await page.goto(`/audit-trail?entityType=department&lang=en`);
      expect(await mainText(page)).toMatch(/Added a department[\s\S]*Department[\s\S]*会計課/);
      await page.goto('/audit-trail?lang=ja');

      // a period that ends before it starts: the summary at the top, with the focus, and the message beside the field
      await page.getByLabel('開始日').fill('2026-05-01');
      await page.getByLabel('終了日').fill('2026-04-30');
      const refused = page.waitForResponse((response) => response.url().includes('/audit-trail?'));
      await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
      expect((await refused).status()).toBe(400);
      expect(await page.getByRole('alert').textContent()).toContain('終了日は開始日と同じ日か、それより後の日にしてください');
      expect((await focused(page)).role).toBe('alert');
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await page.getByLabel('終了日').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page);
      await page.setViewportSize({ width: 375, height: 900 });
      await expectNoSidewaysScroll(page, 375);
      if (process.env.AUDIT_SCREENSHOTS) await page.screenshot({ path: '/tmp/audit-trail-refused-375.png', fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
