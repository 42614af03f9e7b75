import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { PasswordSetupService } from '../../src/auth/password-setup.service.js';
import { systemActor } from '../../src/common/actor.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { StaffService } from '../../src/staff/staff.service.js';
import { createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, launchBrowser, newPage as openPage, signIn } from './support.js';

describe('set-password and forgot-password pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let organizationId: string;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    organizationId = await testOrganization(t);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const newPage = () => openPage(browser, t);

  /** The path and query of the newest link of this kind e-mailed to the address (once the outbox is delivered). */
  async function mailedPath(email: string, kind: 'invitation' | 'password-reset'): Promise<string> {
    const subject = kind === 'invitation' ? 'パスワードを設定' : 'パスワードの再設定';
    const text = (await mailsTo(t, email)).find((mail) => mail.subject.includes(subject))?.text ?? '';
    const match = /http:\/\/localhost:3000(\/password\/set\?token=\S+)/.exec(text);
    if (!match) throw new Error(`no ${kind} link e-mailed to ${email}`);
    return match[1];
  }

  async function alertText(page: Page): Promise<string> {
    return (await page.getByRole('alert').textContent()) ?? '';
  }

  it('takes an invited person through setting a password, then signs them in', async () => {
    const suffix = randomBytes(4).toString('hex');
    const email = `invited-${suffix}@test.example`;
    const staff = await t
      .get(UnitOfWork)
      .run(systemActor(organizationId, 'test'), (tx) =>
        t.get(StaffService).insert(tx, { employeeNumber: `B-${suffix}`, familyName: '招待', givenName: '次郎', email, roles: ['staff'] }),
      );
    await t.get(PasswordSetupService).invite(systemActor(organizationId, 'test'), staff.id);
    const path = await mailedPath(email, 'invitation');
    const password = 'browser-chosen-passphrase';
    const { context, page } = await newPage();
    try {
      // a link that does not work: the message, and the way to ask for a new one
      const bad = await page.goto('/password/set?token=not-a-real-token');
      expect(bad?.status()).toBe(400);
      expect(await alertText(page)).toContain('このリンクは無効か');
      expect(await page.locator('input[type="password"]').count()).toBe(0);
      await expectAccessible(page);

      const form = await page.goto(path);
      expect(form?.status()).toBe(200);
      expect(form?.headers()['cache-control']).toBe('no-store');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('パスワードの設定');
      await expectAccessible(page);

      // the two entries differ
      await page.getByLabel('新しいパスワード', { exact: true }).fill(password);
      await page.getByLabel('新しいパスワード（確認）').fill(`${password}x`);
      await page.getByRole('button', { name: 'パスワードを設定する' }).click();
      expect(await alertText(page)).toContain('一致しません');
      expect(await page.getByLabel('新しいパスワード', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page);

      // too short
      await page.getByLabel('新しいパスワード', { exact: true }).fill('short');
      await page.getByLabel('新しいパスワード（確認）').fill('short');
      await page.getByRole('button', { name: 'パスワードを設定する' }).click();
      expect(await alertText(page)).toContain('12文字以上');
      await expectAccessible(page);

      await page.getByLabel('新しいパスワード', { exact: true }).fill(password);
      await page.getByLabel('新しいパスワード（確認）').fill(password);
      await page.getByRole('button', { name: 'パスワードを設定する' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('パスワードを設定しました');
      await expectAccessible(page);

      // the link works once
      const again = await page.goto(path);
      expect(again?.status()).toBe(400);
      expect(await alertText(page)).toContain('すでに使われたか');

      await page.goto('/password/forgot');
      await page.getByRole('link', { name: 'ログイン画面に戻る' }).click();
      await page.waitForURL('**/login');
      const person: TestPerson = { staff, email, password, totpSecret: null };
      await signIn(page, person);
      await page.waitForURL(`${t.baseUrl}/`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('マイページ');
    } finally {
      await context.close();
    }
  });

  it('asks for a reset link from the sign-in page, and answers the same for an unknown address', async () => {
    const person = await createPerson(t, organizationId);
    const { context, page } = await newPage();
    try {
      await page.goto('/login');
      await page.getByRole('link', { name: 'パスワードを忘れた方・初めてパスワードを設定する方' }).click();
      await page.waitForURL('**/password/forgot');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('パスワードの再設定');
      await expectAccessible(page);

      await page.getByLabel('メールアドレス').fill('not an address');
      await page.getByRole('button', { name: 'リンクを送る' }).click();
      expect(await alertText(page)).toContain('メールアドレスを正しく入力してください');
      expect(await page.getByLabel('メールアドレス').inputValue()).toBe('not an address');
      await expectAccessible(page);

      await page.getByLabel('メールアドレス').fill('nobody-known@test.example');
      await page.getByRole('button', { name: 'リンクを送る' }).click();
      const unknownAnswer = await page.locator('main').textContent();
      expect(unknownAnswer).toContain('入力されたメールアドレスが登録されていれば');
      await expectAccessible(page);

      await page.goto('/password/forgot');
      await page.getByLabel('メールアドレス').fill(person.email);
      await page.getByRole('button', { name: 'リンクを送る' }).click();
      expect(await page.locator('main').textContent()).toBe(unknownAnswer);

      // the reset link leads to the form; English too
      const path = await mailedPath(person.email, 'password-reset');
      await page.goto(`${path}&lang=en`);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Set your password');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
