import request from 'supertest';
import { RoleRequest } from '../../src/staff/role-request.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 8: the role requests in the browser: the list, asking, deciding on the request's page, the requests waiting for the viewer. */
describe('role request pages', () => {
  let t: TestApp;
  let org: string;
  let adminA: TestPerson;
  let adminB: TestPerson;
  let ciso: TestPerson;
  let target: TestPerson;
  const token = {} as Record<'adminA' | 'adminB' | 'ciso' | 'officer' | 'manager' | 'staff' | 'target', string>;

  /** the double-submit CSRF pair: the cookie and the form field carry the same token */
  const CSRF = 'c'.repeat(43);

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    adminA = await createPerson(t, org, { roles: ['admin'] });
    adminB = await createPerson(t, org, { roles: ['admin'] });
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    target = await createPerson(t, org);
    await t.dataSource.getRepository(Staff).update({ id: target.staff.id }, { familyName: '山田', givenName: '花子' });
    const officer = await createPerson(t, org, { roles: ['security_officer'] });
    const manager = await createPerson(t, org, { roles: ['manager'] });
    const staff = await createPerson(t, org);
    for (const [key, person] of Object.entries({ adminA, adminB, ciso, officer, manager, staff, target })) {
      token[key as keyof typeof token] = (await signIn(t, person)).accessToken;
    }
  });
  afterAll(() => t.close());

  /** a page asked for by a browser signed in with this access token */
  const page = (bearer: string, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${bearer}; mamori_csrf=${CSRF}` });
  /** a form of the pages sent by that browser */
  const post = (bearer: string, path: string, form: Record<string, string> = {}) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${bearer}; mamori_csrf=${CSRF}` })
      .type('form')
      .send({ _csrf: CSRF, ...form });
  /** the text of a page, tags removed */
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const summary = (html: string) => words(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');
  const holds = async (person: TestPerson, role: string) =>
    (await t.dataSource.getRepository(Staff).findOneByOrFail({ id: person.staff.id })).roles.includes(role as never);
  const requestFor = async (bearer: string, person: TestPerson, change: string, role: string) => {
    const made = await post(bearer, '/role-requests', { staffId: person.staff.id, change, role, reason: '4月1日付で情報政策室に異動するため' }).expect(303);
    return made.headers.location!.split('/').pop()!;
  };

  it('refuses plain staff, managers and the security office the list and the request form; staff see only requests about them', async () => {
    for (const who of ['staff', 'manager', 'officer', 'target'] as const) {
      await page(token[who], '/role-requests').expect(403);
      await page(token[who], `/role-requests/new?staffId=${target.staff.id}`).expect(403);
    }
    await page(token.ciso, `/role-requests/new?staffId=${target.staff.id}`).expect(403); // a CISO decides, an administrator asks
    await post(token.manager, '/role-requests', { staffId: target.staff.id, change: 'grant', role: 'csirt', reason: 'x' }).expect(403);
    expect(await t.dataSource.getRepository(RoleRequest).count()).toBe(0);

    const id = await requestFor(token.adminA, target, 'grant', 'auditor');
    await page(token.staff, `/role-requests/${id}`).expect(404);
    await post(token.staff, `/role-requests/${id}/approve`).expect(403);
    await post(token.manager, `/role-requests/${id}/reject`, { reason: 'x' }).expect(404); // not a request they may see
    // the person concerned sees the request about them, and that the decision is not theirs
    expect(words((await page(token.target, `/role-requests/${id}`).expect(200)).text)).toContain('あなたについての申請のため');
    await post(token.adminA, `/role-requests/${id}/withdraw`).expect(303);
    const nav = (await page(token.manager, '/').expect(200)).text;
    expect(nav).not.toContain('href="/role-requests"');
    expect((await page(token.adminA, '/').expect(200)).text).toContain('href="/role-requests"');
  });

  it('takes a request through the form, showing each refusal at the top of the page and beside its field', async () => {
    const form = await page(token.adminA, `/role-requests/new?staffId=${target.staff.id}`).expect(200);
    expect(words(form.text)).toContain('山田 花子');
    expect(form.text).toContain('name="staffId"');
    expect(words((await page(token.adminA, '/role-requests/new').expect(200)).text)).toContain('職員一覧から選んでください');

    const empty = await post(token.adminA, '/role-requests', { staffId: target.staff.id }).expect(400);
    expect(summary(empty.text)).toContain('役割を付与するか削除するかを選んでください');
    expect(summary(empty.text)).toContain('申請の理由を500文字以内で入力してください');
    expect(empty.text).toContain('href="#change-grant"');
    expect(empty.text).toMatch(/<title>エラー：/);

    const nothing = await post(token.adminA, '/role-requests', { staffId: target.staff.id, change: 'revoke', role: 'csirt', reason: '異動のため' }).expect(409);
    expect(summary(nothing.text)).toContain('削除するときは今持っている役割を選んでください');
    expect(nothing.text).toContain('id="role-admin-error"');
    expect(nothing.text).toContain('異動のため</textarea>'); // what was typed stays

    const own = await post(token.adminA, '/role-requests', { staffId: adminA.staff.id, change: 'revoke', role: 'admin', reason: '異動のため' }).expect(403);
    expect(summary(own.text)).toContain('自分の役割の変更は申請できません');

    const id = await requestFor(token.adminA, target, 'grant', 'csirt');
    const made = await page(token.adminA, `/role-requests/${id}`).set('Cookie', `mamori_at=${token.adminA}; mamori_flash=notice.roleRequestMade`).expect(200);
    expect(words(made.text)).toContain('権限変更を申請しました');
    const twice = await post(token.adminA, '/role-requests', { staffId: target.staff.id, change: 'grant', role: 'csirt', reason: '念のため' }).expect(409);
    expect(summary(twice.text)).toContain('決定を待っている申請があります');
    expect(twice.text).toContain(`href="/role-requests/${id}"`); // the open request is listed on the form's page
  });

  it('lets the CISO approve on the page; the requester cannot, and a rejection needs a reason', async () => {
    const person = await createPerson(t, org);
    const id = await requestFor(token.adminA, person, 'grant', 'security_officer');

    const asRequester = words((await page(token.adminA, `/role-requests/${id}`).expect(200)).text);
    expect(asRequester).toContain('あなたが申請したため');
    expect(asRequester).toContain('申請を取り下げる');
    expect(asRequester).not.toContain('承認する');
    const refused = await post(token.adminA, `/role-requests/${id}/approve`).expect(403);
    expect(summary(refused.text)).toContain('この手続きはできません');
    expect(summary(refused.text)).toContain('自分が申請したもの、または自分についての申請は');
    expect(refused.text).toMatch(/<title>エラー：/);
    expect(await holds(person, 'security_officer')).toBe(false);

    const asCiso = words((await page(token.ciso, `/role-requests/${id}`).expect(200)).text);
    expect(asCiso).toContain('CISOの承認待ち');
    expect(asCiso).toContain('承認する');
    expect(asCiso).toContain('却下する');
    const work = words((await page(token.ciso, '/work').expect(200)).text);
    expect(work).toMatch(/あなたの判断を待つ権限変更の申請 \d+ 件/);

    const noReason = await post(token.ciso, `/role-requests/${id}/reject`, { reason: '  ' }).expect(400);
    expect(summary(noReason.text)).toContain('理由を500文字以内で入力してください');
    expect(noReason.text).toContain('aria-invalid="true"');

    const approved = await post(token.ciso, `/role-requests/${id}/approve`).expect(303);
    expect(approved.headers.location).toBe(`/role-requests/${id}`);
    expect(approved.headers['set-cookie']?.toString()).toContain('mamori_flash=notice.roleRequestApplied');
    expect(await holds(person, 'security_officer')).toBe(true);
    const after = words((await page(token.ciso, `/role-requests/${id}`).expect(200)).text);
    expect(after).toContain('反映済み');
    expect(after).toContain('役割に反映');
    const again = await post(token.ciso, `/role-requests/${id}/approve`).expect(409);
    expect(summary(again.text)).toContain('すでにこの手続きができる段階ではありません');
  });

  it('grants ciso: another administrator approves, the sitting CISO confirms; the list says what comes next', async () => {
    const person = await createPerson(t, org);
    const id = await requestFor(token.adminA, person, 'grant', 'ciso');
    let list = words((await page(token.adminB, '/role-requests').expect(200)).text);
    expect(list).toContain('他の管理者の承認待ち');
    expect(list).toContain('あなたの判断待ち');
    expect(words((await page(token.adminB, '/').expect(200)).text)).toContain('「最高情報セキュリティ責任者（CISO）」の付与（承認）'); // on the my page

    const approved = await post(token.adminB, `/role-requests/${id}/approve`).expect(303);
    expect(approved.headers['set-cookie']?.toString()).toContain('mamori_flash=notice.roleRequestApprovedToConfirm');
    list = words((await page(token.ciso, '/role-requests?status=awaiting_confirmation').expect(200)).text);
    expect(list).toContain('現CISOの確認待ち');
    expect(list).not.toContain('4月1日付'); // the list names the request; its reason is on its page
    expect(words((await page(token.ciso, `/role-requests/${id}`).expect(200)).text)).toContain('確認して反映する');

    await post(token.ciso, `/role-requests/${id}/confirm`).expect(303);
    expect(await holds(person, 'ciso')).toBe(true);
    const history = words((await page(token.adminA, `/role-requests/${id}`).expect(200)).text);
    for (const step of ['申請', '承認', '現CISOの確認', '役割に反映']) expect(history).toContain(step);
    const english = words((await page(token.adminA, `/role-requests/${id}?lang=en`).expect(200)).text);
    expect(english).toContain('Granting “Chief information security officer (CISO)” to');
    expect(english).toContain('Confirmed by the sitting CISO');
    expect(words((await page(token.ciso, '/role-requests?status=approved').expect(200)).text)).toContain('なし（反映済み）');
  });

  it('makes the first CISO of an organisation: the person finds the request on their my page and accepts it there', async () => {
    const town = await testOrganization(t, 'first-ciso-town');
    const [asker, approver, deputy] = [
      await createPerson(t, town, { roles: ['admin'] }),
      await createPerson(t, town, { roles: ['admin'] }),
      await createPerson(t, town),
    ];
    const [askerToken, approverToken, deputyToken] = [
      (await signIn(t, asker)).accessToken,
      (await signIn(t, approver)).accessToken,
      (await signIn(t, deputy)).accessToken,
    ];
    const id = await requestFor(askerToken, deputy, 'grant', 'ciso');
    expect(words((await page(deputyToken, `/role-requests/${id}`).expect(200)).text)).toContain('あなたについての申請のため');
    await post(approverToken, `/role-requests/${id}/approve`).expect(303);
    expect(words((await page(approverToken, `/role-requests/${id}`).expect(200)).text)).toContain('本人の承諾待ち');

    const myPage = (await page(deputyToken, '/').expect(200)).text;
    expect(myPage).toContain(`href="/role-requests/${id}"`);
    expect(words(myPage)).toContain('引き受けるかの回答');
    const shown = words((await page(deputyToken, `/role-requests/${id}`).expect(200)).text);
    expect(shown).toContain('CISOの役割を引き受ける');
    expect(shown).toContain('辞退する');
    const accepted = await post(deputyToken, `/role-requests/${id}/confirm`).expect(303);
    expect(accepted.headers['set-cookie']?.toString()).toContain('mamori_flash=notice.roleRequestAccepted');
    expect(await holds(deputy, 'ciso')).toBe(true);
    const history = words((await page(askerToken, `/role-requests/${id}`).expect(200)).text);
    expect(history).toContain('本人の承諾');
  });

  it('lets the requester withdraw, and shows a rejection with its reason', async () => {
    const person = await createPerson(t, org);
    const withdrawn = await requestFor(token.adminA, person, 'grant', 'auditor');
    await post(token.adminB, `/role-requests/${withdrawn}/withdraw`).expect(403);
    const res = await post(token.adminA, `/role-requests/${withdrawn}/withdraw`).expect(303);
    expect(res.headers['set-cookie']?.toString()).toContain('mamori_flash=notice.roleRequestWithdrawn');
    expect(words((await page(token.adminA, `/role-requests/${withdrawn}`).expect(200)).text)).toContain('取り下げ');

    const rejected = await requestFor(token.adminA, person, 'grant', 'auditor');
    await post(token.ciso, `/role-requests/${rejected}/reject`, { reason: '監査の予定がないため' }).expect(303);
    const shown = words((await page(token.adminA, `/role-requests/${rejected}`).expect(200)).text);
    expect(shown).toContain('却下');
    expect(shown).toContain('監査の予定がないため');
    expect(await holds(person, 'auditor')).toBe(false);
  });
});
