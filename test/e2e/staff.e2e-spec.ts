import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { STAFF_SEARCH_SQL } from '../../src/staff/staff-record.js';
import { createDepartment, createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { asOwner } from '../support/owner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('staff and departments', () => {
  let t: TestApp;
  let org: string;
  let admin: string;
  let staffToken: string;
  let managerToken: string;
  let somu: string;
  let zaisei: string;
  let managerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    zaisei = (await createDepartment(t, org, { code: 'ZAISEI', name: '財政課' })).id;
    admin = (await signIn(t, await createPerson(t, org, { roles: ['admin'] }))).accessToken;
    staffToken = (await signIn(t, await createPerson(t, org, { departmentId: somu }))).accessToken;
    const manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu });
    managerId = manager.staff.id;
    managerToken = (await signIn(t, manager)).accessToken;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const count = (entity: typeof Staff | typeof AuditTrailEntry) => t.dataSource.getRepository(entity).count();
  const newStaff = (overrides: object = {}) => ({
    employeeNumber: `N${Math.floor(Math.random() * 1e9)}`,
    familyName: '山田',
    givenName: '花子',
    familyNameKana: 'ヤマダ',
    givenNameKana: 'ハナコ',
    email: `hanako${Math.floor(Math.random() * 1e9)}@town.example`,
    departmentId: zaisei,
    roles: ['staff'],
    ...overrides,
  });

  it('lets an admin create a staff member: audit row and welcome e-mail in the outbox, same transaction', async () => {
    const body = newStaff();
    const created = await request(t.http).post('/api/v1/staff').set(as(admin)).send(body).expect(201);
    expect(created.body).toMatchObject({ employeeNumber: body.employeeNumber, status: 'active', roles: ['staff'] });
    const audit = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'staff.create', entityId: created.body.id });
    expect(audit.changes.email).toEqual({ after: body.email });
    const outbox = await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: `welcome:${created.body.id}` });
    // the new person has no password yet: the welcome carries the one-time link to set it (made when it is sent)
    expect(outbox).toMatchObject({ topic: 'auth.password_link', payload: { staffId: created.body.id, purpose: 'invitation' } });
    const [mail] = await mailsTo(t, body.email);
    expect(mail).toMatchObject({ to: body.email, text: expect.stringContaining('http://localhost:3000/password/set?token=') });
  });

  it('does not let an administrator change their own roles', async () => {
    const me = await request(t.http).get('/api/v1/me').set(as(admin)).expect(200);
    const response = await request(t.http)
      .patch(`/api/v1/staff/${me.body.id}`)
      .set(as(admin))
      .send({ roles: ['admin', 'ciso'] })
      .expect(403);
    expect(response.body).toMatchObject({ code: 'STAFF_OWN_ROLES', errors: [{ field: 'roles' }] });
    await request(t.http).patch(`/api/v1/staff/${me.body.id}`).set(as(admin)).send({ givenName: '次郎' }).expect(200);
  });

  it('refuses staff management to a member of staff with 403 problem+json, writing nothing', async () => {
    const before = await count(Staff);
    const response = await request(t.http).post('/api/v1/staff').set(as(staffToken)).send(newStaff()).expect(403);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ type: '/problems/forbidden', status: 403, code: 'FORBIDDEN', requiredRoles: ['admin'] });
    expect(await count(Staff)).toBe(before);
  });

  it('answers 400 naming every bad field and unknown field, and writes nothing', async () => {
    const [staffBefore, auditBefore] = [await count(Staff), await count(AuditTrailEntry)];
    const response = await request(t.http)
      .post('/api/v1/staff')
      .set(as(admin))
      .send(newStaff({ email: 'nope', roles: ['wizard'], familyNameKana: 'yamada', joinedOn: '2024-13-45', isAdmin: true }))
      .expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'familyNameKana', 'isAdmin', 'joinedOn', 'roles']);
    expect(await count(Staff)).toBe(staffBefore);
    expect(await count(AuditTrailEntry)).toBe(auditBefore);
  });

  it('answers null for a required field with 400 naming it, never a 500, and writes nothing', async () => {
    const created = await request(t.http).post('/api/v1/staff').set(as(admin)).send(newStaff()).expect(201);
    const auditBefore = await count(AuditTrailEntry);
    const staffNull = await request(t.http).patch(`/api/v1/staff/${created.body.id}`).set(as(admin)).send({ familyName: null }).expect(400);
    expect(staffNull.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'familyName' }] });
    const departmentNull = await request(t.http).patch(`/api/v1/departments/${zaisei}`).set(as(admin)).send({ name: null }).expect(400);
    expect(departmentNull.body.errors).toEqual([{ field: 'name', messages: ['must not be null'] }]);
    expect(await count(AuditTrailEntry)).toBe(auditBefore);
  });

  it('refuses a second person with the same e-mail (409) and a department that does not exist (404)', async () => {
    const body = newStaff();
    await request(t.http).post('/api/v1/staff').set(as(admin)).send(body).expect(201);
    const duplicate = await request(t.http)
      .post('/api/v1/staff')
      .set(as(admin))
      .send(newStaff({ email: body.email.toUpperCase() }))
      .expect(409);
    expect(duplicate.body).toMatchObject({ code: 'STAFF_EMAIL_TAKEN', errors: [{ field: 'email' }] });
    const missing = await request(t.http)
      .post('/api/v1/staff')
      .set(as(admin))
      .send(newStaff({ departmentId: '00000000-0000-4000-8000-000000000000' }))
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'DEPARTMENT_NOT_FOUND', errors: [{ field: 'departmentId' }] });
  });

  it('lists with pagination and filters; a manager sees only their department', async () => {
    const all = await request(t.http).get('/api/v1/staff?pageSize=2&page=1').set(as(admin)).expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThan(3);
    const zaiseiOnly = await request(t.http).get(`/api/v1/staff?departmentId=${zaisei}`).set(as(admin)).expect(200);
    expect(zaiseiOnly.body.items.every((s: Staff) => s.departmentId === zaisei)).toBe(true);
    const managers = await request(t.http).get('/api/v1/staff?role=manager').set(as(admin)).expect(200);
    expect(managers.body.items.map((s: Staff) => s.id)).toEqual([managerId]);
    const mine = await request(t.http).get('/api/v1/staff').set(as(managerToken)).expect(200);
    expect(mine.body.total).toBe(2);
    expect(mine.body.items.every((s: Staff) => s.departmentId === somu)).toBe(true);
    await request(t.http).get('/api/v1/staff').set(as(staffToken)).expect(403);
    await request(t.http).get('/api/v1/staff?pageSize=1000').set(as(admin)).expect(400);
  });

  it('manages departments: unique code, no cycles, no deleting one in use', async () => {
    const parent = await request(t.http).post('/api/v1/departments').set(as(admin)).send({ code: 'KIKAKU', name: '企画課' }).expect(201);
    const child = await request(t.http)
      .post('/api/v1/departments')
      .set(as(admin))
      .send({ code: 'JOHO', name: '情報政策室', parentId: parent.body.id })
      .expect(201);
    await request(t.http).post('/api/v1/departments').set(as(admin)).send({ code: 'KIKAKU', name: 'again' }).expect(409);
    const cycle = await request(t.http).patch(`/api/v1/departments/${parent.body.id}`).set(as(admin)).send({ parentId: child.body.id }).expect(400);
    expect(cycle.body.code).toBe('DEPARTMENT_CYCLE');
    const inUse = await request(t.http).delete(`/api/v1/departments/${parent.body.id}`).set(as(admin)).expect(409);
    expect(inUse.body.code).toBe('DEPARTMENT_IN_USE');
    await request(t.http).delete(`/api/v1/departments/${child.body.id}`).set(as(admin)).expect(204);
    const list = await request(t.http).get('/api/v1/departments?q=企画').set(as(staffToken)).expect(200);
    expect(list.body.items.map((d: { code: string }) => d.code)).toEqual(['KIKAKU']);
  });

  describe('employment type', () => {
    it('is regular unless given, changes, filters the list, and refuses an unknown type naming the field', async () => {
      const regular = await request(t.http).post('/api/v1/staff').set(as(admin)).send(newStaff()).expect(201);
      expect(regular.body.employmentType).toBe('regular');
      const appointed = await request(t.http)
        .post('/api/v1/staff')
        .set(as(admin))
        .send(newStaff({ employmentType: 'fiscal_year_appointed' }))
        .expect(201);
      expect(appointed.body.employmentType).toBe('fiscal_year_appointed');
      const changed = await request(t.http).patch(`/api/v1/staff/${regular.body.id}`).set(as(admin)).send({ employmentType: 'contractor' }).expect(200);
      expect(changed.body.employmentType).toBe('contractor');
      const audit = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'staff.update', entityId: regular.body.id });
      expect(audit.changes.employmentType).toEqual({ before: 'regular', after: 'contractor' });

      const contractors = await request(t.http).get('/api/v1/staff?employmentType=contractor').set(as(admin)).expect(200);
      expect(contractors.body.items.map((s: Staff) => s.id)).toEqual([regular.body.id]);
      const appointees = await request(t.http).get('/api/v1/staff?employmentType=fiscal_year_appointed').set(as(admin)).expect(200);
      expect(appointees.body.items.map((s: Staff) => s.id)).toEqual([appointed.body.id]);

      const bad = await request(t.http)
        .post('/api/v1/staff')
        .set(as(admin))
        .send(newStaff({ employmentType: 'volunteer' }))
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'employmentType' }] });
      const badFilter = await request(t.http).get('/api/v1/staff?employmentType=volunteer').set(as(admin)).expect(400);
      expect(badFilter.body.errors).toEqual([{ field: 'employmentType', messages: expect.any(Array) }]);
      // the database refuses an unknown type too
      await expect(asOwner(t, (client) => client.query(`UPDATE staff SET employment_type = 'volunteer' WHERE id = $1`, [regular.body.id]))).rejects.toThrow(
        /ck_staff_employment_type/,
      );
    });
  });

  describe('name search', () => {
    const people: Record<string, string> = {};
    const search = async (q: string): Promise<string[]> => {
      const response = await request(t.http).get('/api/v1/staff').query({ q, pageSize: 100 }).set(as(admin)).expect(200);
      const wanted = new Set(Object.values(people));
      return (response.body.items as Staff[]).filter((s) => wanted.has(s.id)).map((s) => Object.keys(people).find((k) => people[k] === s.id)!);
    };

    beforeAll(async () => {
      const add = async (key: string, fields: object) => {
        people[key] = (await request(t.http).post('/api/v1/staff').set(as(admin)).send(newStaff(fields)).expect(201)).body.id;
      };
      await add('katakana', {
        familyName: '蓮沼',
        givenName: '一葉',
        familyNameKana: 'ハスヌマ',
        givenNameKana: 'カズハ',
        employeeNumber: 'S-9001',
        email: 'hasunuma.k@town.example',
      });
      await add('hiragana', { familyName: '蓬田', givenName: ' 千 尋 ', familyNameKana: 'よもぎた', givenNameKana: 'ちひろ', email: 'yomogita@town.example' });
      await add('spaced', { familyName: '檜垣', givenName: '真央', familyNameKana: 'ヒガキ　', givenNameKana: 'マ オ', email: 'higaki@town.example' });
      await add('percent', { familyName: '百%', givenName: '太郎', familyNameKana: null, givenNameKana: null, email: 'hyaku_percent@town.example' });
    });

    it('finds kana in either script', async () => {
      expect(await search('はすぬま')).toEqual(['katakana']);
      expect(await search('ヨモギタ')).toEqual(['hiragana']);
      expect(await search('ﾊｽﾇﾏ')).toEqual(['katakana']);
      expect(await search('ひがきまお')).toEqual(['spaced']);
    });

    it('ignores half- and full-width spaces in the search and in the names', async () => {
      expect(await search('ハスヌマ　カズハ')).toEqual(['katakana']);
      expect(await search('はすぬま かずは')).toEqual(['katakana']);
      expect(await search('蓬田千尋')).toEqual(['hiragana']);
      expect(await search('蓬田 千尋')).toEqual(['hiragana']);
      expect(await search('ヒガキマオ')).toEqual(['spaced']);
      expect(await search('檜垣　真央')).toEqual(['spaced']);
    });

    it('still finds the name, e-mail address and employee number, and takes % and _ literally', async () => {
      expect(await search('一葉')).toEqual(['katakana']);
      expect(await search('HASUNUMA.K@')).toEqual(['katakana']);
      expect(await search('s-9001')).toEqual(['katakana']);
      expect(await search('百%')).toEqual(['percent']);
      expect(await search('％')).toEqual(['percent']);
      expect(await search('hyaku_p')).toEqual(['percent']);
      expect(await search('hyaku%p')).toEqual([]);
      // no match spans two of the fields (the name's end and the kana's start)
      expect(await search('一葉ハスヌマ')).toEqual([]);
    });

    it('follows a change of name, and keeps the key out of reach of the app', async () => {
      await request(t.http).patch(`/api/v1/staff/${people.percent}`).set(as(admin)).send({ familyNameKana: 'ももせ' }).expect(200);
      expect(await search('モモセ')).toEqual(['percent']);
      await t.dataSource.query(`UPDATE staff SET search_key = 'zzz' WHERE id = $1`, [people.percent]);
      expect(await search('zzz')).toEqual([]);
      expect(await search('ももせ')).toEqual(['percent']);
      const response = await request(t.http).get(`/api/v1/staff/${people.percent}`).set(as(admin)).expect(200);
      expect(response.body).not.toHaveProperty('searchKey');
    });

    it('answers a search from the trigram index', async () => {
      const plan = await asOwner(t, async (client) => {
        await client.query('SET LOCAL enable_seqscan = off');
        const rows = await client.query(`EXPLAIN SELECT id FROM staff s WHERE ${STAFF_SEARCH_SQL.replace('?', '$1')}`, ['はすぬま']);
        return rows.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('ix_staff_search_key');
    });
  });

  describe('CSV import', () => {
    const header = '職員番号,氏,名,氏カナ,名カナ,メールアドレス,所属コード,役割,在職状況,採用日,退職日';
    const upload = (csv: string | Buffer, query = '', filename = 'staff.csv', contentType = 'text/csv') =>
      request(t.http)
        .post(`/api/v1/staff/import${query}`)
        .set(as(admin))
        .attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), { filename, contentType });

    it('imports a UTF-8 file with BOM: creates new people, updates known ones, audits each', async () => {
      const csv = `\uFEFF${header}\r\n70001,佐藤,一郎,サトウ,イチロウ,ichiro@town.example,SOMU,staff,在職,2010/04/01,\r\n70002,鈴木,二郎,スズキ,ジロウ,jiro@town.example,ZAISEI,manager;staff,休職,2015-04-01,\r\n`;
      const response = await upload(csv).expect(200);
      expect(response.body).toEqual({ dryRun: false, rows: 2, created: 2, updated: 0, unchanged: 0 });
      const jiro = await t.dataSource.getRepository(Staff).findOneByOrFail({ employeeNumber: '70002' });
      expect(jiro).toMatchObject({ status: 'on_leave', roles: ['manager', 'staff'], joinedOn: '2015-04-01', departmentId: zaisei });
      const again = await upload(csv.replace('休職', '在職')).expect(200);
      expect(again.body).toEqual({ dryRun: false, rows: 2, created: 0, updated: 1, unchanged: 1 });
      expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'staff.update', entityId: jiro.id })).toBe(1);
    });

    it('reports every bad row by line number and imports nothing', async () => {
      const [staffBefore, auditBefore] = [await count(Staff), await count(AuditTrailEntry)];
      const csv = [
        header,
        '71001,高橋,三郎,タカハシ,サブロウ,saburo@town.example,SOMU,staff,在職,,',
        '71002,田中,,タナカ,シロウ,not-an-email,NOPE,staff,在職,,',
        '71003,伊藤,五郎,イトウ,ゴロウ,goro@town.example,SOMU,staff,退役,,',
        '71001,渡辺,六郎,ワタナベ,ロクロウ,rokuro@town.example,SOMU,staff,在職,,',
      ].join('\n');
      const response = await upload(csv).expect(422);
      expect(response.body.code).toBe('STAFF_IMPORT_INVALID');
      const byLine = (response.body.errors as { line: number; field: string }[]).map((e) => `${e.line}:${e.field}`);
      expect(byLine).toEqual(expect.arrayContaining(['3:departmentCode', '3:givenName', '3:email', '4:status', '5:employeeNumber']));
      expect(byLine.some((l) => l.startsWith('2:'))).toBe(false);
      expect(await count(Staff)).toBe(staffBefore);
      expect(await count(AuditTrailEntry)).toBe(auditBefore);
    });

    it('checks without writing on dryRun', async () => {
      const before = await count(Staff);
      const response = await upload(`${header}\n72001,中村,七子,ナカムラ,ナナコ,nanako@town.example,SOMU,staff,在職,,`, '?dryRun=true').expect(200);
      expect(response.body).toMatchObject({ dryRun: true, created: 1 });
      expect(await count(Staff)).toBe(before);
    });

    it('refuses a file that is not UTF-8 text, a wrong header, and a missing file', async () => {
      const shiftJis = Buffer.from([0x90, 0x45, 0x88, 0xf5, 0x94, 0xd4, 0x8d, 0x86, 0x0a]);
      const sjis = await upload(shiftJis).expect(415);
      expect(sjis.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: [{ field: 'file' }] });
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      await upload(png, '', 'photo.png', 'image/png').expect(415);
      const header2 = await upload('id,name\n1,x\n').expect(422);
      expect((header2.body.errors as { field: string }[]).map((e) => e.field)).toEqual(expect.arrayContaining(['id', 'name', 'employeeNumber', 'email']));
      const missing = await request(t.http).post('/api/v1/staff/import').set(as(admin)).expect(400);
      expect(missing.body.errors).toEqual([{ field: 'file', messages: expect.any(Array) }]);
    });
  });
});
