import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { formatDate } from '../../src/common/dates.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 12: the plan's pages — the plan and a scenario's playbook for all staff, the printable contact sheet for those who may read the contacts. */
describe('response plan pages: the plan, a scenario playbook, the contact sheet (緊急連絡網)', () => {
  let t: TestApp;
  let org: string;
  let staff: TestPerson;
  let manager: TestPerson;
  let csirt: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const CSRF = 'c'.repeat(43);

  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  /** the cells of each row of a table's body, as text */
  const rows = (html: string, tableClass: string): string[][] => {
    const table = new RegExp(`<table class="table ${tableClass}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => words(cell[1]!).trim()),
    );
  };

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'response-plan-pages-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策室' });
    staff = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    const ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: null });
    const officer = await createPerson(t, org, { roles: ['security_officer', 'csirt'], departmentId: joho.id });
    const retired = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    const rename = (person: TestPerson, family: string, given: string) =>
      t.dataSource.query(`UPDATE staff SET family_name = $2, given_name = $3 WHERE id = $1`, [person.staff.id, family, given]);
    await rename(csirt, '情報', '花子');
    await rename(ciso, '副町', '長男');
    await rename(officer, '統括', '一郎');
    await rename(retired, '退職', '次郎');
    await t.dataSource.query(`UPDATE staff SET status = 'retired' WHERE id = $1`, [retired.staff.id]);
    for (const person of [staff, manager, csirt]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(ResponsePlanSync).sync(systemActor(org, 'test'));
  });
  afterAll(() => t.close());

  it('staff read the plan (its Japanese text without front matter), follow a scenario and see its playbook in order with targets in words', async () => {
    const plan = (await page(staff, '/response-plan').expect(200)).text;
    expect(plan).toMatch(/href="\/response-plan"[^>]*>緊急時対応計画<\/a>/); // the menu entry
    const text = words(plan);
    expect(text).toContain('守町 情報セキュリティ緊急時対応計画');
    expect(text).toContain('第4 対応体制');
    expect(text).not.toContain('reviewIntervalMonths');
    expect(text).not.toContain('Information Security Emergency Response Plan'); // the English part stays off Japanese pages
    expect(text).toContain('ブラウザの印刷機能で印刷できます');
    expect(plan).not.toContain('href="/response-plan/contacts"'); // staff may not read the contact sheet
    const link = /<a href="(\/response-plan\/scenarios\/[0-9a-f-]{36})">ランサムウェア感染（バックアップからの復旧）<\/a>/.exec(plan);
    expect(link).not.toBeNull();
    expect(plan.match(/href="\/response-plan\/scenarios\//g)).toHaveLength(8);

    const scenario = (await page(staff, link![1]!).expect(200)).text;
    expect(words(scenario)).toContain('オフラインで保管しているバックアップから復旧する');
    const steps = rows(scenario, 'playbook');
    expect(steps.map((cells) => cells[0])).toEqual(Array.from({ length: 14 }, (_, i) => String(i + 1)));
    expect(steps[0]).toEqual([
      '1',
      '検知',
      '感染が疑われる端末のLANケーブルを抜き、無線を切る（電源は切らない）。画面を撮影する',
      '職員',
      '5分',
      '情報政策室（CSIRT） 端末名、画面の表示、気付いた時刻、開いていたファイルやメール',
    ]);
    expect(steps.map((cells) => cells[1])).toEqual(expect.arrayContaining(['初動', '封じ込め', '報告・連絡', '復旧', '再発防止']));
    expect(steps.map((cells) => cells[4])).toEqual([
      '5分',
      '15分',
      '30分',
      '45分',
      '1時間',
      '1時間30分',
      '2時間',
      '3時間',
      '4時間',
      '1日',
      '3日',
      '4日',
      '14日',
      '60日',
    ]);
    expect(steps[3]![3]).toBe('最高情報セキュリティ責任者（CISO）');

    // English pages show the English texts
    const english = words((await page(staff, `${link![1]!}?lang=en`).expect(200)).text);
    expect(english).toContain('1 h 30 min');
    expect(english).toContain('Unplug the suspected PC');

    await page(staff, '/response-plan/scenarios/not-a-uuid').expect(400);
    await page(staff, '/response-plan/scenarios/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('the contact sheet: a manager sees it without out-of-hours numbers, a CSIRT member with them, staff are refused', async () => {
    const forManager = (await page(manager, '/response-plan/contacts').expect(200)).text;
    const text = words(forManager);
    expect(text).toContain('ネットワークが使えないときのため、印刷して手元に置いてください。');
    expect(text).toContain(formatDate(tokyoToday(), 'ja'));
    const outside = rows(forManager, 'contact-sheet');
    expect(outside[0]!.slice(0, 3)).toEqual(['○○県 総務部 情報政策課（セキュリティクラウド担当）', '県', '000-0000-0001']);
    expect(outside[0]).toHaveLength(5);
    expect(forManager).not.toContain('000-0000-0002');
    expect(text).not.toContain('時間外の電話 ');
    expect(text).toContain('時間外の電話番号は、計画に定める対応者');
    // the town's responders: active staff with the CISO, security officer or CSIRT roles; the CISO first
    const responders = rows(forManager.slice(forManager.indexOf('responders-heading')), 'contact-sheet');
    expect(responders[0]).toEqual(['副町 長男', '—', '最高情報セキュリティ責任者（CISO）']);
    expect(responders).toEqual(
      expect.arrayContaining([
        ['統括 一郎', '情報政策室', '情報セキュリティ担当、CSIRT'],
        ['情報 花子', '情報政策室', 'CSIRT'],
      ]),
    );
    expect(responders).toHaveLength(3);
    expect(text).not.toContain('退職 次郎');

    const forCsirt = (await page(csirt, '/response-plan/contacts').expect(200)).text;
    expect(words(forCsirt)).toContain('時間外の電話');
    const withNumbers = rows(forCsirt, 'contact-sheet');
    expect(withNumbers[0]!.slice(0, 4)).toEqual(['○○県 総務部 情報政策課（セキュリティクラウド担当）', '県', '000-0000-0001', '000-0000-0002']);
    expect((await page(csirt, '/response-plan').expect(200)).text).toContain('href="/response-plan/contacts"');

    await page(staff, '/response-plan/contacts').expect(403);
  });
});
