import request from 'supertest';
import { randomToken } from '../../src/common/secrets.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The staff pages over HTTP: who may open which page, and what each form does and refuses. */
describe('staff pages', () => {
  let t: TestApp;
  let org: string;
  let somu: string;
  let zaisei: string;
  let admin: TestPerson;
  let adminToken: string;
  let staffToken: string;
  let managerToken: string;
  let colleague: TestPerson;
  let outsider: TestPerson;

  /** the double-submit CSRF token every form of a page carries */
  const csrf = randomToken(32);

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    zaisei = (await createDepartment(t, org, { code: 'ZAISEI', name: '財政課' })).id;
    admin = await createPerson(t, org, { roles: ['admin'], departmentId: somu });
    adminToken = (await signIn(t, admin)).accessToken;
    staffToken = (await signIn(t, await createPerson(t, org, { departmentId: somu }))).accessToken;
    managerToken = (await signIn(t, await createPerson(t, org, { roles: ['manager'], departmentId: somu }))).accessToken;
    colleague = await createPerson(t, org, { departmentId: somu });
    outsider = await createPerson(t, org, { departmentId: zaisei });
  });
  afterAll(() => t.close());

  /** a page asked for by a browser signed in with this access token */
  const page = (token: string) => ({ Accept: 'text/html', Cookie: `mamori_at=${token}; mamori_csrf=${csrf}` });
  const get = (token: string, path: string) => request(t.http).get(path).set(page(token));
  const post = (token: string, path: string, body: Record<string, string | string[]> = {}) =>
    request(t.http)
      .post(path)
      .set(page(token))
      .type('form')
      .send({ _csrf: csrf, ...body });
  const form = (overrides: Record<string, string | string[]> = {}) => ({
    employeeNumber: `W${Math.floor(Math.random() * 1e9)}`,
    familyName: '青柳',
    givenName: '凛',
    familyNameKana: 'あおやぎ',
    givenNameKana: 'リン',
    email: `rin${Math.floor(Math.random() * 1e9)}@town.example`,
    departmentId: zaisei,
    employmentType: 'fiscal_year_appointed',
    status: 'active',
    joinedOn: '2026-04-01',
    rolesShown: '1',
    ...overrides,
  });
  /** the error summary's messages */
  const summary = (html: string): string => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  const staffRow = (id: string) => t.dataSource.getRepository(Staff).findOneByOrFail({ id });

  it('refuses the administrator pages to a member of staff (403), and the list too', async () => {
    for (const path of ['/staff', '/staff/new', `/staff/${colleague.staff.id}`, `/staff/${colleague.staff.id}/retire`]) {
      await get(staffToken, path).expect(403);
    }
    await post(staffToken, '/staff/new', form()).expect(403);
    await post(staffToken, `/staff/${colleague.staff.id}`, form()).expect(403);
    await post(staffToken, `/staff/${colleague.staff.id}/invitation`).expect(403);
    await post(staffToken, `/staff/${colleague.staff.id}/retire`).expect(403);
    expect((await staffRow(colleague.staff.id)).status).toBe('active');
  });

  it("lets a manager list and open their department's people, read-only, and nothing more", async () => {
    const list = await get(managerToken, '/staff').expect(200);
    expect(list.text).toContain(`href="/staff/${colleague.staff.id}"`);
    expect(list.text).not.toContain(`href="/staff/${outsider.staff.id}"`);
    expect(list.text).not.toContain('href="/staff/new"');
    const person = await get(managerToken, `/staff/${colleague.staff.id}`).expect(200);
    expect(person.text).not.toContain('<form method="post" action="/staff/');
    expect(person.text).not.toContain('招待メールを送り直す');
    await get(managerToken, `/staff/${outsider.staff.id}`).expect(404);
    await get(managerToken, '/staff/new').expect(403);
    await get(managerToken, `/staff/${colleague.staff.id}/retire`).expect(403);
    await post(managerToken, `/staff/${colleague.staff.id}`, form()).expect(403);
  });

  it('filters the list by department, employment type, status and role, and keeps the filter in the pages', async () => {
    const filtered = await get(adminToken, `/staff?departmentId=${zaisei}&employmentType=regular&status=active&role=staff`).expect(200);
    expect(filtered.text).toContain(`href="/staff/${outsider.staff.id}"`);
    expect(filtered.text).not.toContain(`href="/staff/${colleague.staff.id}"`);
    expect(filtered.text).toMatch(new RegExp(`<option value="${zaisei}" selected>`));
    await get(adminToken, '/staff?employmentType=volunteer').expect(400);
  });

  it('adds a person from /staff/new: the invitation goes out, and the person page shows them', async () => {
    const sent = form({ roles: 'manager' });
    const created = await post(adminToken, '/staff/new', sent).expect(303);
    const id = /^\/staff\/([0-9a-f-]{36})$/.exec(created.headers.location)?.[1];
    expect(id).toBeDefined();
    expect(await staffRow(id!)).toMatchObject({
      familyNameKana: 'あおやぎ',
      employmentType: 'fiscal_year_appointed',
      departmentId: zaisei,
      roles: ['staff', 'manager'],
      joinedOn: '2026-04-01',
    });
    const invitation = await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: `welcome:${id}` });
    expect(invitation).toMatchObject({ topic: 'auth.password_link', payload: { staffId: id, purpose: 'invitation' } });

    const shown = await get(adminToken, `/staff/${id}`).set('Cookie', `mamori_at=${adminToken}; mamori_flash=notice.staffCreatedInvited`).expect(200);
    expect(shown.text).toContain('招待メールを送りました');
    expect(shown.text).toContain('会計年度任用職員');
    expect(shown.text).toContain('未設定');
    expect(shown.text).toContain(`href="/role-requests/new?staffId=${id}"`);

    // every text of the pages in English too (a key without its message would show as the key)
    for (const path of ['/staff', '/staff/new', `/staff/${id}`, `/staff/${id}/retire`]) {
      const english = await get(adminToken, `${path}?lang=en`).expect(200);
      expect(english.text).not.toMatch(/(staff\w*|employmentType|role)\.[a-zA-Z_.]+/);
    }
    expect((await get(adminToken, `/staff/${id}?lang=en`)).text).toContain('Fiscal-year appointed staff');
  });

  it('shows a refused form again with the summary and the message by the field, writing nothing', async () => {
    const before = await t.dataSource.getRepository(Staff).countBy({ familyName: '青柳' });
    const taken = await post(adminToken, '/staff/new', form({ email: colleague.email })).expect(409);
    expect(summary(taken.text)).toContain('href="#email"');
    expect(summary(taken.text)).toContain('このメールアドレスはすでにほかの職員が使っています');
    expect(taken.text).toContain('id="email-error"');
    expect(taken.text).toMatch(/<title>エラー：/);
    expect(taken.text).toContain('value="青柳"');

    const invalid = await post(adminToken, '/staff/new', form({ employeeNumber: '', familyNameKana: 'aoyagi', joinedOn: '2026-02-30' })).expect(400);
    for (const field of ['employeeNumber', 'familyNameKana', 'joinedOn']) expect(summary(invalid.text)).toContain(`href="#${field}"`);
    expect(invalid.text).toContain('姓（フリガナ）: カタカナかひらがなで');

    // the page sets no privileged role, whatever is sent
    const privileged = await post(adminToken, '/staff/new', form({ roles: ['manager', 'admin'] })).expect(400);
    expect(summary(privileged.text)).toContain('href="#roles"');
    expect(await t.dataSource.getRepository(Staff).countBy({ familyName: '青柳' })).toBe(before);
  });

  it("changes a person's details and role, keeping their privileged roles", async () => {
    const auditor = await createPerson(t, org, { roles: ['auditor'], departmentId: zaisei });
    await post(adminToken, `/staff/${auditor.staff.id}`, form({ email: auditor.email, roles: 'manager', employmentType: 'contractor' })).expect(303);
    expect(await staffRow(auditor.staff.id)).toMatchObject({ familyName: '青柳', employmentType: 'contractor', roles: ['staff', 'manager', 'auditor'] });
    // without the roles on the form (one's own page), the roles stay as they are
    const { rolesShown: _omitted, ...withoutRoles } = form({ email: auditor.email, familyName: '青木' });
    await post(adminToken, `/staff/${auditor.staff.id}`, withoutRoles).expect(303);
    expect(await staffRow(auditor.staff.id)).toMatchObject({ familyName: '青木', roles: ['staff', 'manager', 'auditor'] });
  });

  it("refuses a privileged person's new e-mail address as a form error", async () => {
    const auditor = await createPerson(t, org, { roles: ['auditor'] });
    const refused = await post(adminToken, `/staff/${auditor.staff.id}`, form({ email: 'someone.else@town.example' })).expect(409);
    expect(summary(refused.text)).toContain('href="#email"');
    expect(summary(refused.text)).toContain('承認が必要な役割を持つ人や、役割の申請中の人のメールアドレスは変更できません');
    expect(refused.text).toContain('value="someone.else@town.example"');
    expect((await staffRow(auditor.staff.id)).email).toBe(auditor.email);
  });

  it("shows one's own roles read-only, and refuses a change of them sent anyway (STAFF_OWN_ROLES)", async () => {
    const own = await get(adminToken, `/staff/${admin.staff.id}`).expect(200);
    expect(own.text).toContain('自分の役割は変更できません');
    expect(own.text).not.toContain('id="roles-manager"');
    expect(own.text).not.toContain(`/staff/${admin.staff.id}/retire`);
    const refused = await post(adminToken, `/staff/${admin.staff.id}`, form({ email: admin.email, roles: 'manager' })).expect(403);
    expect(summary(refused.text)).toContain('href="#roles"');
    expect(summary(refused.text)).toContain('自分の役割は変更できません');
    expect((await staffRow(admin.staff.id)).roles).toEqual(['admin', 'staff']);
  });

  it('sends a new invitation, and retires someone through the confirmation step, ending their sessions', async () => {
    const leaving = await createPerson(t, org, { departmentId: somu });
    const leavingToken = (await signIn(t, leaving)).accessToken;
    await post(adminToken, `/staff/${leaving.staff.id}/invitation`).expect(303);
    const [{ count }] = (await t.dataSource.query(`SELECT count(*)::int AS count FROM outbox_messages WHERE topic = $1 AND payload->>'staffId' = $2`, [
      'auth.password_link',
      leaving.staff.id,
    ])) as { count: number }[];
    expect(count).toBe(1);

    const confirm = await get(adminToken, `/staff/${leaving.staff.id}/retire`).expect(200);
    expect(confirm.text).toContain('さんを退職にしますか');
    expect(confirm.text).toContain('ログイン中のセッションはすべて終了し');
    const badDate = await post(adminToken, `/staff/${leaving.staff.id}/retire`, { leftOn: '2027-02-30' }).expect(400);
    expect(summary(badDate.text)).toContain('href="#leftOn"');
    expect((await staffRow(leaving.staff.id)).status).toBe('active');

    const retired = await post(adminToken, `/staff/${leaving.staff.id}/retire`, { leftOn: '2027-03-31' }).expect(303);
    expect(retired.headers.location).toBe(`/staff/${leaving.staff.id}`);
    expect(await staffRow(leaving.staff.id)).toMatchObject({ status: 'retired', leftOn: '2027-03-31' });
    await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${leavingToken}`).expect(401);

    const after = await get(adminToken, `/staff/${leaving.staff.id}`).expect(200);
    expect(after.text).not.toContain('招待メールを送り直す');
    const refused = await post(adminToken, `/staff/${leaving.staff.id}/invitation`).expect(409);
    expect(summary(refused.text)).toContain('退職した人には招待メールを送れません');
  });

  it('brings someone back from retirement on their page, without the privileged roles they held', async () => {
    const returning = await createPerson(t, org, { roles: ['csirt'] });
    await post(adminToken, `/staff/${returning.staff.id}/retire`).expect(303);
    const page = await get(adminToken, `/staff/${returning.staff.id}`).expect(200);
    expect(page.text).toContain('<option value="retired" selected>');
    await post(adminToken, `/staff/${returning.staff.id}`, form({ email: returning.email, status: 'active' })).expect(303);
    expect(await staffRow(returning.staff.id)).toMatchObject({ status: 'active', roles: ['staff'] });
  });
});
