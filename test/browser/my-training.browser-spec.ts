import type { Browser, Page } from 'playwright-core';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { CoursesService } from '../../src/training/courses.service.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** where to save screenshots of the pages (unset: none) */
const SHOTS = process.env.MY_TRAINING_SCREENSHOTS;

describe('my training in a browser, on a desk and on a phone (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  const trainees: { person: TestPerson; name: string }[] = [];
  const fy = fiscalYearOf(tokyoToday());

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t);
    const somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    const officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: somu });
    for (const [family, given] of [
      ['山田', '花子'],
      ['佐藤', '一郎'],
    ]) {
      const person = await createPerson(t, org, { departmentId: somu });
      await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName: family, givenName: given });
      trainees.push({ person, name: `${family} ${given}` });
    }
    const courses = t.get(CoursesService);
    const course = await courses.create(actorOf(officer), {
      fiscalYear: fy,
      kind: 'e_learning',
      title: '情報セキュリティ研修（全職員）',
      body: [
        '# 標的型メールに注意',
        '',
        '心当たりのない添付ファイル付きのメールは、**開かずに**情報政策係へ報告してください。',
        '',
        '- 差出人のアドレスを確かめる',
        '- リンク先の URL を確かめる',
        '',
        '<script>alert(1)</script>',
      ].join('\n'),
      audience: { all: true },
      dueDate: `${fy + 1}-03-31`,
      quiz: {
        passMark: 100,
        maxAttempts: 3,
        questions: [
          {
            id: 'q1',
            text: '心当たりのない添付ファイル付きメールが届いたら？',
            choices: [
              { id: 'a', text: '開かずに情報政策係へ報告する' },
              { id: 'b', text: '添付ファイルを開いて確かめる' },
            ],
            correct: ['a'],
          },
          {
            id: 'q2',
            text: '庁外に持ち出してはいけないものは？',
            choices: [
              { id: 'a', text: '住民情報を保存したUSBメモリ' },
              { id: 'b', text: 'パスワードを書いたメモ' },
              { id: 'c', text: '公開済みの広報誌' },
            ],
            correct: ['a', 'b'],
          },
        ],
      },
      statement: '研修の内容を理解し、情報セキュリティポリシーを遵守することを誓約します。',
    });
    await courses.publish(actorOf(officer), course.id);
    await t.dataSource.query(
      `INSERT INTO course_attachments (organization_id, course_id, file_name, content_type, size, sha256, content)
       VALUES ($1, $2, '標的型メール対策.pdf', 'application/pdf', 204800, repeat('a', 64), '\\x25504446')`,
      [org, course.id],
    );
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const shot = async (page: Page, name: string): Promise<void> => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  /** what a page shows, checked the same way everywhere */
  const check = async (page: Page, width: number, name: string): Promise<void> => {
    await expectAccessible(page);
    await expectNoSidewaysScroll(page, width);
    await shot(page, `${name}-${width}`);
  };
  const submit = async (page: Page): Promise<void> => {
    await page.getByRole('button', { name: '受講を完了する' }).click();
    await page.waitForLoadState();
  };

  for (const [index, width] of [
    [0, 1280],
    [1, 375],
  ] as const) {
    it(`takes a course from わたしの研修 to its certificate at ${width} px: a wrong answer is refused at the top, the right one completes it`, async () => {
      const { person, name } = trainees[index]!;
      const { context, page } = await newPage(browser, t);
      try {
        await page.setViewportSize({ width, height: 900 });
        await signInFully(page, t, person);
        // "my page" lists the course owed
        expect(await mainText(page)).toContain('情報セキュリティ研修（全職員）');

        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'わたしの研修' }).click();
        await page.waitForURL('**/training');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('わたしの研修');
        expect(await mainText(page)).toContain(`期限: ${fy + 1}年3月31日`);
        await check(page, width, 'my-training');

        await page.getByRole('link', { name: '情報セキュリティ研修（全職員）' }).click();
        await page.waitForURL('**/training/enrolments/*');
        const coursePage = page.url();
        expect(await page.locator('.course-material h3').textContent()).toBe('標的型メールに注意');
        expect(await page.locator('.course-material script').count()).toBe(0);
        expect(await page.getByRole('link', { name: '標的型メール対策.pdf' }).getAttribute('href')).toMatch(
          /^\/training\/courses\/[0-9a-f-]+\/attachments\/[0-9a-f-]+$/,
        );
        await check(page, width, 'my-enrolment');

        if (width === 1280) {
          // no certificate before completion; nobody else's course
          const early = await page.goto(`${coursePage}/certificate`);
          expect(early?.status()).toBe(409);
          await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('この研修はまだ受講が完了していません');
          const theirs = (await t.dataSource.query(`SELECT id FROM enrolments WHERE staff_id = $1`, [trainees[1]!.person.staff.id])) as { id: string }[];
          const other = await page.goto(`/training/enrolments/${theirs[0]!.id}`);
          expect(other?.status()).toBe(404);
          await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('この研修の受講が見つかりません');
          await page.goto(coursePage);
        }
        if (width === 375) {
          // nothing answered, nothing ticked: each question and the box are named, no attempt is used
          await submit(page);
          const alert = (await page.getByRole('alert').textContent()) ?? '';
          expect(alert).toContain('問1の答えを選んでください。');
          expect(alert).toContain('問2の答えを選んでください。');
          expect(alert).toContain('誓約のチェックボックスにチェックを入れてください。');
          expect((await focused(page)).role).toBe('alert');
          await check(page, width, 'my-enrolment-unanswered');
        }

        // wrong: one of two right, and the statement not ticked
        await page.getByLabel('開かずに情報政策係へ報告する').check();
        await page.getByLabel('住民情報を保存したUSBメモリ').check();
        await submit(page);
        expect(await page.title()).toMatch(/^エラー：/);
        const refusal = (await page.getByRole('alert').textContent()) ?? '';
        expect(refusal).toContain('確認テストは不合格でした');
        expect(refusal).toContain('得点は 50 点で、合格点（100 点）に届きませんでした。');
        expect(refusal).toContain('あと 2 回受験できます');
        expect(refusal).toContain('誓約のチェックボックスにチェックを入れてください。');
        expect((await focused(page)).role).toBe('alert');
        // the answers given are kept; the right ones are not revealed
        expect(await page.getByLabel('住民情報を保存したUSBメモリ').isChecked()).toBe(true);
        await check(page, width, 'my-enrolment-failed');

        // right, ticked: completed, with the way to the certificate
        await page.getByLabel('パスワードを書いたメモ').check();
        await page.getByLabel('研修の内容を確認し、上記の内容を誓約します').check();
        await submit(page);
        expect(page.url()).toBe(coursePage);
        expect(await page.getByRole('status').textContent()).toContain('受講を完了しました。');
        expect(await page.getByRole('button', { name: '受講を完了する' }).count()).toBe(0);
        await check(page, width, 'my-enrolment-done');

        await page.getByRole('link', { name: '受講証明を表示する' }).click();
        await page.waitForURL('**/certificate');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('受講証明書');
        const certificate = await mainText(page);
        for (const fact of [name, '総務課', '情報セキュリティ研修（全職員）', `令和`, '100 点', '誓約した内容（第1版）', 'テスト町']) {
          expect(certificate).toContain(fact);
        }
        await check(page, width, 'my-certificate');
        // printed: no menu, no links back
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('.site-header').isVisible()).toBe(false);
        expect(await page.getByRole('link', { name: '研修のページへ戻る' }).isVisible()).toBe(false);
        if (SHOTS && width === 1280) {
          // an A4 sheet is 794 px wide at 96 dpi
          await page.setViewportSize({ width: 794, height: 1123 });
          await shot(page, 'my-certificate-print');
          await page.setViewportSize({ width, height: 900 });
        }
        await page.emulateMedia({ media: 'screen' });

        // back on わたしの研修: done, with its certificate
        await page.goto('/training');
        expect(await mainText(page)).toContain('受講が必要な研修はありません。');
        expect(await page.getByRole('link', { name: /受講証明を表示/ }).count()).toBe(1);
        await check(page, width, 'my-training-done');
        if (SHOTS) {
          await page.goto(`${coursePage}?lang=en`);
          await shot(page, `my-enrolment-en-${width}`);
          await page.goto('/training?lang=ja');
        }
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
