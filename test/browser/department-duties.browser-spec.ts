import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { setAcknowledgementDue } from '../support/acknowledgements.js';
import { deliverOutbox } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

describe('department duties page in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let org: string;
  let somu: string;
  let other: string;
  let manager: TestPerson;
  let late: TestPerson;
  let moving: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    org = await testOrganization(t);
    somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    other = (await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' })).id;
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu });
    late = await createPerson(t, org, { departmentId: somu });
    moving = await createPerson(t, org, { departmentId: somu });
    const staff = t.dataSource.getRepository(Staff);
    await staff.update({ id: manager.staff.id }, { familyName: '鈴木', givenName: '誠' });
    await staff.update({ id: late.staff.id }, { familyName: '山田', givenName: '花子' });
    await staff.update({ id: moving.staff.id }, { familyName: '佐藤', givenName: '一郎' });
    // the CISO approves the standards asking everyone to acknowledge them; 山田 is late
    const ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: other });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    const standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    await t.get(PolicyVersionsService).approve(actorOf(ciso), standards.id, 1, { requireAcknowledgement: true });
    await setAcknowledgementDue(t, late.staff.id, addDays(tokyoToday(), -3));
    await deliverOutbox(t);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("lets a manager see their department's outstanding acknowledgements and remind them, once a day", async () => {
    const { context, page } = await newPage(browser, t);
    const status = async () => (await page.getByRole('status').textContent())?.trim();
    /** presses a remind button and waits for the department's page it leads back to */
    const press = async (name: string): Promise<void> => {
      const shown = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith(`/department-duties/${somu}`));
      await page.getByRole('button', { name }).click();
      await shown;
      await page.waitForLoadState();
    };
    try {
      await signInFully(page, t, manager);
      // the menu leads a manager of one department straight to it
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '部署の未完了' }).click();
      await page.waitForURL(`**/department-duties/${somu}`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('総務課の未完了');
      const text = await mainText(page);
      expect(text).toContain('在職者 3 人のうち、未完了の事項があるのは 3 人です');
      expect(await page.getByRole('row', { name: /山田 花子/ }).textContent()).toMatch(
        /ポリシーの確認\s*情報セキュリティ対策基準 第1版[\s\S]*期限を 3 日過ぎています/,
      );
      await expectAccessible(page);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
        if (process.env.DUTY_SCREENSHOTS) await page.screenshot({ path: `/tmp/duties-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      // 佐藤 moves to another department meanwhile: the refusal at the top, with the focus; nothing sent
      await t.dataSource.getRepository(Staff).update({ id: moving.staff.id }, { departmentId: other });
      await page.getByRole('button', { name: '催促する（佐藤 一郎さん）' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('この部署に在籍していない職員には催促できません');
      expect((await focused(page)).role).toBe('alert');
      expect(await page.title()).toMatch(/^エラー：/);
      await expectAccessible(page);
      if (process.env.DUTY_SCREENSHOTS) await page.screenshot({ path: '/tmp/duties-refused.png', fullPage: true });
      await t.dataSource.getRepository(Staff).update({ id: moving.staff.id }, { departmentId: somu });

      // one person, then everyone: the one reminded already is not reminded again the same day
      await page.goto(`/department-duties/${somu}`);
      await press('催促する（山田 花子さん）');
      expect(await status()).toBe('1 人に催促のメールを送りました。');
      expect(await page.getByRole('row', { name: /山田 花子/ }).textContent()).toContain('本日催促済み');
      expect(await page.getByRole('button', { name: '催促する（山田 花子さん）' }).count()).toBe(0);

      await press('全員に催促する');
      expect(await status()).toBe('2 人に催促のメールを送りました。本日すでに催促した 1 人には送っていません。');
      // everyone reminded today: nothing more to press
      expect(await page.getByRole('row', { name: /本日催促済み/ }).count()).toBe(3);
      expect(await page.getByRole('button', { name: /催促する/ }).count()).toBe(0);
      expect(await mainText(page)).toContain('全員に本日催促済みです。');
      await expectAccessible(page);
      if (process.env.DUTY_SCREENSHOTS) {
        for (const width of [1280, 375]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `/tmp/duties-sent-${width}.png`, fullPage: true });
        }
        await page.goto(`/department-duties/${somu}?lang=en`);
        await page.screenshot({ path: '/tmp/duties-en.png', fullPage: true });
        await page.goto(`/department-duties/${somu}?lang=ja`);
      }

      // one mail each
      const mails = await deliverOutbox(t);
      expect(mails.map((mail) => mail.to).sort()).toEqual([manager.email, late.email, moving.email].sort());
    } finally {
      await context.close();
    }
  }, 120_000);
});
