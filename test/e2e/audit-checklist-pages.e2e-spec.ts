import request from 'supertest';
import { AuditsService } from '../../src/audits/audits.service.js';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

interface ItemRow {
  id: string;
  department_id: string;
  control_code: string;
}

/** Issue 11: the checklist an auditor works through (with and without JavaScript) and a manager's self-inspection with the sign-off (課長確認). */
describe('the checklist pages: answering item by item, the refusals in plain words, the self-inspection and its sign-off', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let zeimu: Department;
  let officer: TestPerson;
  let auditor: TestPerson;
  let somuManager: TestPerson;
  let controls: Control[];
  let auditId: string;
  let selfInspectionId: string;
  const tokens = new Map<TestPerson, string>();
  const CSRF = 'c'.repeat(43);
  const fy = fiscalYearOf(tokyoToday());

  const cookies = (person: TestPerson, extra = '') => `mamori_at=${tokens.get(person)}; mamori_csrf=${CSRF}${extra}`;
  const page = (person: TestPerson, path: string, extraCookie = '') =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: cookies(person, extraCookie) });
  const form = (person: TestPerson, path: string, fields: Record<string, string>, accept = 'text/html') =>
    request(t.http)
      .post(path)
      .set({ Accept: accept, Cookie: cookies(person) })
      .type('form')
      .send({ _csrf: CSRF, ...fields });
  const words = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, ' ');
  const flashOf = (response: request.Response) => {
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('mamori_flash='));
    return cookie ? `; ${cookie.split(';')[0]}` : '';
  };
  const items = async (audit: string) =>
    (await t.dataSource.query(`SELECT id, department_id, control_code FROM audit_checklist_items WHERE audit_id = $1 ORDER BY control_code, department_code`, [
      audit,
    ])) as ItemRow[];

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'checklist-town');
    somu = await createDepartment(t, org, { code: 'A-SOMU', name: '総務課' });
    zeimu = await createDepartment(t, org, { code: 'B-ZEIMU', name: '税務課' });
    const joho = await createDepartment(t, org, { code: 'C-JOHO', name: '情報政策課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    auditor = await createPerson(t, org, { roles: ['auditor'], departmentId: joho.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    await t.dataSource.getRepository(Staff).update(somuManager.staff.id, { familyName: '佐藤', givenName: '一郎' });
    for (const person of [officer, auditor, somuManager]) tokens.set(person, (await signIn(t, person)).accessToken);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    controls = (await t.dataSource.getRepository(Control).find({ where: { organizationId: org }, order: { code: 'ASC' } })).slice(0, 3);
    await t.dataSource.query(`UPDATE controls SET audit_question = $2, evidence_hints = $3 WHERE id = $1`, [
      controls[0]!.id,
      '情報セキュリティ責任者が任命され、文書で定められているか',
      '任命の辞令\n体制図',
    ]);
    const audits = t.get(AuditsService);
    const plannedStart = `${fy}-10-01`;
    const plan = (kind: 'internal_audit' | 'self_inspection', title: string, controlIds: string[]) =>
      audits.plan(actorOf(officer), {
        fiscalYear: fy,
        kind,
        title,
        scope: { controlIds, departmentIds: [somu.id, zeimu.id] },
        leadAuditorId: auditor.staff.id,
        plannedStart,
        plannedEnd: `${fy}-10-31`,
      });
    auditId = (
      await plan(
        'internal_audit',
        '内部監査（チェックリストの試験）',
        controls.map((c) => c.id),
      )
    ).id;
    await audits.start(actorOf(officer), auditId);
    selfInspectionId = (await plan('self_inspection', '自己点検（試験）', [controls[0]!.id, controls[1]!.id])).id;
    await audits.start(actorOf(officer), selfInspectionId);
  });
  afterAll(() => t.close());

  it('an auditor filters the checklist, saves answers without JavaScript (303 back to the same filtered page at the item), is told in plain words what to fix, and the script gets JSON', async () => {
    const all = await items(auditId);
    expect(all).toHaveLength(6);
    const full = await page(auditor, `/audits/${auditId}/checklist`).expect(200);
    expect(full.text.match(/data-checklist-answer/g)).toHaveLength(6);
    expect(words(full.text)).toContain('情報セキュリティ責任者が任命され、文書で定められているか');
    expect(full.text).toContain('<legend>結果</legend>');
    expect(full.text).toContain(`<label for="note-${all[0]!.id}">メモ</label>`);

    // filtered: 総務課, unanswered → 3 items; the first one answered conformant from that page
    const filtered = `/audits/${auditId}/checklist?departmentId=${somu.id}&result=unanswered`;
    const somuPage = await page(auditor, filtered).expect(200);
    expect(somuPage.text.match(/data-checklist-answer/g)).toHaveLength(3);
    const [first, second] = all.filter((i) => i.department_id === somu.id);
    const saved = await form(auditor, `/audits/${auditId}/checklist/${first!.id}`, { _page: filtered, result: 'conformant', note: '' }).expect(303);
    expect(saved.headers.location).toBe(`${filtered}#item-${first!.id}`);
    const after = await page(auditor, filtered, flashOf(saved)).expect(200);
    expect(words(after.text)).toContain('保存しました');
    expect(after.text.match(/data-checklist-answer/g)).toHaveLength(2);

    // an observation without a note: the same filtered page again, the summary at the top linking to the note
    const refused = await form(auditor, `/audits/${auditId}/checklist/${second!.id}`, { _page: filtered, result: 'observation', note: '  ' }).expect(400);
    const summary = refused.text.slice(refused.text.indexOf('error-summary'), refused.text.indexOf('</ul>', refused.text.indexOf('error-summary')));
    expect(words(summary)).toContain('「観察事項」にするには、確認したことと見つかったことをメモに書いてください。');
    expect(summary).toContain(`href="#note-${second!.id}"`);
    expect(refused.text).toMatch(/<title>エラー：/);
    expect(refused.text).toMatch(new RegExp(`<textarea id="note-${second!.id}"[^>]*aria-invalid="true"`));
    expect(refused.text).toMatch(new RegExp(`id="result-${second!.id}-observation" name="result" value="observation" checked`));
    expect(refused.text).toMatch(new RegExp(`<option value="${somu.id}" selected>`));

    // a minor non-conformity raises a finding, linked from the item; going back to conformant is refused naming it
    await form(auditor, `/audits/${auditId}/checklist/${second!.id}`, {
      _page: filtered,
      result: 'minor_nonconformity',
      note: '辞令が保管されていない',
    }).expect(303);
    const [finding] = (await t.dataSource.query(`SELECT id, reference FROM findings WHERE checklist_item_id = $1`, [second!.id])) as {
      id: string;
      reference: string;
    }[];
    const withFinding = await page(auditor, `/audits/${auditId}/checklist?departmentId=${somu.id}`).expect(200);
    expect(withFinding.text).toContain(`<a href="/findings/${finding!.id}">${finding!.reference}</a>`);
    const back = await form(auditor, `/audits/${auditId}/checklist/${second!.id}`, { result: 'conformant' }).expect(409);
    expect(words(back.text)).toContain(`この項目からは指摘事項 ${finding!.reference} が作られています。`);
    expect(back.text).toContain(`href="#result-${second!.id}-conformant"`);

    // the script: JSON when asked, the refusal's words and the field they are about
    const third = all.find((i) => i.department_id === zeimu.id)!;
    const json = await form(
      auditor,
      `/audits/${auditId}/checklist/${third.id}`,
      { result: 'not_applicable', note: '税務課は該当する業務がない' },
      'application/json',
    ).expect(200);
    expect(json.body).toMatchObject({
      id: third.id,
      result: 'not_applicable',
      resultLabel: '該当なし',
      note: '税務課は該当する業務がない',
      message: '保存済み',
    });
    const jsonRefused = await form(auditor, `/audits/${auditId}/checklist/${third.id}`, { result: 'not_applicable', note: '' }, 'application/json').expect(400);
    expect(jsonRefused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(jsonRefused.body).toMatchObject({
      code: 'CHECKLIST_NOTE_REQUIRED',
      messages: [{ text: '「該当なし」にするには、該当しない理由をメモに書いてください。', fieldId: `note-${third.id}` }],
    });
    const noResult = await form(auditor, `/audits/${auditId}/checklist/${third.id}`, { note: 'x' }, 'application/json').expect(400);
    expect(noResult.body.messages).toEqual([{ text: '結果を選んでください。', fieldId: `result-${third.id}-conformant` }]);

    // the item's page: question, description, evidence hints one per line, the answer form posting back to it
    const itemPage = await page(auditor, `/audits/${auditId}/checklist/${first!.id}`).expect(200);
    expect(words(itemPage.text)).toContain('情報セキュリティ責任者が任命され、文書で定められているか');
    expect(itemPage.text).toContain('<li>任命の辞令</li>');
    expect(itemPage.text).toContain('<li>体制図</li>');
    const fromItem = await form(auditor, `/audits/${auditId}/checklist/${first!.id}`, {
      _page: `/audits/${auditId}/checklist/${first!.id}`,
      result: 'observation',
      note: '体制図が古い',
    }).expect(303);
    expect(fromItem.headers.location).toBe(`/audits/${auditId}/checklist/${first!.id}#item-${first!.id}`);
    await page(auditor, `/audits/${auditId}/checklist/not-a-uuid`).expect(400);

    // evidence files on the item's page: an empty file refused in words, a PDF listed with its download link
    const upload = (name: string, content: Buffer) =>
      request(t.http)
        .post(`/audits/${auditId}/checklist/${first!.id}/evidence`)
        .set({ Accept: 'text/html', Cookie: cookies(auditor) })
        .field('_csrf', CSRF)
        .attach('file', content, { filename: name, contentType: 'application/pdf' });
    const empty = await upload('空.pdf', Buffer.alloc(0)).expect(400);
    expect(words(empty.text)).toContain('選んだファイルは空です');
    expect(empty.text).toContain('href="#file"');
    const added = await upload('辞令.pdf', PDF).expect(303);
    expect(added.headers.location).toBe(`/audits/${auditId}/checklist/${first!.id}#evidence`);
    const withFile = await page(auditor, `/audits/${auditId}/checklist/${first!.id}`, flashOf(added)).expect(200);
    expect(words(withFile.text)).toContain('証跡ファイルを登録しました。');
    const link = /href="(\/audits\/[^"]+\/evidence\/[^"]+)" download>辞令\.pdf/.exec(withFile.text)![1]!;
    const downloaded = await page(auditor, link)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((downloaded.body as Buffer).equals(PDF)).toBe(true);
    expect((await page(auditor, `/audits/${auditId}/checklist?departmentId=${somu.id}`).expect(200)).text).toMatch(/証跡\s*<\/dt>\s*<dd>1 件/);
  });

  it("a manager's self-inspection shows only their department, says how many items are left, then takes the sign-off and shows who and when", async () => {
    const mine = (await items(selfInspectionId)).filter((i) => i.department_id === somu.id);
    expect(mine).toHaveLength(2);
    const path = `/audits/${selfInspectionId}/checklist`;
    const opened = await page(somuManager, path).expect(200);
    expect(words(opened.text)).toContain('自己点検（総務課）');
    expect(opened.text.match(/data-checklist-answer/g)).toHaveLength(2);
    expect(opened.text).not.toContain('税務課');
    expect(words(opened.text)).toContain('未回答の項目があと 2 件あります。');
    expect(opened.text).not.toContain('課長確認をする');
    const duties = await page(somuManager, '/').expect(200);
    expect(words(duties.text)).toMatch(/自己点検\s+自己点検（試験）/);
    expect(duties.text).toContain(`href="/audits/${selfInspectionId}/checklist?result&#x3D;unanswered"`);

    // signing off too early: the summary says how many are left
    const early = await form(somuManager, `/audits/${selfInspectionId}/sign-off`, { _page: path, note: '' }).expect(409);
    expect(words(early.text)).toContain('未回答の項目があと 2 件あります。すべての項目に回答してから課長確認をしてください。');
    // another department's item is not there for them
    const zeimuItem = (await items(selfInspectionId)).find((i) => i.department_id === zeimu.id)!;
    await page(somuManager, `${path}/${zeimuItem.id}`).expect(404);
    await form(somuManager, `${path}/${zeimuItem.id}`, { result: 'conformant' }).expect(404);

    for (const item of mine) await form(somuManager, `${path}/${item.id}`, { _page: path, result: 'conformant' }).expect(303);
    const ready = await page(somuManager, path).expect(200);
    expect(ready.text).toContain('課長確認をする');
    const signed = await form(somuManager, `/audits/${selfInspectionId}/sign-off`, { _page: path, note: '確認しました' }).expect(303);
    expect(signed.headers.location).toBe(`${path}#sign-off`);
    const done = await page(somuManager, path, flashOf(signed)).expect(200);
    expect(words(done.text)).toContain('課長確認を記録しました。');
    expect(words(done.text)).toMatch(/佐藤 一郎 が \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} に課長確認をしました。/);
    expect(done.text).not.toContain('課長確認をする');
    expect(words(done.text)).toContain('課長のコメント： 確認しました');
    const noDuty = await page(somuManager, '/').expect(200);
    expect(noDuty.text).not.toContain(`/audits/${selfInspectionId}/checklist`);
  });
});
