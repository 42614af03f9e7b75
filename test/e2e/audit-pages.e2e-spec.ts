import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf, formatFiscalYear } from '../../src/common/dates.js';
import { AuditsService } from '../../src/audits/audits.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 11: the audit plan pages: the list of a fiscal year, the plan form and its refusals, an audit's page (start, report). */
describe('audit plan pages: plan in the form, refused for an auditor of a department in scope, start, report refused while items are open', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let zeimu: Department;
  let officer: TestPerson;
  let yamada: TestPerson;
  let sato: TestPerson;
  let somuManager: TestPerson;
  let ciso: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const fy = fiscalYearOf(tokyoToday());
  const CSRF = 'c'.repeat(43);

  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` });
  const form = (person: TestPerson, path: string, fields: Record<string, string | string[]>) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  /** the error summary's items: text and link */
  const summaryOf = (html: string) => {
    const box = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    return [...box.matchAll(/<li>(?:<a href="([^"]*)">)?([\s\S]*?)(?:<\/a>)?<\/li>/g)].map((m) => ({
      href: m[1]?.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&') ?? null,
      text: m[2]!,
    }));
  };
  const flashOf = (response: request.Response) =>
    ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('mamori_flash='))?.split(';')[0];

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'audit-pages-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    yamada = await createPerson(t, org, { roles: ['auditor'], departmentId: zeimu.id });
    sato = await createPerson(t, org, { roles: ['auditor'], departmentId: joho.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: joho.id });
    await t.dataSource.getRepository(Staff).update({ id: yamada.staff.id }, { familyName: '山田', givenName: '花子' });
    await t.dataSource.getRepository(Staff).update({ id: sato.staff.id }, { familyName: '佐藤', givenName: '一郎' });
    await t.dataSource.getRepository(Staff).update({ id: somuManager.staff.id }, { familyName: '田中', givenName: '三郎' });
    for (const person of [officer, yamada, sato, somuManager, ciso]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
  });
  afterAll(() => t.close());

  it('the office plans an audit in the form; an auditor of a department in scope is refused by name and department, linked to their field', async () => {
    const list = await page(officer, '/audits').expect(200);
    expect(list.text).toContain('監査を計画する');
    expect(words(list.text)).toContain(`${formatFiscalYear(fy, 'ja')}の監査計画`);
    expect(list.text).toContain('条件に合う監査・自己点検はありません。');

    const blank = await page(officer, '/audits/new').expect(200);
    for (const text of ['1 組織体制', '9 評価・見直し', '必須の管理策だけを対象にする', '総務課', '税務課', '山田 花子（税務課）', '佐藤 一郎（情報政策課）'])
      expect(blank.text).toContain(text);
    // a manager may not plan
    await page(somuManager, '/audits/new').expect(403);

    const plan = {
      fiscalYear: String(fy),
      kind: 'internal_audit',
      title: `令和${fy - 2018}年度 情報セキュリティ内部監査`,
      chapters: ['5', '6'],
      departmentIds: [somu.id, zeimu.id],
      plannedStart: `${fy}-04-01`,
      plannedEnd: `${fy + 1}-03-31`,
    };
    // the lead works in a department in scope
    const ownLead = await form(officer, '/audits', { ...plan, leadAuditorId: yamada.staff.id }).expect(400);
    expect(ownLead.text).toContain('data-error-summary');
    expect(summaryOf(ownLead.text)).toEqual([
      {
        href: '#leadAuditorId',
        text: '山田 花子さんは税務課の職員です。自分の課は監査できません。主任監査人・チームを替えるか、対象から税務課を外してください。',
      },
    ]);
    expect(ownLead.text).toMatch(/<select id="leadAuditorId" name="leadAuditorId" aria-describedby="team-rule leadAuditorId-error" aria-invalid="true">/);
    // what was typed is kept
    expect(ownLead.text).toContain(`value="${plan.title}"`);
    expect(ownLead.text).toMatch(new RegExp(`id="departmentIds-${zeimu.id}" name="departmentIds" value="${zeimu.id}" checked`));

    // a member of the team works in a department in scope: the message is beside their checkbox
    const ownMember = await form(officer, '/audits', { ...plan, leadAuditorId: sato.staff.id, auditorIds: [yamada.staff.id] }).expect(400);
    expect(summaryOf(ownMember.text)).toEqual([
      {
        href: `#auditorIds-${yamada.staff.id}`,
        text: '山田 花子さんは税務課の職員です。自分の課は監査できません。主任監査人・チームを替えるか、対象から税務課を外してください。',
      },
    ]);
    expect(ownMember.text).toContain(`id="auditorIds-${yamada.staff.id}-error"`);

    // dates outside the fiscal year, an end before the start, no department
    const dates = await form(officer, '/audits', {
      ...plan,
      departmentIds: [],
      leadAuditorId: sato.staff.id,
      plannedStart: `${fy + 1}-04-02`,
      plannedEnd: `${fy + 1}-04-01`,
    }).expect(400);
    expect(summaryOf(dates.text).map((m) => m.href)).toEqual(['#departmentIds']);
    const badDates = await form(officer, '/audits', {
      ...plan,
      leadAuditorId: sato.staff.id,
      plannedStart: `${fy + 1}-04-02`,
      plannedEnd: `${fy + 1}-04-01`,
    }).expect(400);
    expect(summaryOf(badDates.text)).toEqual([
      { href: '#plannedEnd', text: '終了予定日は開始予定日と同じか、それより後の日付にしてください。' },
      { href: '#plannedStart', text: `開始予定日は${formatFiscalYear(fy, 'ja')}の日付（4月1日〜翌年3月31日）にしてください。` },
    ]);

    // planned: the audit's page
    const planned = await form(officer, '/audits', { ...plan, leadAuditorId: sato.staff.id }).expect(303);
    expect(flashOf(planned)).toBe('mamori_flash=notice.auditPlan_planned');
    const href = planned.headers.location!;
    expect(href).toMatch(/^\/audits\/[0-9a-f-]{36}$/);
    const shown = words((await page(officer, href).expect(200)).text);
    expect(shown).toContain(`AUD-${fy}-0001`);
    expect(shown).toContain('計画');
    expect(shown).toContain('5 人的セキュリティ');
    expect(shown).toContain('佐藤 一郎');
    expect(shown).toContain('計画を変更する');

    // the plan changes while planned: the self-inspection rule does not apply, the title does
    const edit = await page(officer, `${href}/edit`).expect(200);
    expect(edit.text).toContain('年度と種別は、計画したあとは変更できません。');
    await form(officer, `${href}/edit`, { ...plan, title: '変更した監査', leadAuditorId: sato.staff.id }).expect(303);
    expect(words((await page(officer, href).expect(200)).text)).toContain('変更した監査');
  });

  it('starting makes the checklist (the page says how many first); reporting is refused while items are open, linked to the unanswered items; the work queue counts it', async () => {
    const [audit] = (await t.dataSource.query(`SELECT id, reference FROM audits WHERE organization_id = $1`, [org])) as { id: string; reference: string }[];
    const href = `/audits/${audit!.id}`;
    const [{ n: controls }] = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM controls WHERE organization_id = $1 AND retired_at IS NULL AND chapter IN (5, 6)`,
      [org],
    )) as { n: number }[];
    const before = words((await page(officer, href).expect(200)).text);
    expect(before).toContain(`対象の管理策 ${controls} 件 × 課・室 2 件で、点検項目が ${controls * 2} 件作られます。`);
    // a manager sees no start
    expect((await page(somuManager, href).expect(200)).text).not.toContain('開始する</button>');

    const started = await form(officer, `${href}/start`, {}).expect(303);
    expect(decodeURIComponent(flashOf(started) ?? '')).toBe(`mamori_flash=notice.auditPlan_started|items=${controls * 2}`);
    const running = await page(officer, href).expect(200);
    expect(words(running.text)).toContain(`0 / ${controls * 2}`);
    expect(running.text).toContain(`href="${href}/checklist"`);
    expect(running.text).toContain('総務課');
    expect(running.text).toContain('税務課');

    // the lead (not the office) moves it on: refused, with how many are open and the way to them
    const refused = await form(sato, `${href}/reporting`, { summary: '概ね適切に運用されている。' }).expect(409);
    expect(summaryOf(refused.text)).toEqual([
      { href: `${href}/checklist?result=unanswered`, text: `未回答の点検項目が ${controls * 2} 件あります。すべて回答してから報告へ進めてください。` },
    ]);
    expect(refused.text).toContain('概ね適切に運用されている。</textarea>');
    // the summary alone is saved
    await form(sato, `${href}/summary`, { summary: '概ね適切に運用されている。' }).expect(303);
    expect((await page(officer, href).expect(200)).text).toContain('概ね適切に運用されている。</textarea>');

    // a manager of a department in scope sees their department's progress only
    const ownPage = (await page(somuManager, href).expect(200)).text;
    const own = words(ownPage);
    expect(own).toContain('あなたの課の項目だけを表示しています。');
    expect(own).toContain(`0 / ${controls}`);
    expect(ownPage).toContain(`checklist?departmentId&#x3D;${somu.id}`);
    expect(ownPage).not.toContain(`checklist?departmentId&#x3D;${zeimu.id}`);

    // the list: in progress, with its progress and lead
    const list = words((await page(officer, '/audits?fiscalYear=all&status=in_progress').expect(200)).text);
    expect(list).toContain(audit!.reference);
    expect(list).toContain('実施中');
    expect(list).toContain('佐藤 一郎');
    expect(list).toContain(`0 / ${controls * 2}`);

    // the work queue: the office sees audits nearing their end (this one ends within the year), the CISO reports to accept
    await t.dataSource.query(`UPDATE audits SET planned_end = planned_start WHERE id = $1`, [audit!.id]);
    const work = words((await page(officer, '/work').expect(200)).text);
    expect(work).toContain('終了予定日が近い監査');
    await t.dataSource.query(`UPDATE audits SET status = 'reporting' WHERE id = $1`, [audit!.id]);
    const cisoWork = words((await page(ciso, '/work').expect(200)).text);
    expect(cisoWork).toMatch(/承認を待つ監査報告 1 件/);
  });

  it('a self-inspection shows the office each department’s progress and its manager’s sign-off (課長確認)', async () => {
    const planned = await form(officer, '/audits', {
      fiscalYear: String(fy),
      kind: 'self_inspection',
      title: '自己点検',
      chapters: ['1'],
      essentialOnly: '1',
      departmentIds: [somu.id, zeimu.id],
      // in a self-inspection the own-department rule does not apply
      leadAuditorId: yamada.staff.id,
      plannedStart: `${fy}-04-01`,
      plannedEnd: `${fy + 1}-03-31`,
    }).expect(303);
    const href = planned.headers.location!;
    const id = href.split('/').pop()!;
    await form(officer, `${href}/start`, {}).expect(303);
    // 総務課 answers every item and its manager signs off
    await t.dataSource.query(
      `UPDATE audit_checklist_items SET result = 'conformant', answered_by_id = $3, answered_at = now() WHERE audit_id = $1 AND department_id = $2`,
      [id, somu.id, somuManager.staff.id],
    );
    await t.get(AuditsService).signOff(actorOf(somuManager), id, { departmentId: somu.id, note: '窓口の施錠を確認した。' });
    // a started audit's plan no longer changes: its edit address goes back to its page with a word on why
    const noEdit = await page(officer, `${href}/edit`).expect(303);
    expect(noEdit.headers.location).toBe(href);
    expect(decodeURIComponent(flashOf(noEdit) ?? '')).toBe('mamori_flash=notice.auditPlan_notEditable');
    const shown = (await page(officer, href).expect(200)).text;
    const table = words(/<table class="table">[\s\S]*?<\/table>/.exec(shown)?.[0] ?? '');
    expect(table).toContain('課長確認');
    expect(table).toMatch(/総務課 (\d+) \/ \1 完了 0 田中 三郎 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    expect(table).toMatch(/税務課 0 \/ \d+ 0 未確認/);
    expect(table).toContain('窓口の施錠を確認した。');

    // 税務課 answers every item but its manager has not signed off: the report panel says so, and reporting is refused by name
    await t.dataSource.query(`UPDATE audit_checklist_items SET result = 'conformant', answered_at = now() WHERE audit_id = $1 AND department_id = $2`, [
      id,
      zeimu.id,
    ]);
    const waiting = '課長確認がまだの課・室があります：税務課。各課の課長が確認してから報告へ進めてください。';
    expect(words((await page(yamada, href).expect(200)).text)).toContain(waiting);
    const refused = await form(yamada, `${href}/reporting`, { summary: '各課とも概ね適切。' }).expect(409);
    expect(summaryOf(refused.text)).toEqual([{ href: '#summary', text: waiting }]);
    expect(refused.text).toContain('報告へ進められません');
    expect(refused.text).toContain('各課とも概ね適切。</textarea>');
  });
});
