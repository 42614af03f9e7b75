import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { EscalationPolicy } from '../../src/incidents/escalation-policy.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { expectAccessible, expectNoSidewaysScroll, launchBrowser, mainText, newPage, signInFully } from './support.js';

/** where to save screenshots of the pages at 1280 and 375 px (unset: none) */
const SHOTS = process.env.INCIDENT_SCREENSHOTS;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 3)]);

describe('incidents in a browser: a report on a phone, worked by the CSIRT on a desk (WCAG 2.1 AA)', () => {
  let t: TestApp;
  let browser: Browser;
  let reporter: TestPerson;
  let csirt: TestPerson;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    const org = await testOrganization(t, 'incident-browser-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    reporter = await createPerson(t, org, { departmentId: somu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    await t.dataSource.getRepository(Staff).update({ id: reporter.staff.id }, { familyName: '山田', givenName: '花子' });
    await t.dataSource.getRepository(Staff).update({ id: csirt.staff.id }, { familyName: '佐藤', givenName: '一郎' });
    // a report nobody has assessed pages the CSIRT, then the security office
    await t.dataSource.getRepository(EscalationPolicy).save({
      organizationId: org,
      key: 'untriaged',
      name: '未判定の報告',
      triggers: ['untriaged'],
      levels: [
        { recipients: { roles: ['csirt'] }, channels: ['in_app', 'email'], timeoutMinutes: 15, repeat: 1 },
        { recipients: { roles: ['security_officer'] }, channels: ['email'], timeoutMinutes: 30, repeat: 1 },
      ],
    });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe 0 violations and no sideways scroll at the page's width; with INCIDENT_SCREENSHOTS, a picture at 1280 and 375 px. */
  async function check(page: Page, width: number, name: string): Promise<void> {
    await expectAccessible(page);
    await expectNoSidewaysScroll(page, width);
    if (!SHOTS) return;
    for (const w of [1280, 375]) {
      await page.setViewportSize({ width: w, height: 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: true });
    }
    await page.setViewportSize({ width, height: 900 });
  }
  const menu = (page: Page, name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name, exact: true });

  it('staff report on a phone and see the reference; the CSIRT filters, opens, acknowledges, triages, adds a task, ticks it off and writes a note; staff see the state', async () => {
    const staff = await newPage(browser, t);
    const office = await newPage(browser, t);
    try {
      // ---- a member of staff, on a phone
      const phone = staff.page;
      await phone.setViewportSize({ width: 375, height: 800 });
      await signInFully(phone, t, reporter);
      await menu(phone, 'インシデントを報告').click();
      await phone.waitForURL('**/incidents/new');
      expect(await phone.getByRole('heading', { level: 1 }).textContent()).toBe('インシデントを報告する');
      await check(phone, 375, 'report-form');
      await phone.getByLabel('何が起きましたか（ひとことで）').fill('不審なメールのリンクを開いた');
      await phone.getByLabel('くわしい状況').fill('銀行を名乗るメールのリンクを押し、ID とパスワードを入れてしまいました。');
      await phone.getByLabel('個人情報が含まれているかもしれない').check();
      await phone.getByLabel('関係するシステム・機器').fill('職員用パソコン');
      await phone.getByLabel('ネットワークの区分').selectOption({ label: 'インターネット接続系' });
      await phone.getByLabel('ファイル（任意）').setInputFiles({ name: '画面.png', mimeType: 'image/png', buffer: PNG });
      await phone.getByRole('button', { name: '報告する' }).click();
      await phone.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
      const notice = (await phone.getByRole('status').textContent()) ?? '';
      const reference = /INC-\d{4}-\d{4}/.exec(notice)?.[0];
      expect(notice).toContain(`${reference} として受け付けました。`);
      expect(await mainText(phone)).toContain('画面.png');
      await check(phone, 375, 'incident-staff');

      // ---- the CSIRT, on a desk
      const desk = office.page;
      await desk.setViewportSize({ width: 1280, height: 900 });
      await signInFully(desk, t, csirt);
      await menu(desk, 'インシデント').click();
      await desk.waitForURL('**/incidents');
      await desk.getByLabel('状態').selectOption('open');
      await desk.getByLabel('受付番号・件名').fill(reference!);
      await desk.getByRole('button', { name: 'この条件で絞り込む' }).click();
      await desk.waitForURL(/status=open/);
      expect(await desk.locator('tbody tr').count()).toBe(1);
      expect(await desk.locator('tbody tr').textContent()).toContain('未確認');
      await check(desk, 1280, 'board');
      await desk.getByRole('link', { name: reference! }).click();
      await desk.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
      const incidentPage = desk.url();
      expect(await mainText(desk)).toContain('次の連絡：第 1 段階');
      await check(desk, 1280, 'incident-unacknowledged');

      await desk.getByRole('button', { name: '確認しました' }).click();
      await desk.waitForURL(incidentPage);
      expect(await desk.getByRole('status').textContent()).toContain('確認を記録しました。');
      expect(await desk.getByRole('button', { name: '確認しました' }).count()).toBe(0);

      const transition = desk.getByRole('region', { name: '状態を変える' });
      await transition.getByLabel('次の状態').selectOption('triaged');
      await transition.getByLabel(/^理由/).fill('フィッシングによるID漏えい。パスワードを変更させる。');
      await transition.getByLabel('重大度').selectOption('L1');
      await transition.getByLabel('分類', { exact: true }).selectOption('targeted_mail');
      await transition.getByLabel('担当者', { exact: true }).selectOption({ label: '佐藤 一郎' });
      await desk.getByRole('button', { name: '状態を変える' }).click();
      await desk.waitForURL(incidentPage);
      expect(await desk.getByRole('status').textContent()).toContain('状態を変更しました。');

      await desk.getByLabel('やること').fill('パスワードを変更させる');
      await desk.getByRole('button', { name: 'タスクを追加する' }).click();
      await desk.waitForURL(`${incidentPage}#tasks-heading`);
      await desk.getByRole('button', { name: /完了にする.*パスワードを変更させる/ }).click();
      await desk.waitForURL(`${incidentPage}#tasks-heading`);
      expect(await desk.getByRole('status').textContent()).toContain('タスクを完了にしました。');

      await desk.getByLabel('行った対応').check();
      await desk.getByLabel('内容', { exact: true }).fill('本人に電話し、パスワード変更を確認した。');
      await desk.getByRole('button', { name: '記録する' }).click();
      await desk.waitForURL(`${incidentPage}#timeline-heading`);
      const timeline = (await desk.locator('.timeline').textContent()) ?? '';
      for (const said of [
        '状態を「受付（未判定）」から「判定済み・対応中」に変えました。',
        'フィッシングによるID漏えい。パスワードを変更させる。',
        'タスク「パスワードを変更させる」を完了にしました。',
        '「確認しました」を押しました。',
        '本人に電話し、パスワード変更を確認した。',
      ]) {
        expect(timeline).toContain(said);
      }
      await check(desk, 1280, 'incident');
      if (SHOTS) {
        // the same page in English, for the pictures only
        await desk.goto(`${incidentPage}?lang=en`);
        await check(desk, 1280, 'incident-en');
        await desk.goto(`${incidentPage}?lang=ja`);
      }

      // ---- back on the phone: my reports say where it stands
      await menu(phone, 'わたしの報告').click();
      await phone.waitForURL('**/incidents/mine');
      const mine = await mainText(phone);
      expect(mine).toContain(reference!);
      expect(mine).toContain('判定済み・対応中');
      await check(phone, 375, 'my-incidents');
    } finally {
      await staff.context.close();
      await office.context.close();
    }
  }, 120_000);
});
