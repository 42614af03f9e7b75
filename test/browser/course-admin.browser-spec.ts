import type { Browser, Page } from 'playwright-core';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { Course } from '../../src/training/course.entity.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const csv = (lines: string[]) => ({
  name: '出席者.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`\uFEFF${['氏名,職員番号', ...lines].join('\r\n')}\r\n`, 'utf8'),
});

describe('course administration in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    org = await testOrganization(t, 'course-admin-browser-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: somu.id });
    await t.dataSource.query(
      `INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
       SELECT $1, 'K' || (1000 + g), '研修', '職員' || g, 'k' || g || '@course-admin.example', $2, 'active', 'regular', '{staff}', '2018-04-01'
         FROM generate_series(1, 5) g`,
      [org, somu.id],
    );
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe, then no sideways scroll at 1280 and 375 px (and, with COURSES_SCREENSHOTS, a picture of each under /tmp/courses). */
  async function check(page: Page, name: string): Promise<void> {
    await expectAccessible(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, width);
      if (process.env.COURSES_SCREENSHOTS) await page.screenshot({ path: `/tmp/courses/${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const posted = (page: Page) => page.waitForResponse((response) => response.request().method() === 'POST');

  it('lets the security office write a classroom course with a quiz, publish it, add a PDF and record attendance from a CSV', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, officer);
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '研修の管理' }).click();
      await page.waitForURL('**/training/courses');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('研修の管理');
      await check(page, 'list');

      // the form, refused once: a quiz question without a right choice is named by its line
      await page.getByRole('link', { name: '研修を作成する' }).click();
      await page.waitForURL('**/training/courses/new');
      await page.getByLabel('種類').selectOption('classroom');
      await page.getByLabel('研修名', { exact: true }).fill('情報セキュリティ集合研修');
      await page.getByLabel('研修の内容（Markdown）').fill('## 標的型メール\n\n不審なメールは開かずに報告します。');
      await page.getByLabel('受講期限').fill('2099-03-31');
      const quiz = '不審なメールが届いたら？\n○ 開かずに報告する\n・ 添付ファイルを開く\n\nパスワードは？\n・ 付箋に書く\n・ 同僚に教える';
      await page.getByRole('textbox', { name: '確認テストの問題' }).fill(quiz);
      await check(page, 'new');
      const refused = posted(page);
      await page.getByRole('button', { name: '下書きとして保存する' }).click();
      expect((await refused).status()).toBe(400);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toContain('確認テストの問 2（5 行目）：正解（「○」で始まる選択肢）がありません。');
      expect(await page.title()).toMatch(/^エラー：/);
      expect(await page.getByLabel('研修名', { exact: true }).inputValue()).toBe('情報セキュリティ集合研修');
      expect(await t.dataSource.getRepository(Course).countBy({ organizationId: org })).toBe(0);
      await check(page, 'new-refused');

      await page.getByRole('textbox', { name: '確認テストの問題' }).fill(quiz.replace('・ 同僚に教える', '○ 誰にも教えない'));
      await page.getByRole('button', { name: '下書きとして保存する' }).click();
      await page.waitForURL(/\/training\/courses\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('status').textContent()).toContain('研修を下書きとして保存しました');
      const course = await t.dataSource.getRepository(Course).findOneByOrFail({ organizationId: org });
      expect(course).toMatchObject({ kind: 'classroom', status: 'draft', dueOn: '2099-03-31' });
      expect(course.quiz).toMatchObject({
        passMark: 80,
        questions: [
          { id: 'q1', correct: ['a'] },
          { id: 'q2', correct: ['b'] },
        ],
      });
      await check(page, 'course-draft');

      // publishing says first how many people it enrols
      await page.getByRole('link', { name: '公開する' }).click();
      await page.waitForURL('**/publish');
      expect(await mainText(page)).toContain('在職中の職員 6 人が受講者として登録されます');
      await check(page, 'publish');
      await page.getByRole('button', { name: '公開して 6 人を登録する' }).click();
      await page.waitForURL(/\/training\/courses\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('status').textContent()).toContain('6 人を受講者として登録しました');

      // a PDF of material, served to the course's readers
      await page.getByLabel('資料のファイル').setInputFiles({ name: '標的型メール対策.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: '追加する' }).click();
      await page.waitForURL(/#material$/);
      expect(await page.getByRole('status').textContent()).toContain('資料を追加しました');
      const link = page.getByRole('link', { name: '標的型メール対策.pdf' });
      const served = await page.request.get((await link.getAttribute('href'))!);
      expect(served.headers()['content-type']).toBe('application/pdf');
      expect(Buffer.compare(await served.body(), PDF)).toBe(0);
      await check(page, 'course-published');

      // attendance from a CSV: a bad row refuses the file by its line, and nothing is recorded
      await page.getByRole('link', { name: '出席を記録する' }).click();
      await page.waitForURL('**/attendance');
      await check(page, 'attendance');
      await page.getByLabel('出席者の CSV ファイル').setInputFiles(csv(['研修 職員1,K1001', '研修 職員2,K1002', '誤り,K9999']));
      const bad = posted(page);
      await page.getByRole('button', { name: 'CSV から出席を記録する' }).click();
      expect((await bad).status()).toBe(400);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toContain('誤りのある行が 1 行あります');
      expect(await mainText(page)).toContain('4行目　職員番号 K9999 の職員はいません。');
      expect(await t.dataSource.getRepository(Enrolment).countBy({ courseId: course.id, completedVia: 'attendance' })).toBe(0);
      await check(page, 'attendance-refused');

      await page.getByLabel('出席者の CSV ファイル').setInputFiles(csv(['研修 職員1,K1001', '研修 職員2,K1002']));
      await page.getByRole('button', { name: 'CSV から出席を記録する' }).click();
      await page.waitForURL('**/attendance');
      expect(await page.getByRole('status').textContent()).toContain('2 人の出席を記録し、修了としました');
      expect(await t.dataSource.getRepository(Enrolment).countBy({ courseId: course.id, completedVia: 'attendance' })).toBe(2);

      // someone on long leave is exempted, and listed
      await page.goto(`/training/courses/${course.id}/exemptions`);
      await page.getByLabel('職員番号').fill('K1005');
      await page.getByLabel('理由').fill('育児休業（2099年3月まで）');
      await page.getByRole('button', { name: '免除する' }).click();
      await page.waitForURL('**/exemptions');
      expect(await page.getByRole('status').textContent()).toContain('受講を免除しました');
      expect(await mainText(page)).toContain('育児休業（2099年3月まで）');
      await check(page, 'exemptions');
    } finally {
      await context.close();
    }
  }, 180_000);
});
