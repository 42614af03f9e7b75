import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

const OLD_CLAUSE = '少なくとも年1回開催して';
const NEW_CLAUSE = '少なくとも年2回開催して';
const CHANGE_NOTE = '委員会の開催を年2回に改める。';

/** Set SCREENSHOTS=<dir> to keep a picture of each page at each width. */
async function shoot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: join(process.env.SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The page fits 1280 and 375 px without sideways scrolling and is axe-clean at both. */
async function checkWidths(page: Page, name: string): Promise<void> {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSidewaysScroll(page, width);
    await expectAccessible(page);
    await shoot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('policy revision in the browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let org: string;
  let ciso: TestPerson;
  let officer: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    org = await testOrganization(t);
    const department = await createDepartment(t, org, { name: '総務課' });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: department.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: department.id });
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    const asCiso = actorOf(ciso);
    for (const policy of await t.dataSource.getRepository(Policy).findBy({ organizationId: org })) {
      await t.get(PolicyVersionsService).approve(asCiso, policy.id, 1, {});
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the security office drafts a revision, previews its diff and saves it; the CISO approves it', async () => {
    const office = await newPage(browser, t);
    try {
      const { page } = office;
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInFully(page, t, officer);
      await page.goto('/policies/standards');
      await page.getByRole('link', { name: '改定する' }).click();
      await page.waitForURL('**/policies/standards/revise');
      await page.getByRole('heading', { level: 1, name: '情報セキュリティ対策基準の改定' }).waitFor();
      const body = page.getByLabel('本文（日本語）', { exact: true });
      const text = await body.inputValue();
      expect(text).toContain(OLD_CLAUSE);
      expect(text).not.toContain('## English');
      expect(await page.getByLabel('本文（英語）', { exact: true }).inputValue()).toContain('These standards implement Article 8');
      await checkWidths(page, 'revise');

      // saved without a reason: refused, the summary focused, the message beside the field, the text kept
      await body.fill(text.replace(OLD_CLAUSE, NEW_CLAUSE));
      const refused = page.waitForResponse((r) => r.url().endsWith('/revise') && r.request().method() === 'POST');
      await page.getByRole('button', { name: '下書きとして保存' }).click();
      expect((await refused).status()).toBe(400);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('改定の理由を書いてください');
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await focused(page)).toMatchObject({ role: 'alert' });
      expect(await page.getByLabel('改定の理由', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await body.inputValue()).toContain(NEW_CLAUSE);
      await checkWidths(page, 'revise-refused');

      // preview: rendered text and the diff against the version in force, nothing saved
      await page.getByLabel('改定の理由', { exact: true }).fill(CHANGE_NOTE);
      await page.getByRole('button', { name: 'プレビュー' }).click();
      const preview = page.getByRole('region', { name: 'プレビュー' });
      await preview.waitFor();
      await expect(preview.getByRole('heading', { name: '現行の版（第1版）との差分' }).count()).resolves.toBe(1);
      const diff = preview.locator('pre.diff');
      await expect(diff.locator('.diff__line--added').allTextContents()).resolves.toEqual([expect.stringContaining(NEW_CLAUSE)]);
      await expect(diff.locator('.diff__line--removed').allTextContents()).resolves.toEqual([expect.stringContaining(OLD_CLAUSE)]);
      expect(await preview.locator('article.policy-text[lang="ja"]').textContent()).toContain(NEW_CLAUSE);
      expect(await page.getByLabel('改定の理由', { exact: true }).inputValue()).toBe(CHANGE_NOTE);
      expect(await t.dataSource.getRepository(PolicyVersion).countBy({ organizationId: org, status: 'draft' })).toBe(0);
      await checkWidths(page, 'revise-preview');

      // save (the button below the diff sends the form too): post/redirect/get to the new version, whose page shows the reason and the diff
      await preview.getByRole('button', { name: '下書きとして保存' }).click();
      await page.waitForURL(`${t.baseUrl}/policies/standards/versions/2`);
      await expect(page.getByRole('status').textContent()).resolves.toContain('草案として保存しました');
      const main = await mainText(page);
      expect(main).toContain(CHANGE_NOTE);
      expect(main).toContain('草案（承認待ち）');
      await expect(page.getByRole('heading', { name: '現行の版（第1版）との差分' }).count()).resolves.toBe(1);
      await expect(page.locator('.diff__line--added').allTextContents()).resolves.toEqual([expect.stringContaining(NEW_CLAUSE)]);
      await checkWidths(page, 'version');
    } finally {
      await office.context.close();
    }

    // the CISO, signed in with the second factor, approves the draft on the review page as before
    const chief = await newPage(browser, t);
    try {
      const { page } = chief;
      await signInFully(page, t, ciso);
      await page.goto('/reviews');
      const standards = page.getByRole('region', { name: '情報セキュリティ対策基準' });
      await standards.getByLabel('全職員に内容の確認（誓約）を求める').uncheck();
      await standards.getByRole('button', { name: '第2版を承認する' }).click();
      await page.waitForURL(`${t.baseUrl}/reviews`);
      await expect(page.getByRole('status').textContent()).resolves.toContain('新しい版を承認しました');
      await page.goto('/policies/standards');
      expect(await mainText(page)).toContain(NEW_CLAUSE);
      expect(await page.getByRole('link', { name: '改定する' }).count()).toBe(0); // the CISO approves, the office writes

      // the audit trail, filtered by the officer, shows the revision they drafted, in words, with a link to it
      await page.goto('/audit-trail');
      await page.getByLabel('操作者').selectOption(officer.staff.id);
      await page.getByRole('button', { name: 'この条件で絞り込む' }).click();
      await page.waitForURL(/\/audit-trail\?.*actorId=/);
      const drafted = page.getByRole('row', { name: /ポリシーの新しい版を作成/ });
      await expect(drafted.count()).resolves.toBe(1);
      await expect(drafted.locator('a[href="/policies/standards/versions/2"]').count()).resolves.toBe(1);
      await expectAccessible(page);
    } finally {
      await chief.context.close();
    }
    const v2 = await t.dataSource.getRepository(PolicyVersion).findOneByOrFail({ organizationId: org, version: 2 });
    expect(v2).toMatchObject({ status: 'approved', changeNote: CHANGE_NOTE, draftedBy: officer.staff.id, approvedBy: ciso.staff.id });
  });
});
