import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, signIn as apiSignIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, focused, launchBrowser, mainText, newPage, signInFully } from './support.js';
import request from 'supertest';

/** where to save screenshots of the pages at 1280 and 375 px, and the checklist printed to PDF (unset: none) */
const SHOTS = process.env.DRILL_RECORD_SCREENSHOTS;

describe('a drill held on paper in a browser: the checklist printed, the paper sheet entered (refused first), the record (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: TestPerson;
  let drillId: string;
  const day = addDays(tokyoToday(), -3);

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'drill-record-browser-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    await t.dataSource.getRepository(Staff).update({ id: officer.staff.id }, { familyName: '鈴木', givenName: '次郎' });
    const names = [
      ['山田', '花子'],
      ['佐藤', '一郎'],
      ['高橋', '美咲'],
      ['田中', '健太'],
      ['伊藤', '由美'],
      ['渡辺', '翔'],
      ['中村', '明美'],
      ['小林', '大輔'],
      ['加藤', '真由美'],
      ['吉田', '誠'],
    ];
    for (const [i, [family, given]] of names.entries()) {
      const person = await createPerson(t, org, { roles: ['staff'], departmentId: i < 7 ? somu.id : joho.id });
      await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName: family, givenName: given });
    }
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'));
    const [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 AND key = 'ransomware'`, [org])) as {
      id: string;
    }[];
    const token = (await apiSignIn(t, officer)).accessToken;
    drillId = (
      await request(t.http)
        .post('/api/v1/drills')
        .set('Authorization', `Bearer ${token}`)
        .send({
          scenarioId,
          kind: 'tabletop',
          title: 'ランサムウェア感染 机上訓練（ネットワークなし）',
          startsAt: `${day}T14:00:00+09:00`,
          endsAt: `${day}T15:30:00+09:00`,
          location: '本庁舎3階 第1会議室',
          facilitatorId: officer.staff.id,
          invitees: { departmentIds: [somu.id, joho.id] },
        })
        .expect(201)
    ).body.id as string;
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe 0 violations and no sideways scroll at 1280 and 375 px; with DRILL_RECORD_SCREENSHOTS, a picture at each. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      await expectNoSidewaysScroll(page, width);
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
        // the first screen, and the steps where the page has them, at full size
        await page.screenshot({ path: `${SHOTS}/${name}-${width}-top.png` });
        const steps = page.locator('.drill-record-steps, .drill-record-paper__steps');
        if (await steps.count()) await steps.first().screenshot({ path: `${SHOTS}/${name}-${width}-steps.png` });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('prints the checklist, enters the paper sheet (a wrong time refused with the focus on the summary), and reads the record', async () => {
    const { context, page } = await newPage(browser, t);
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInFully(page, t, officer);

      await page.goto(`/drills/${drillId}/checklist`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('訓練チェックシート');
      expect(await page.locator('.drill-sheet-steps tbody tr').count()).toBe(14);
      expect(await page.locator('.drill-sheet-roll li').count()).toBe(11);
      await check(page, 'drill-checklist');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      if (SHOTS) {
        // the printable width of A4 with the sheet's 12 mm side margins (186 mm at 96 dpi)
        await page.setViewportSize({ width: 703, height: 1047 });
        await page.screenshot({ path: `${SHOTS}/drill-checklist-print.png`, fullPage: true });
        await page.pdf({ path: `${SHOTS}/drill-checklist.pdf`, format: 'A4', printBackground: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('link', { name: '紙の記録を入力する' }).click();
      await page.waitForURL(`**/drills/${drillId}/paper`);
      await check(page, 'drill-paper');
      await page.getByLabel('開始時刻').fill('14:00');
      await page.getByLabel('終了時刻').fill('15:30');
      for (const name of ['山田 花子', '佐藤 一郎', '高橋 美咲', '田中 健太', '伊藤 由美', '渡辺 翔', '中村 明美', '小林 大輔', '鈴木 次郎']) {
        await page.getByLabel(name, { exact: false }).check();
      }
      const times = ['14:04', '14:20', '14:35', '14:55', '15:00', '15:40'];
      for (const [i, time] of times.entries()) await page.getByLabel(`手順 ${i + 1} の完了時刻`).fill(time);
      await page.getByLabel('手順 2 のメモ').fill('紙の連絡網で CSIRT に連絡');
      await page.locator('#event-1-time').fill('14:10');
      await page.locator('#event-1-text').fill('庁舎のネットワークが停止したとの想定を付与');
      await page.locator('#event-2-kind').selectOption('problem');
      await page.locator('#event-2-time').fill('14:30');
      await page.locator('#event-2-text').fill('バックアップの保管場所の鍵の所在が分からなかった');
      await page.getByRole('button', { name: '記録を入力する' }).click();

      // refused: step 6 at 15:40 is after the end; the summary has the focus and names the step, the field keeps what was typed
      await page.waitForSelector('.error-summary');
      expect(await page.title()).toMatch(/^エラー：/);
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toMatch(/手順 6「[^」]+」の完了時刻 15:40 が、開始 14:00 から終了 15:30 の間にありません。/);
      expect(await page.locator('#step-6-time').inputValue()).toBe('15:40');
      await check(page, 'drill-paper-refused');
      await page.getByRole('alert').getByRole('link').first().click();
      expect((await focused(page)).id).toBe('step-6-time');

      await page.locator('#step-6-time').fill('15:25');
      await page.getByRole('button', { name: '記録を入力する' }).click();
      await page.waitForURL(`**/drills/${drillId}/record`);
      expect(await page.getByRole('status').textContent()).toContain('紙の記録を入力しました。');
      const text = await mainText(page);
      expect(text).toContain('紙の記録から入力');
      expect(text).toContain('出席率 82%（9/11人）');
      expect(text).toContain('遅れ');
      await check(page, 'drill-record');

      // a change to the playbook proposed from the drill: the first late step chosen; a target out of order refused at the top
      expect(await page.getByLabel('変更する手順').inputValue()).toBe('2');
      await page.getByLabel('新しい目標（訓練開始から何分か）').fill('3');
      await page.locator('#proposal-reason').fill('影響範囲の確認に20分かかった。端末の台数を考えると15分は短い');
      await page.getByRole('button', { name: '提案を改訂案に入れる' }).click();
      await page.waitForSelector('.error-summary');
      expect((await focused(page)).role).toBe('alert');
      expect(await page.getByRole('alert').textContent()).toMatch(/手順 2「[^」]+」の新しい目標 3分 は、前の手順 1 の目標 5分 より短くできません。/);
      expect(await page.locator('#proposal-targetMinutes').inputValue()).toBe('3');
      await check(page, 'drill-proposal-refused');
      await page.getByRole('alert').getByRole('link').first().click();
      expect((await focused(page)).id).toBe('proposal-targetMinutes');
      await page.locator('#proposal-targetMinutes').fill('20');
      await page.getByRole('button', { name: '提案を改訂案に入れる' }).click();
      await page.waitForURL(`**/drills/${drillId}/record#proposals-heading`);
      expect(await page.getByRole('status').textContent()).toContain('提案を計画の改訂案に入れました。CISOの承認を待っています。');
      const proposals = page.locator('section.drill-proposal');
      expect(await proposals.locator('.drill-proposal-item').count()).toBe(1);
      expect(await proposals.textContent()).toMatch(/15分 → 20分/);
      await check(page, 'drill-proposal');
      if (SHOTS) {
        for (const width of [1280, 375]) {
          await page.setViewportSize({ width, height: 900 });
          await proposals.screenshot({ path: `${SHOTS}/drill-proposal-${width}-section.png` });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      await page.emulateMedia({ media: 'print' });
      if (SHOTS) {
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.pdf({ path: `${SHOTS}/drill-record.pdf`, format: 'A4', printBackground: true });
        await page.screenshot({ path: `${SHOTS}/drill-record-print.png`, fullPage: true });
      }
    } finally {
      await context.close();
    }
  });
});
