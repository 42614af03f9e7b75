import type { Browser } from 'playwright-core';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** Departments of the town and how many of their people have completed the year's course, of how many. */
const DEPARTMENTS: [code: string, name: string, completed: number, people: number][] = [
  ['01', '総務課', 19, 20],
  ['02', '財政課', 12, 12],
  ['03', '税務課', 14, 18],
  ['04', '町民環境課', 9, 15],
  ['05', '健康推進課', 10, 11],
  ['06', '子ども家庭課', 5, 10],
  ['07', '教育総務課', 7, 8],
];

describe('completion board in a browser (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  const fiscalYear = fiscalYearOf(tokyoToday());

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'completion-board-town');
    const ids: string[] = [];
    for (const [code, name] of DEPARTMENTS) ids.push((await createDepartment(t, org, { code, name })).id);
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: ids[0] });
    const [course] = (await t.dataSource.query(
      `INSERT INTO courses (organization_id, fiscal_year, kind, title, audience, opens_on, due_on, statement, status, published_at)
       VALUES ($1, $2, 'e_learning', '情報セキュリティ研修（全職員）', '{"all": true}', make_date($2, 4, 1), make_date($2, 4, 1), '誓約します。', 'published', now())
       RETURNING id`,
      [org, fiscalYear],
    )) as { id: string }[];
    // the people of each department, enrolled at the start of the year; the first `completed` of them done
    await t.dataSource.query(
      `WITH people AS (
         INSERT INTO staff (organization_id, employee_number, family_name, given_name, email, department_id, status, employment_type, roles, joined_on)
         SELECT $1, d.code || '-' || lpad(n::text, 3, '0'), '職員', d.code || '-' || n, 'p' || d.code || '-' || n || '@board.example', d.id,
                'active', 'regular', '{staff}', '2015-04-01'
           FROM unnest($2::uuid[], $3::text[], $4::int[]) AS d(id, code, people) CROSS JOIN LATERAL generate_series(1, d.people) n
         RETURNING id, department_id, employee_number)
       INSERT INTO enrolments (organization_id, course_id, fiscal_year, staff_id, department_id, source, enrolled_at, due_on, completed_at)
       SELECT $1, $5, $6, p.id, p.department_id, 'publish', make_timestamptz($6, 4, 1, 9, 0, 0, 'Asia/Tokyo'), make_date($6, 4, 1),
              CASE WHEN substring(p.employee_number FROM 4)::int <= d.completed THEN make_timestamptz($6, 4, 1, 12, 0, 0, 'Asia/Tokyo') END
         FROM people p JOIN unnest($2::uuid[], $7::int[]) AS d(id, completed) ON d.id = p.department_id`,
      [
        org,
        ids,
        DEPARTMENTS.map(([code]) => code),
        DEPARTMENTS.map(([, , , people]) => people),
        course!.id,
        fiscalYear,
        DEPARTMENTS.map(([, , completed]) => completed),
      ],
    );
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the security office a bar per department against 100%, the figures in a table, and who has not completed', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await signInFully(page, t, officer);
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '受講状況' }).click();
      await page.waitForURL('**/training/completion');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('受講状況');
      // one menu entry is the current page: 受講状況, not also わたしの研修 (/training) above it
      await expect(page.locator('.site-nav [aria-current="page"]').allTextContents()).resolves.toEqual(['受講状況']);
      // the chart is one image with a name and a description; the table says the same
      const chart = page.getByRole('img', { name: /部署別の受講率/ });
      await expect(chart.count()).resolves.toBe(1);
      await expect(page.locator('#chart-desc').textContent()).resolves.toContain('財政課 100.0%（12/12人）');
      await expect(page.getByRole('row', { name: /子ども家庭課/ }).textContent()).resolves.toMatch(/50\.0%/);
      const text = await mainText(page);
      expect(text).toContain('全体の受講率');
      expect(text).toContain('80.9%'); // 76 of 94
      await expectAccessible(page);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
        if (process.env.FIGURES_SCREENSHOTS) await page.screenshot({ path: `${process.env.FIGURES_SCREENSHOTS}/board-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      // a department's people who have not completed
      await page.getByRole('link', { name: '子ども家庭課の未受講者 5 人' }).click();
      await page.waitForURL('**/training/completion/not-completed?**');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('未受講者の一覧');
      expect(await page.getByRole('table').getByRole('row').count()).toBe(6); // the header and five people
      await expectAccessible(page);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSidewaysScroll(page, width);
        if (process.env.FIGURES_SCREENSHOTS) await page.screenshot({ path: `${process.env.FIGURES_SCREENSHOTS}/not-completed-${width}.png`, fullPage: true });
      }
    } finally {
      await context.close();
    }
  });
});
