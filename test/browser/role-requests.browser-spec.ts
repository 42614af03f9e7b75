import type { Browser, Page } from 'playwright-core';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

describe('role request pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestPerson;
  let ciso: TestPerson;
  let person: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策室' });
    admin = await createPerson(t, org, { roles: ['admin'] });
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    person = await createPerson(t, org, { departmentId: joho.id });
    await t.dataSource.getRepository(Staff).update({ id: ciso.staff.id }, { familyName: '副町長', givenName: '一郎' });
    await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName: '山田', givenName: '花子' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe, and no sideways scroll at 1280 and 375 px (a screenshot of each with ROLE_REQUEST_SCREENSHOTS set) */
  const checkPage = async (page: Page, name: string) => {
    await expectAccessible(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, width);
      if (process.env.ROLE_REQUEST_SCREENSHOTS) await page.screenshot({ path: `/tmp/role-request-${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('an administrator requests security_officer for a person with a reason; the CISO approves it on the page; the person holds it', async () => {
    const asAdmin = await newPage(browser, t);
    const asCiso = await newPage(browser, t);
    try {
      // the administrator, from the person's page (the staff page links here)
      const page = asAdmin.page;
      await signInFully(page, t, admin);
      await page.goto(`/role-requests/new?staffId=${person.staff.id}`);
      expect(await mainText(page)).toContain('山田 花子');
      await checkPage(page, 'new');

      // nothing chosen: the summary at the top, with the focus
      await page.getByRole('button', { name: '申請する' }).click();
      expect(await page.title()).toMatch(/^エラー：/);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toContain('役割を付与するか削除するかを選んでください');
      await expectAccessible(page);
      if (process.env.ROLE_REQUEST_SCREENSHOTS) await page.screenshot({ path: '/tmp/role-request-new-refused.png', fullPage: true });

      await page.getByLabel('役割を付与する').check();
      await page.getByLabel('情報セキュリティ担当').check();
      await page.getByLabel('申請の理由').fill('4月1日付で情報政策室に異動し、監査の準備を担当するため');
      await page.getByRole('button', { name: '申請する' }).click();
      await page.waitForURL(/\/role-requests\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('status').textContent()).toContain('権限変更を申請しました');
      const detail = await mainText(page);
      expect(detail).toContain('山田 花子 さんへの「情報セキュリティ担当」の付与');
      expect(detail).toContain('CISOの承認待ち');
      expect(detail).toContain('あなたが申請したため');
      await checkPage(page, 'detail-requester');
      const requestUrl = page.url();

      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '権限変更の申請' }).click();
      await page.waitForURL('**/role-requests');
      expect(await page.getByRole('row', { name: /山田 花子/ }).textContent()).toContain('CISOの承認待ち');
      await checkPage(page, 'list');

      // the CISO finds it waiting in the work queue and approves it on its page
      const cisoPage = asCiso.page;
      await signInFully(cisoPage, t, ciso);
      await cisoPage.goto('/work'); // the CISO lands on the indicators' dashboard; the work queue is in the menu
      expect(await mainText(cisoPage)).toMatch(/あなたの判断を待つ権限変更の申請\s*1\s*件/);
      await cisoPage.getByRole('link', { name: 'あなたの判断を待つ権限変更の申請' }).click();
      await cisoPage
        .getByRole('row', { name: /山田 花子/ })
        .getByRole('link', { name: '山田 花子' })
        .click();
      expect(cisoPage.url()).toBe(requestUrl);
      await checkPage(cisoPage, 'detail-ciso');
      await cisoPage.getByRole('button', { name: '承認する' }).click();
      await cisoPage.waitForURL(requestUrl);
      expect(await cisoPage.getByRole('status').textContent()).toContain('承認しました。役割の変更を反映しました。');
      expect(await cisoPage.getByRole('row', { name: /役割に反映/ }).count()).toBe(1);
      await checkPage(cisoPage, 'detail-applied');

      const after = await t.dataSource.getRepository(Staff).findOneByOrFail({ id: person.staff.id });
      expect(after.roles).toContain('security_officer');
    } finally {
      await asAdmin.context.close();
      await asCiso.context.close();
    }
  }, 120_000);
});
