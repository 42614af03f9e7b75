import type { Browser } from 'playwright-core';
import { currentTotp } from '../../src/auth/totp.service.js';
import { createDepartment, createPerson, nextTotp, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, focused, launchBrowser, newPage as openPage, signIn } from './support.js';

describe('web pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestPerson;
  let staff: TestPerson;
  let officer: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const organizationId = await testOrganization(t);
    const department = await createDepartment(t, organizationId, { name: '総務課' });
    admin = await createPerson(t, organizationId, { roles: ['admin'], departmentId: department.id });
    staff = await createPerson(t, organizationId, { roles: ['staff'], departmentId: department.id });
    officer = await createPerson(t, organizationId, { roles: ['security_officer'], departmentId: department.id, totp: false });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const newPage = () => openPage(browser, t);

  it('takes an administrator through every page', async () => {
    const { context, page } = await newPage();
    try {
      // sign-in form, and its error state
      await signIn(page, admin, 'not-the-password');
      expect(page.url()).toBe(`${t.baseUrl}/login`);
      expect(await page.locator('html').getAttribute('lang')).toBe('ja');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('メールアドレスまたはパスワードが正しくありません');
      expect(await page.getByLabel('メールアドレス').inputValue()).toBe(admin.email);
      await expectAccessible(page);
      expect(await page.title()).toBe('エラー：ログイン | Mamori 情報セキュリティ管理');
      expect(await focused(page)).toMatchObject({ role: 'alert' });

      // second step
      await page.getByLabel('パスワード').fill(admin.password);
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.waitForURL('**/login/mfa');
      expect(await page.locator('img').count()).toBe(0);
      await expectAccessible(page);
      await page.getByLabel('確認コード').fill(nextTotp(admin));
      await page.getByRole('button', { name: '確認してログイン' }).click();
      await page.waitForURL(`${t.baseUrl}/`);

      // my page
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('マイページ');
      await expect(page.locator('main').textContent()).resolves.toContain('未完了の研修・確認事項はありません');
      await expect(page.locator('[aria-current="page"]').textContent()).resolves.toBe('マイページ');
      await expectAccessible(page);

      // staff list, filtered through its form
      await page.getByRole('link', { name: '職員一覧' }).click();
      await page.getByLabel('氏名・フリガナ・メールアドレス・職員番号').fill('試験');
      await page.getByLabel('在職状況').selectOption('active');
      await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
      await page.waitForURL(/\/staff\?q=/);
      expect(await page.locator('table tbody tr').count()).toBe(3);
      expect(await page.getByLabel('在職状況').inputValue()).toBe('active');
      await expect(page.locator('[aria-current="page"]').textContent()).resolves.toBe('職員一覧');
      await expectAccessible(page);

      // audit trail and its verification
      await page.getByRole('link', { name: '操作ログ' }).click();
      await page.waitForURL('**/audit-trail');
      expect(await page.locator('table tbody tr').count()).toBeGreaterThan(3);
      await expectAccessible(page);
      await page.getByRole('button', { name: '連鎖を検証する' }).click();
      await page.waitForURL('**/audit-trail/verify');
      await expect(page.getByRole('status').textContent()).resolves.toContain('改ざんは見つかりませんでした');
      await expectAccessible(page);

      // English
      await page.goto('/?lang=en');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await expect(page.locator('main').textContent()).resolves.toContain('You have no outstanding training or acknowledgements.');
      await expectAccessible(page);
      await page.getByRole('link', { name: '日本語' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('ja');

      // unknown page
      const missing = await page.goto('/no-such-page');
      expect(missing?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('ページが見つかりません');
      await expectAccessible(page);
      // its language switch shows the same missing page in English
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`${t.baseUrl}/no-such-page?lang=en`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
      await page.goto('/?lang=ja');

      // a form whose CSRF token does not match is refused
      const forged = await page.request.post('/audit-trail/verify', { form: { _csrf: 'forged' }, maxRedirects: 0 });
      expect(forged.status()).toBe(403);
      await page.goto('/audit-trail');
      await page.locator('form[action="/audit-trail/verify"] input[name="_csrf"]').evaluate((input) => input.setAttribute('value', 'x'.repeat(43)));
      await page.getByRole('button', { name: '連鎖を検証する' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('フォームの有効期限が切れました');
      await expectAccessible(page);
      // the refused form's error page leads back to the form's page, and so does its language switch (in English)
      expect(await page.getByRole('link', { name: '入力していたページに戻る' }).getAttribute('href')).toBe('/audit-trail');
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`${t.baseUrl}/audit-trail?lang=en`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Audit trail');
      await page.getByRole('link', { name: '日本語' }).click();
      await page.waitForURL(`${t.baseUrl}/audit-trail?lang=ja`);

      // sign out; the pages then ask to sign in again
      await page.goto('/');
      await page.getByRole('button', { name: 'ログアウト' }).click();
      await page.waitForURL('**/login');
      await page.goto('/');
      expect(page.url()).toBe(`${t.baseUrl}/login?next=%2F`);
    } finally {
      await context.close();
    }
  });

  it('shows a refused form without JavaScript: the summary has the focus, its link leads to the field', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, locale: 'ja-JP', javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByRole('button', { name: 'ログイン' }).click(); // nothing entered
      expect(await page.title()).toMatch(/^エラー：/);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('メールアドレスを入力してください');
      expect(await page.locator(':focus').getAttribute('role')).toBe('alert'); // autofocus
      await page
        .getByRole('alert')
        .getByRole('link', { name: /パスワードを入力してください/ })
        .click();
      expect(await page.locator(':focus').getAttribute('id')).toBe('password');
      expect(await page.getByLabel('パスワード').getAttribute('aria-describedby')).toBe('password-error');
    } finally {
      await context.close();
    }
  });

  it('refuses the audit trail to a plain member of staff with the 403 page', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, staff);
      await page.waitForURL(`${t.baseUrl}/`);
      expect(await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link').allTextContents()).toEqual([
        'マイページ',
        'インシデントを報告',
        'わたしの研修',
        'わたしの報告',
        'ポリシー',
        '緊急時対応計画',
        '訓練',
        '管理策',
      ]); // the API documentation is for the privileged roles; the response plan and its drills are for everyone
      const response = await page.goto('/audit-trail');
      expect(response?.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('このページを表示する権限がありません');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  it('enrols a second factor on first sign-in and shows the recovery codes once', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, officer);
      await page.waitForURL('**/login/mfa');
      await expect(page.locator('img').getAttribute('alt')).resolves.toContain('QRコード');
      const uri = (await page.locator('#otpauth-uri').textContent()) ?? '';
      const secret = new URL(uri).searchParams.get('secret');
      expect(secret).toMatch(/^[A-Z2-7]+=*$/);
      await expectAccessible(page);

      await page.getByLabel('確認コード').fill('000000');
      await page.getByRole('button', { name: '確認してログイン' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('確認コードが正しくありません');
      expect(await page.locator('img').count()).toBe(1);

      await page.getByLabel('確認コード').fill(currentTotp(secret!));
      await page.getByRole('button', { name: '確認してログイン' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('回復コード');
      expect(await page.locator('.codes li').count()).toBeGreaterThan(0);
      await expectAccessible(page);
      await page.getByRole('link', { name: '控えたので次へ進む' }).click();
      // the security office lands on the indicators' dashboard (was: the work queue, before it the my page); the second factor shows on the my page
      await page.waitForURL(`${t.baseUrl}/dashboard`);
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'マイページ' }).click();
      await page.waitForURL(`${t.baseUrl}/`);
      await expect(page.locator('main').textContent()).resolves.toContain('設定済み');
    } finally {
      await context.close();
    }
  });
});
