import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { DrillsService } from '../../src/response-plan/drills.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { responsePlanFixture } from '../fixtures/response-plan.js';
import { expectAccessible, expectNoSidewaysScroll, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** where to save screenshots of the pages at 1280 and 375 px (unset: none) */
const SHOTS = process.env.DRILL_SCREENSHOTS;

describe('drills in a browser: the facilitator runs a drill on a tablet without JavaScript forms breaking (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let root: string;
  let removeFixture = (): void => undefined;
  let facilitator: TestPerson;
  let drillId: string;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'drill-browser-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    const officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    facilitator = await createPerson(t, org, { roles: ['staff'], departmentId: joho.id });
    const people: [TestPerson, string, string][] = [[facilitator, '進行', '太郎']];
    for (const [family, given] of [
      ['総務', '一郎'],
      ['総務', '花子'],
      ['総務', '次郎'],
    ]) {
      const person = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
      people.push([person, family!, given!]);
    }
    for (const [person, family, given] of people)
      await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName: family, givenName: given });
    const fixture = responsePlanFixture('mamori-drill-browser-', 'contacts: []\n');
    root = fixture.root;
    removeFixture = fixture.remove;
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'), { root });
    const [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1`, [org])) as { id: string }[];
    const day = addDays(tokyoToday(), 1); // tomorrow: a drill is started from the day before its day on
    const drill = await t.get(DrillsService).schedule(actorOf(officer, { mfa: true }), {
      scenarioId: scenarioId!,
      kind: 'tabletop',
      title: 'ウェブサイト停止 机上訓練',
      startsAt: `${day}T10:00:00`,
      endsAt: `${day}T11:30:00`,
      location: '本庁舎3階 第1会議室',
      onlineUrl: 'https://meet.example.jp/drill-2026-web-outage',
      facilitatorId: facilitator.staff.id,
      invitees: { departmentIds: [somu.id] },
    });
    drillId = drill.id;
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    removeFixture();
  });

  /** axe 0 violations and no sideways scroll at each width; with DRILL_SCREENSHOTS, a picture at each. */
  async function check(page: Page, name: string, widths = [1280, 375]): Promise<void> {
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      await expectNoSidewaysScroll(page, width);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
  }

  it('the facilitator opens the live page on a tablet, marks a step done, takes the roll and finishes the drill', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInFully(page, t, facilitator);
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '訓練', exact: true }).click();
      await page.waitForURL('**/drills');
      expect(await mainText(page)).toContain('ウェブサイト停止 机上訓練');
      await check(page, 'drills');

      await page.getByRole('link', { name: 'ウェブサイト停止 机上訓練', exact: true }).click();
      await page.waitForURL(`**/drills/${drillId}`);
      await check(page, 'drill');
      await page.getByRole('button', { name: '訓練を開始する' }).click();
      await page.waitForURL(`**/drills/${drillId}/run`);
      expect(await page.getByRole('status').textContent()).toContain('訓練を開始しました。');

      // a tablet held upright
      await page.setViewportSize({ width: 768, height: 1024 });
      expect(await mainText(page)).toContain('開始から 0分');
      const step = page.locator('#step-1');
      await step.getByLabel('メモ（任意）').fill('監視画面で警報を確認');
      await step.getByRole('button', { name: '完了' }).click();
      await page.waitForURL(`**/drills/${drillId}/run#step-1`);
      expect(await page.getByRole('status').textContent()).toContain('手順 1 を完了にしました。');
      expect(await page.locator('#step-1').textContent()).toMatch(/完了 \d\d:\d\d（開始から [01]分）/);
      expect(await page.locator('#step-1').textContent()).toContain('目標内');
      // every button and roll entry is a large touch target
      const heights = await page
        .locator('main .drill-button, main .drill-roll__person')
        .evaluateAll((elements) =>
          elements.map((element) => (element as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height),
        );
      expect(heights.length).toBeGreaterThan(5);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(48);

      await page.getByLabel('総務 一郎').check();
      await page.getByLabel('総務 花子').check();
      await page.getByRole('button', { name: '出欠を保存' }).click();
      await page.waitForURL(`**/drills/${drillId}/run#attendance-heading`);
      expect(await page.getByRole('status').textContent()).toContain('出欠を保存しました（出席 2 人）。');
      await check(page, 'drill-run', [768, 1280, 375]);

      await page.setViewportSize({ width: 768, height: 1024 });
      await page.getByLabel('反省点・教訓').fill('連絡先を四半期ごとに確かめる');
      await page.getByRole('button', { name: '訓練を終了する' }).click();
      await page.waitForURL(`**/drills/${drillId}`);
      expect(await page.getByRole('status').textContent()).toContain('訓練を終了しました。');
      expect(await mainText(page)).toContain('この訓練は実施済みです。');
    } finally {
      await context.close();
    }
  }, 120_000);
});
