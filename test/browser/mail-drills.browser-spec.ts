import type { Browser, Page } from 'playwright-core';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { CoursesService } from '../../src/training/courses.service.js';
import { MailDrillResult } from '../../src/training/mail-drill-result.entity.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

const HEADER = 'id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position';
const row = (id: string, status: string, reported: boolean, email: string) =>
  `${id},${status},203.0.113.7,35.6895,139.6917,2022-10-03T09:00:12.402581+09:00,${reported},2022-10-03T09:14:51.118092+09:00,${email},花子,山田,主事`;
const GOOD = [
  row('a1', 'Clicked Link', false, 'hanako.yamada@drill-town.example'),
  row('a2', 'Email Opened', true, 'ichiro.sato@drill-town.example'),
  row('a3', 'Email Sent', false, 'jiro.suzuki@drill-town.example'),
];
const csv = (lines: string[]) => ({
  name: '10月訓練 - Results.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8'),
});

describe('targeted-mail drill pages in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  let drillId: string;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    await createPerson(t, org, { departmentId: somu.id, email: 'hanako.yamada@drill-town.example' });
    await createPerson(t, org, { departmentId: somu.id, email: 'ichiro.sato@drill-town.example' });
    await createPerson(t, org, { departmentId: kikaku.id, email: 'jiro.suzuki@drill-town.example' });
    const courses = t.get(CoursesService);
    const fy = fiscalYearOf(tokyoToday());
    const followUp = await courses.create(actorOf(officer), {
      fiscalYear: fy,
      kind: 'e_learning',
      title: '標的型メール対策フォローアップ研修',
      audience: { roles: ['ciso'] },
      dueDate: `${fy + 1}-03-31`,
    });
    await courses.publish(actorOf(officer), followUp.id);
    const drill = await courses.create(actorOf(officer), {
      fiscalYear: fy,
      kind: 'targeted_mail_drill',
      title: '標的型メール訓練（10月）',
      audience: { all: true },
      dueDate: `${fy + 1}-03-31`,
      followUpCourseId: followUp.id,
    });
    drillId = drill.id;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe, then no sideways scroll at 1280 and 375 px (and, with MAIL_DRILL_SCREENSHOTS=dir, a picture of each). */
  async function check(page: Page, name: string): Promise<void> {
    await expectAccessible(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, width);
      if (process.env.MAIL_DRILL_SCREENSHOTS)
        await page.screenshot({ path: `${process.env.MAIL_DRILL_SCREENSHOTS}/mail-drill-${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('lets the security office find a bad line of a Gophish file, then check and import the right one', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, officer);
      await page.goto('/');
      await page.getByRole('link', { name: '標的型メール訓練', exact: true }).click();
      await page.waitForURL('**/training/mail-drills');
      await check(page, 'list');
      await page.getByRole('link', { name: '標的型メール訓練（10月）' }).click();
      await page.waitForURL(`**/training/courses/${drillId}/drill-results`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('標的型メール訓練（10月）');
      await check(page, 'empty');

      // a bad status on line 3: the summary takes the focus and names the line; nothing is imported
      await page.getByLabel('訓練結果の CSV ファイル').setInputFiles(csv([GOOD[0]!, row('a2', 'Clicked', true, 'ichiro.sato@drill-town.example'), GOOD[2]!]));
      const refused = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: '内容を確認する' }).click();
      expect((await refused).status()).toBe(400);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toContain('ファイルに誤りのある行が 1 行あります');
      expect(await mainText(page)).toContain('3行目　状態（status）：「Clicked」は Gophish の結果の状態ではありません。');
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await t.dataSource.getRepository(MailDrillResult).countBy({ courseId: drillId })).toBe(0);
      await check(page, 'refused');

      // the right file: the preview counts, then the import
      await page.getByLabel('訓練結果の CSV ファイル').setInputFiles(csv(GOOD));
      await page.getByLabel('Gophish の結果（Results）').check();
      await page.getByRole('button', { name: '内容を確認する' }).click();
      await page.waitForURL(/\/drill-results\/uploads\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('取り込みの確認');
      expect(await mainText(page)).toMatch(/リンクを開いて報告しなかった人\s*1 人/);
      expect(await mainText(page)).toContain('まだ登録されていない 1 人をフォローアップ研修に登録し');
      await check(page, 'preview');

      await page.getByRole('button', { name: '取り込む' }).click();
      await page.waitForURL(`**/training/courses/${drillId}/drill-results`);
      expect(await page.getByRole('status').textContent()).toContain(
        '3 人の訓練結果を取り込み、リンクを開いて報告しなかった 1 人をフォローアップ研修に登録しました。',
      );
      expect(await mainText(page)).toContain('訓練メールが届いたのは 3 人で、報告率は 33.3%、クリック率は 33.3% です。');
      expect(await page.locator('table:has(#results-caption) tbody tr').count()).toBe(3);
      await check(page, 'results');

      await page.getByLabel('表示する結果').selectOption('clickedNotReported');
      await page.getByRole('button', { name: '表示する' }).click();
      await page.waitForURL(/show=clickedNotReported/);
      expect(await page.locator('table:has(#results-caption) tbody tr').count()).toBe(1);
      expect(await mainText(page)).toContain('受講中');
    } finally {
      await context.close();
    }
  }, 120_000);
});
