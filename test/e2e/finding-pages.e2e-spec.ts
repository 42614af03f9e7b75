import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { AuditsService } from '../../src/audits/audits.service.js';
import { Control } from '../../src/controls/control.entity.js';
import { CorrectiveAction } from '../../src/findings/corrective-action.entity.js';
import { Finding } from '../../src/findings/finding.entity.js';
import { FindingsService } from '../../src/findings/findings.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 11: the findings board and a finding's page over HTTP (HTML forms with the CSRF cookie). */
describe('finding pages: raise by hand, plan, report done, verify or send back; the board and its scope', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let zeimu: Department;
  let assignee: TestPerson;
  let colleague: TestPerson;
  let somuManager: TestPerson;
  let zeimuManager: TestPerson;
  let officer: TestPerson;
  let auditor: TestPerson;
  let controls: Control[];
  const tokens = new Map<TestPerson, string>();
  const CSRF = 'f'.repeat(43);
  const today = tokyoToday();
  const fy = fiscalYearOf(today);

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
  const words = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, ' ');
  /** the error summary at the top of a refused form's page */
  const summaryOf = (html: string) => words(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');
  /** the board's rows, as text, in order */
  const rowsOf = (html: string) => [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) => words(m[0]));
  const actionOf = async (findingId: string) => t.dataSource.getRepository(CorrectiveAction).findOneByOrFail({ findingId });
  const findingOf = (id: string) => t.dataSource.getRepository(Finding).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'finding-pages-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    zeimu = await createDepartment(t, org, { code: 'ZEIMU', name: '税務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    assignee = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    colleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    zeimuManager = await createPerson(t, org, { roles: ['manager'], departmentId: zeimu.id });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    auditor = await createPerson(t, org, { roles: ['auditor'], departmentId: joho.id });
    const names: [TestPerson, string, string][] = [
      [assignee, '山田', '花子'],
      [colleague, '鈴木', '次郎'],
      [somuManager, '高橋', '課長'],
      [zeimuManager, '田中', '税務'],
      [officer, '佐藤', '一郎'],
      [auditor, '伊藤', '監査'],
    ];
    for (const [person, familyName, givenName] of names) await t.dataSource.getRepository(Staff).update({ id: person.staff.id }, { familyName, givenName });
    for (const [person] of names) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    controls = await t.dataSource.getRepository(Control).find({ where: { organizationId: org }, order: { code: 'ASC' } });
  });
  afterAll(() => t.close());

  let findingId = '';

  it('the security office raises a finding by hand through the form; a refused form says what to fix and keeps what was typed', async () => {
    const blank = await page(officer, '/findings/new').expect(200);
    // the due date's hint says what an empty one becomes, by severity
    expect(words(blank.text)).toContain(`空欄のときは重要度から決まります`);
    expect(blank.text).toContain(`name="controlIds" type="checkbox" value="${controls[0]!.id}"`);

    const refused = await form(officer, '/findings/new', {
      title: '',
      description: '持ち出し簿が残っていない',
      severity: 'high',
      ownerDepartmentId: '',
    }).expect(400);
    expect(summaryOf(refused.text)).toContain('件名を入力してください');
    expect(summaryOf(refused.text)).toContain('所管課を選んでください');
    expect(refused.text).toContain('href="#title"');
    expect(refused.text).toContain('持ち出し簿が残っていない</textarea>');
    expect(words(refused.text)).toMatch(/^\s*エラー：/);

    const raised = await form(officer, '/findings/new', {
      title: 'USB メモリの持ち出し記録がない',
      description: '持ち出し簿が残っていない',
      severity: 'high',
      ownerDepartmentId: somu.id,
      dueDate: '',
      controlIds: [controls[0]!.id, controls[1]!.id],
    }).expect(303);
    findingId = /^\/findings\/([0-9a-f-]{36})$/.exec(raised.headers.location as string)![1]!;
    const finding = await findingOf(findingId);
    expect(finding).toMatchObject({ source: 'manual', severity: 'high', ownerDepartmentId: somu.id, dueDate: addDays(today, 30), status: 'open' });
    expect(finding.controlIds).toEqual([controls[0]!.id, controls[1]!.id]);

    const shown = await page(officer, `/findings/${findingId}`).expect(200);
    expect(words(shown.text)).toContain(`${finding.reference} USB メモリの持ち出し記録がない`);
    expect(words(shown.text)).toContain('手動');
    expect(shown.text).toContain(`href="/controls/${controls[0]!.id}"`);
    expect(words(shown.text)).toContain('是正措置を計画する');
    // staff may not raise one
    await page(assignee, '/findings/new').expect(403);
  });

  it('a manager plans an action for their staff; the assignee reports done; others are refused; the auditor sends it back, the assignee redoes it, the auditor verifies', async () => {
    // the manager chooses among their department's staff only
    const managerView = await page(somuManager, `/findings/${findingId}`).expect(200);
    expect(managerView.text).toContain(`value="${assignee.staff.id}"`);
    expect(managerView.text).not.toContain(`value="${officer.staff.id}"`);
    // the security office among everyone's
    expect((await page(officer, `/findings/${findingId}`).expect(200)).text).toContain(`value="${officer.staff.id}"`);

    const noAssignee = await form(somuManager, `/findings/${findingId}/actions`, {
      description: '持ち出し簿を備える',
      assigneeId: '',
      dueDate: addDays(today, 14),
    }).expect(400);
    expect(summaryOf(noAssignee.text)).toContain('担当者を選んでください');
    expect(noAssignee.text).toContain('持ち出し簿を備える</textarea>');
    await form(somuManager, `/findings/${findingId}/actions`, { description: '持ち出し簿を備える', assigneeId: assignee.staff.id, dueDate: addDays(today, 14) })
      .expect(303)
      .expect('Location', `/findings/${findingId}#actions-heading`);
    const action = await actionOf(findingId);
    expect(action).toMatchObject({ status: 'planned', assigneeId: assignee.staff.id });
    expect((await findingOf(findingId)).status).toBe('action_planned');

    // the assignee (staff, who reads no findings otherwise) sees it on their page and opens the finding
    const mine = await page(assignee, '/').expect(200);
    expect(mine.text).toContain(`href="/findings/${findingId}#action-${action.id}"`);
    expect(words(mine.text)).toContain('是正措置');
    const assigneeView = await page(assignee, `/findings/${findingId}`).expect(200);
    expect(words(assigneeView.text)).toContain('完了を報告');
    expect(words(assigneeView.text)).not.toContain('是正措置を計画する');

    // a colleague who is not the assignee, and another department's manager: no such finding for them
    await page(colleague, `/findings/${findingId}`).expect(404);
    await form(colleague, `/findings/${findingId}/actions/${action.id}/done`, { note: 'やりました' }).expect(404);
    await form(zeimuManager, `/findings/${findingId}/actions/${action.id}/done`, { note: 'やりました' }).expect(404);
    // the auditor reads it but does not report it done: told so at the top of the page
    const notTheirs = await form(auditor, `/findings/${findingId}/actions/${action.id}/done`, { note: 'やりました' }).expect(403);
    expect(summaryOf(notTheirs.text)).toContain('担当者と所管課の課長');
    expect((await actionOf(findingId)).status).toBe('planned');

    // the note is needed
    const noNote = await form(assignee, `/findings/${findingId}/actions/${action.id}/done`, { note: ' ' }).expect(400);
    expect(summaryOf(noNote.text)).toContain('何をしたかを入力してください');
    expect(noNote.text).toContain(`href="#done-${action.id}-note"`);
    await form(assignee, `/findings/${findingId}/actions/${action.id}/done`, { note: '持ち出し簿を作り、課内に周知した' }).expect(303);
    expect(await actionOf(findingId)).toMatchObject({ status: 'done', doneNote: '持ち出し簿を作り、課内に周知した' });
    expect((await findingOf(findingId)).status).toBe('done');

    // the security office's work queue counts it; the board filters to it
    expect(words((await page(officer, '/work').expect(200)).text)).toContain('確認を待つ是正措置');
    expect(words((await page(officer, '/findings?awaiting=true').expect(200)).text)).toContain('USB メモリの持ち出し記録がない');

    // verifying needs a note; the auditor sends it back with one
    const verifyBlank = await form(auditor, `/findings/${findingId}/actions/${action.id}/verify`, { verdict: 'verify', note: '' }).expect(400);
    expect(summaryOf(verifyBlank.text)).toContain('確認の内容（差し戻す場合はその理由）を入力してください');
    await form(auditor, `/findings/${findingId}/actions/${action.id}/verify`, { verdict: 'reopen', note: '持ち出し簿に記入例がない' }).expect(303);
    expect(await actionOf(findingId)).toMatchObject({ status: 'reopened', verifyNote: '持ち出し簿に記入例がない', verifiedAt: null });
    expect((await findingOf(findingId)).status).toBe('reopened');
    const sentBack = words((await page(assignee, `/findings/${findingId}`).expect(200)).text);
    expect(sentBack).toContain('差し戻しの理由');
    expect(sentBack).toContain('持ち出し簿に記入例がない');

    // the assignee redoes it, the auditor verifies it
    await form(assignee, `/findings/${findingId}/actions/${action.id}/done`, { note: '記入例を加えた' }).expect(303);
    await form(auditor, `/findings/${findingId}/actions/${action.id}/verify`, { verdict: 'verify', note: '記入例つきの持ち出し簿を確認した' }).expect(303);
    expect(await actionOf(findingId)).toMatchObject({ status: 'verified', verifiedById: auditor.staff.id, doneNote: '記入例を加えた' });
    expect((await findingOf(findingId)).status).toBe('verified');

    // verified twice (the form sent again): the page says where it stands, in words
    const twice = await form(auditor, `/findings/${findingId}/actions/${action.id}/verify`, { verdict: 'verify', note: 'もう一度' }).expect(409);
    expect(summaryOf(twice.text)).toContain('この是正措置は今「確認済み」のため、「確認済み」にはできません');
    // a staff member may not verify
    await form(assignee, `/findings/${findingId}/actions/${action.id}/verify`, { verdict: 'verify', note: 'x' }).expect(403);
    // the duty left the assignee's page
    expect((await page(assignee, '/').expect(200)).text).not.toContain(`/findings/${findingId}#action-`);
    // the auditor carried out an action themselves: no verify form for them but a word on who does; the refusal says why
    const findings = t.get(FindingsService);
    const own = (await findings.create(actorOf(officer), { title: '監査記録の保管', severity: 'low', ownerDepartmentId: somu.id, controlIds: [] })).finding;
    const ownAction = await findings.planAction(actorOf(officer), own.id, {
      description: '保管箱を用意する',
      assigneeId: auditor.staff.id,
      dueDate: addDays(today, 10),
    });
    await findings.reportDone(actorOf(auditor), ownAction.id, { status: 'done', note: '用意した' });
    const ownView = await page(auditor, `/findings/${own.id}`).expect(200);
    expect(ownView.text).not.toContain(`/actions/${ownAction.id}/verify`);
    expect(words(ownView.text)).toContain('ご自身が担当した是正措置は別の人が確認します');
    const ownRefused = await form(auditor, `/findings/${own.id}/actions/${ownAction.id}/verify`, { verdict: 'verify', note: '確認した' }).expect(403);
    expect(summaryOf(ownRefused.text)).toContain('ご自身が担当した是正措置は、ご自身では確認・差し戻しできません');
    expect(ownRefused.text).toContain('確認できません');
    // the office sends it back with a new due date
    const officerView = await page(officer, `/findings/${own.id}`).expect(200);
    expect(officerView.text).toContain(`id="verify-${ownAction.id}-dueDate"`);
    await form(officer, `/findings/${own.id}/actions/${ownAction.id}/verify`, { verdict: 'reopen', note: '鍵がない', dueDate: addDays(today, 20) }).expect(303);
    expect(await t.dataSource.getRepository(CorrectiveAction).findOneByOrFail({ id: ownAction.id })).toMatchObject({
      status: 'reopened',
      dueDate: addDays(today, 20),
    });
  });

  it('the board sorts by due date, marks the overdue and filters them, by department too; a manager sees their department’s; carried-over findings have their tab', async () => {
    const findings = t.get(FindingsService);
    const raise = (title: string, ownerDepartmentId: string, dueDate: string, severity: 'low' | 'medium' | 'high' = 'medium') =>
      findings.create(actorOf(officer), { title, severity, ownerDepartmentId, dueDate, controlIds: [] });
    const late = (await raise('パスワードの使い回し', somu.id, addDays(today, -3), 'high')).finding;
    const zeimuLater = (await raise('端末の施錠がない', zeimu.id, addDays(today, 60), 'low')).finding;
    await findings.planAction(actorOf(officer), late.id, { description: '課内で変更を促す', assigneeId: assignee.staff.id, dueDate: addDays(today, 5) });
    const old = (await raise('前年度の委託先点検が未了', zeimu.id, addDays(today, -200))).finding;
    await t.dataSource.query(`UPDATE findings SET fiscal_year = $1 WHERE id = $2`, [fy - 1, old.id]);

    // by default the board leaves the verified out; 「確認済みも表示」 lists them after the open ones
    const open = rowsOf((await page(officer, '/findings').expect(200)).text);
    expect(open.some((row) => row.includes('USB メモリの持ち出し記録がない'))).toBe(false);
    const board = await page(officer, '/findings?verified=true').expect(200);
    expect(board.text).toContain('確認済みも表示');
    const rows = rowsOf(board.text);
    expect(rows.at(-1)).toContain('USB メモリの持ち出し記録がない');
    const at = (title: string) => rows.findIndex((row) => row.includes(title));
    expect(at('前年度の委託先点検が未了')).toBeLessThan(at('パスワードの使い回し'));
    expect(at('パスワードの使い回し')).toBeLessThan(at('端末の施錠がない'));
    const lateRow = rows[at('パスワードの使い回し')]!;
    expect(lateRow).toContain('期限超過');
    expect(lateRow).toContain('総務課');
    expect(lateRow).toContain('高');
    expect(lateRow).toContain('計画済み');
    expect(lateRow).toContain('未完了 1件');
    expect(lateRow).toContain('山田 花子');
    // a verified finding is never overdue
    expect(rows[at('USB メモリの持ち出し記録がない')]).not.toContain('期限超過');

    const overdue = rowsOf((await page(officer, '/findings?overdue=true').expect(200)).text);
    expect(overdue.map((row) => row.includes('パスワードの使い回し') || row.includes('前年度の委託先点検が未了'))).toEqual([true, true]);
    const zeimuRows = rowsOf((await page(officer, `/findings?department=${zeimu.id}`).expect(200)).text);
    expect(zeimuRows).toHaveLength(2);
    expect(zeimuRows.every((row) => row.includes('税務課'))).toBe(true);
    const verified = rowsOf((await page(officer, '/findings?status=verified&source=manual&severity=high').expect(200)).text);
    expect(verified).toHaveLength(1);
    expect(verified[0]).toContain('確認済み');

    // an audit's findings: the board held to the audit, named with the way back
    const audit = await t.get(AuditsService).plan(actorOf(officer), {
      fiscalYear: fy,
      kind: 'internal_audit',
      title: '情報資産の内部監査',
      scope: { chapters: [1], departmentIds: [zeimu.id] },
      leadAuditorId: auditor.staff.id,
      plannedStart: `${fy}-04-01`,
      plannedEnd: `${fy}-04-30`,
    });
    await t.dataSource.query(`UPDATE findings SET source = 'audit', source_id = $1 WHERE id = $2`, [audit.id, zeimuLater.id]);
    const ofAudit = await page(officer, `/findings?sourceId=${audit.id}`).expect(200);
    expect(rowsOf(ofAudit.text)).toHaveLength(1);
    expect(rowsOf(ofAudit.text)[0]).toContain('端末の施錠がない');
    expect(words(ofAudit.text)).toContain(`${audit.reference} 情報資産の内部監査`);
    expect(ofAudit.text).toContain(`name="sourceId" value="${audit.id}"`);
    await page(officer, '/findings?sourceId=nonsense').expect(400);

    // the work queue counts the overdue
    expect(words((await page(officer, '/work').expect(200)).text)).toContain('期限を過ぎた指摘事項');

    // a manager sees their department's only, whatever the filter asks
    const zeimuBoard = rowsOf((await page(zeimuManager, '/findings').expect(200)).text);
    expect(zeimuBoard).toHaveLength(2);
    expect(zeimuBoard.some((row) => row.includes(zeimuLater.reference))).toBe(true);
    expect(rowsOf((await page(zeimuManager, `/findings?department=${somu.id}`).expect(200)).text)).toHaveLength(0);
    await page(zeimuManager, `/findings/${late.id}`).expect(404);
    await page(colleague, '/findings').expect(403);

    // carried over from the fiscal year before
    const carried = await page(officer, '/findings/carried-over').expect(200);
    const carriedRows = rowsOf(carried.text);
    expect(carriedRows).toHaveLength(1);
    expect(carriedRows[0]).toContain(old.reference);
    expect(carriedRows[0]).toContain('期限超過');
    expect(rowsOf((await page(somuManager, '/findings/carried-over').expect(200)).text)).toHaveLength(0);
    // bad addresses
    await page(officer, '/findings/not-a-uuid').expect(400);
    await page(officer, '/findings?status=nonsense').expect(400);
  });
});
