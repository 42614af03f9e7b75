import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { ResponsePlanVersionsService } from '../../src/response-plan/response-plan-versions.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** Set SCREENSHOTS=<dir> to keep a picture of each page at each width. */
async function shoot(page: Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  await page.screenshot({ path: join(process.env.SCREENSHOTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: join(process.env.SCREENSHOTS, `${name}-top.png`) }); // what shows first
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

describe('the response plan’s approval in the browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let org: string;
  let root: string;
  let ciso: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    org = await testOrganization(t);
    const department = await createDepartment(t, org, { name: '総務課' });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: department.id });
    // the town's own plan, approved; then one playbook changed in its file
    root = mkdtempSync(join(tmpdir(), 'mamori-plan-browser-'));
    const folder = join(process.cwd(), 'policies', 'response-plan');
    mkdirSync(join(root, 'response-plan', 'scenarios'), { recursive: true });
    writeFileSync(join(root, 'response-plan', 'plan.md'), readFileSync(join(folder, 'plan.md')));
    const ransomware = readFileSync(join(folder, 'scenarios', 'ransomware.yaml'), 'utf8');
    writeFileSync(join(root, 'response-plan', 'scenarios', 'ransomware.yaml'), ransomware);
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });
    await t.get(ResponsePlanVersionsService).approve(actorOf(ciso), 1);
    writeFileSync(join(root, 'response-plan', 'scenarios', 'ransomware.yaml'), ransomware.replace('targetMinutes: 5\n', 'targetMinutes: 3\n'));
    const plan = readFileSync(join(folder, 'plan.md'), 'utf8');
    writeFileSync(join(root, 'response-plan', 'plan.md'), plan.replace('## 第1 目的', '## 第1 目的\n（令和5年度の訓練を受けて改訂）'));
    expect((await t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root })).plan).toEqual({ draft: 'opened', version: 2 });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the CISO sees the notice, reads the draft’s diff and changed steps, and approves it', async () => {
    const { page, context } = await newPage(browser, t);
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInFully(page, t, ciso);
      await page.goto('/response-plan');
      expect(await mainText(page)).toContain('第1版');
      await checkWidths(page, 'response-plan');
      await page.getByRole('link', { name: '改訂案を見る' }).click();
      await page.waitForURL('**/response-plan/draft');
      await page.getByRole('heading', { level: 1, name: '緊急時対応計画 第2版（承認待ちの改訂案）' }).waitFor();
      const text = await mainText(page);
      expect(text).toContain('+（令和5年度の訓練を受けて改訂）');
      expect(text).toContain('改訂1 → 改訂2');
      await checkWidths(page, 'response-plan-draft');
      await page.getByRole('button', { name: '第2版を承認する' }).click();
      await page.waitForURL('**/response-plan');
      expect(await mainText(page)).toContain('第2版');
      expect(await mainText(page)).not.toContain('承認待ちの改訂案があります');
    } finally {
      await context.close();
    }
  });
});
