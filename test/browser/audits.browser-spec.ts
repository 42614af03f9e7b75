import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf, formatFiscalYear } from '../../src/common/dates.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** where to save screenshots of the pages at 1280 and 375 px (unset: none) */
const SHOTS = process.env.AUDIT_SCREENSHOTS;

describe('audit plans in a browser: the office plans an audit, is refused an auditor of a department in scope, starts it (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  const fy = fiscalYearOf(tokyoToday());

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'audit-browser-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    for (const [code, name] of [
      ['ZAISEI', '財政課'],
      ['KODOMO', '子ども家庭課'],
      ['TOSHI', '都市建設課'],
    ])
      await createDepartment(t, org, { code, name });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    const yamada = await createPerson(t, org, { roles: ['auditor'], departmentId: zeimu.id });
    const sato = await createPerson(t, org, { roles: ['auditor'], departmentId: joho.id });
    await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    await t.dataSource.getRepository(Staff).update({ id: officer.staff.id }, { familyName: '鈴木', givenName: '次郎' });
    await t.dataSource.getRepository(Staff).update({ id: yamada.staff.id }, { familyName: '山田', givenName: '花子' });
    await t.dataSource.getRepository(Staff).update({ id: sato.staff.id }, { familyName: '佐藤', givenName: '一郎' });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe 0 violations and no sideways scroll at 1280 and 375 px; with AUDIT_SCREENSHOTS, a picture at each. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      await expectNoSidewaysScroll(page, width);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  const menu = (page: Page, name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name, exact: true });

  it('plans an audit in the form (refused first for an auditor of a department in scope), starts it and sees its progress per department', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInFully(page, t, officer);
      await menu(page, '監査・自己点検').click();
      await page.waitForURL('**/audits');
      expect(await page.getByRole('heading', { level: 2, name: `${formatFiscalYear(fy, 'ja')}の監査計画` }).count()).toBe(1);
      await check(page, 'audits-empty');

      await page.getByRole('link', { name: '監査を計画する' }).click();
      await page.waitForURL('**/audits/new');
      await check(page, 'plan-form');
      await page.getByLabel('件名').fill(`令和${fy - 2018}年度 情報セキュリティ内部監査`);
      await page.getByLabel('5 人的セキュリティ').check();
      await page.getByLabel('6 技術的セキュリティ').check();
      await page.getByLabel('総務課', { exact: true }).check();
      await page.getByLabel('税務課', { exact: true }).check();
      await page.getByLabel('主任監査人').selectOption({ label: '山田 花子（税務課）' });
      await page.getByLabel('開始予定日').fill(`${fy}-10-03`);
      await page.getByLabel('終了予定日').fill(`${fy}-10-31`);
      await page.getByRole('button', { name: '計画を登録する' }).click();

      // refused: the summary has the focus and names the auditor and the department, linked to the lead's select
      await page.waitForSelector('.error-summary');
      expect(await page.title()).toMatch(/^エラー：/);
      expect((await focused(page)).role).toBe('alert');
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('山田 花子さんは税務課の職員です。自分の課は監査できません。');
      await check(page, 'plan-form-refused');
      await summary.getByRole('link', { name: /山田 花子さん/ }).click();
      expect((await focused(page)).id).toBe('leadAuditorId');

      await page.getByLabel('主任監査人').selectOption({ label: '佐藤 一郎（情報政策課）' });
      await page.getByRole('button', { name: '計画を登録する' }).click();
      await page.waitForURL(/\/audits\/[0-9a-f-]{36}$/);
      const auditUrl = page.url();
      expect(await page.getByRole('status').textContent()).toContain('監査を計画しました。');
      expect(await mainText(page)).toMatch(/点検項目が \d+ 件作られます。/);
      await check(page, 'audit-planned');

      await page.getByRole('button', { name: '開始する' }).click();
      await page.waitForURL(auditUrl);
      const notice = (await page.getByRole('status').textContent()) ?? '';
      expect(notice).toMatch(/監査を開始しました。点検項目を \d+ 件作りました。/);
      const text = await mainText(page);
      expect(text).toContain('課・室ごとの進み具合');
      expect(text).toContain('報告へ進める');
      await check(page, 'audit-started');

      // the list shows it in progress
      await page.getByRole('link', { name: '監査・自己点検の一覧に戻る' }).click();
      await page.waitForURL(/\/audits\?fiscalYear=/);
      expect(await page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tbody tr').textContent()).toContain('実施中');
      await check(page, 'audits');
    } finally {
      await context.close();
    }
  }, 120_000);
});
