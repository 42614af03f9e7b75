import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { StaffImportUpload } from '../../src/staff/staff-import-upload.entity.js';
import { StaffImportUploadsService } from '../../src/staff/staff-import-uploads.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** /staff/import: upload, preview (every bad line in words, or the counts), confirmation by the uploader only. */
describe('staff import pages', () => {
  let t: TestApp;
  let org: string;
  let admin: string;
  let adminId: string;
  let otherAdmin: string;
  let staffToken: string;

  const HEADER = '職員番号,氏,名,メールアドレス,所属コード,在職状況';
  const CSRF = randomBytes(32).toString('base64url');
  const cookies = (token: string) => `mamori_at=${token}; mamori_csrf=${CSRF}`;
  const get = (path: string, token = admin) => request(t.http).get(path).set('Accept', 'text/html').set('Cookie', cookies(token));
  const post = (path: string, token = admin) =>
    request(t.http).post(path).set('Accept', 'text/html').set('Cookie', cookies(token)).type('form').send({ _csrf: CSRF });
  const upload = (content: string | Buffer, filename = 'staff.csv', contentType = 'text/csv', token = admin) =>
    request(t.http)
      .post('/staff/import')
      .set('Accept', 'text/html')
      .set('Cookie', cookies(token))
      .field('_csrf', CSRF)
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), { filename, contentType });
  const uploads = () => t.dataSource.getRepository(StaffImportUpload).countBy({ organizationId: org });
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/[ \t\r\n]+/g, ' '); // not the ideographic space after 「12行目」

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const person = await createPerson(t, org, { roles: ['admin'] });
    adminId = person.staff.id;
    admin = (await signIn(t, person)).accessToken;
    otherAdmin = (await signIn(t, await createPerson(t, org, { roles: ['admin'] }))).accessToken;
    staffToken = (await signIn(t, await createPerson(t, org))).accessToken;
  });
  afterAll(() => t.close());

  it('shows the upload form to an administrator only', async () => {
    const page = await get('/staff/import').expect(200);
    expect(page.text).toContain('職員の一括取り込み');
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(text(page.text)).toContain('20 MB');
    await get('/staff/import', staffToken).expect(403);
  });

  it('lists every bad line by line and column in Japanese, keeps nothing and imports nothing', async () => {
    const [staffBefore, uploadsBefore] = [await t.dataSource.getRepository(Staff).countBy({ organizationId: org }), await uploads()];
    const page = await upload(
      [
        HEADER,
        'P1,佐藤,一郎,p1@town.example,SOMU,在職',
        'P2,佐藤,二郎,not-an-address,NOPE,在職',
        'P3,佐藤,,p3@town.example,SOMU,休み',
        'P1,佐藤,四郎,p4@town.example,SOMU,在職',
      ].join('\n'),
    ).expect(422);
    const body = text(page.text);
    expect(page.text).toContain('role="alert"');
    expect(body).toContain('ファイルに誤りのある行が 3 行あります。何も取り込んでいません。');
    expect(body).toContain('3行目　メールアドレス：メールアドレスの形になっていません。');
    expect(body).toContain('3行目　所属コード：所属コード「NOPE」の部署はありません。');
    expect(body).toContain('4行目　名：入力されていません。');
    expect(body).toContain('4行目　在職状況：「休み」は在職・休職・退職のどれでもありません。');
    expect(body).toContain('5行目　職員番号：2行目と同じです。');
    expect(page.text).toContain('href="#import-issues"');
    expect(await t.dataSource.getRepository(Staff).countBy({ organizationId: org })).toBe(staffBefore);
    expect(await uploads()).toBe(uploadsBefore);

    // in English too
    const english = await request(t.http)
      .post('/staff/import?lang=en')
      .set('Accept', 'text/html')
      .set('Cookie', `${cookies(admin)}; mamori_locale=en`)
      .field('_csrf', CSRF)
      .attach('file', Buffer.from([HEADER, 'P2,佐藤,二郎,not-an-address,SOMU,在職'].join('\n')), { filename: 'staff.csv', contentType: 'text/csv' })
      .expect(422);
    expect(text(english.text)).toContain('Line 2 — E-mail address: This is not an e-mail address.');
  });

  it('refuses a file that is not a UTF-8 CSV, too large, empty or without its header, beside the file input', async () => {
    const refusals: [string | Buffer, string, string, number, string][] = [
      [Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'photo.png', 'image/png', 415, 'CSV ファイル（拡張子が .csv のファイル）を選んでください。'],
      [Buffer.from([0x90, 0x45, 0x88, 0xf5, 0x0a]), 'staff.csv', 'text/csv', 415, '文字コードが UTF-8 ではありません。'],
      [Buffer.alloc(20 * 1024 * 1024 + 1, 0x41), 'staff.csv', 'text/csv', 413, 'ファイルが大きすぎます。20 MBまでのファイルを選んでください。'],
      ['', 'staff.csv', 'text/csv', 422, 'ファイルが空です。'],
      ['1,2,3\n', 'staff.csv', 'text/csv', 422, '1行目　見出し：「1」という列は取り込めません。'],
    ];
    for (const [content, filename, type, status, message] of refusals) {
      const page = await upload(content, filename, type).expect(status);
      expect(text(page.text)).toContain(message);
      expect(page.text).toMatch(/<title>エラー：/);
    }
    const none = await request(t.http).post('/staff/import').set('Accept', 'text/html').set('Cookie', cookies(admin)).field('_csrf', CSRF).expect(400);
    expect(none.text).toContain('id="file-error"');
    expect(text(none.text)).toContain('ファイルを選んでください。');
    // a forged form (no CSRF token) is refused before anything is read
    await request(t.http)
      .post('/staff/import')
      .set('Accept', 'text/html')
      .set('Cookie', cookies(admin))
      .attach('file', Buffer.from(HEADER), { filename: 'staff.csv', contentType: 'text/csv' })
      .expect(403);
  });

  it('previews a good file, lets only its uploader import it, once, and removes its bytes', async () => {
    const known = await createPerson(t, org);
    const csv = [
      HEADER,
      'Q1,鈴木,一郎,q1@town.example,SOMU,在職',
      'Q2,鈴木,二郎,q2@town.example,,在職',
      `${known.staff.employeeNumber},試験,太郎,${known.email},SOMU,在職`,
    ].join('\n');
    const uploaded = await upload(`\uFEFF${csv}`, '職員一覧.csv').expect(303);
    const location = uploaded.headers.location as string;
    expect(location).toMatch(/^\/staff\/import\/[0-9a-f-]{36}$/);
    const id = location.split('/').pop()!;

    const preview = await get(location).expect(200);
    const shown = text(preview.text);
    expect(shown).toContain('取り込みの確認');
    expect(shown).toContain('職員一覧.csv');
    expect(shown).toMatch(/追加される職員 2 人/);
    expect(shown).toMatch(/内容が変わる職員 1 人/);
    expect(shown).toMatch(/変わらない職員 0 人/);
    expect(preview.text).toContain('取り込む</button>');
    expect(await t.dataSource.getRepository(Staff).existsBy({ employeeNumber: 'Q1' })).toBe(false);

    // someone else's upload is not there for them
    await get(location, otherAdmin).expect(404);
    await post(location, otherAdmin).expect(404);
    expect(await t.dataSource.getRepository(Staff).existsBy({ employeeNumber: 'Q1' })).toBe(false);

    const done = await post(location).expect(303);
    expect(done.headers.location).toBe(location);
    const result = await request(t.http)
      .get(location)
      .set('Accept', 'text/html')
      .set('Cookie', `${cookies(admin)}; ${done.headers['set-cookie']![0]!.split(';')[0]}`)
      .expect(200);
    expect(text(result.text)).toContain('職員の取り込みが終わりました。');
    expect(text(result.text)).toMatch(/追加した職員 2 人/);
    expect(await t.dataSource.getRepository(Staff).findOneByOrFail({ employeeNumber: 'Q1' })).toMatchObject({ familyName: '鈴木', email: 'q1@town.example' });
    const stored = await t.dataSource
      .getRepository(StaffImportUpload)
      .createQueryBuilder('u')
      .addSelect('u.content')
      .where('u.id = :id', { id })
      .getOneOrFail();
    expect(stored).toMatchObject({ content: null, created: 2, updated: 1, uploadedById: adminId });
    expect(stored.usedAt).not.toBeNull();

    // audited: the upload, the import (naming the file), its use
    const entries = await t.dataSource.getRepository(AuditTrailEntry).findBy({ organizationId: org, entityId: id });
    expect(entries.map((e) => e.action).sort()).toEqual(['staff_import_upload.create', 'staff_import_upload.use']);
    const imported = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ organizationId: org, action: 'staff.import' });
    expect(imported.changes['@context']!.after).toMatchObject({ uploadId: id, fileName: '職員一覧.csv', sha256: stored.sha256, created: 2, updated: 1 });

    // a second confirmation imports nothing more
    const again = await post(location).expect(409);
    expect(text(again.text)).toContain('このファイルはすでに取り込みました。');
  });

  it('refuses an expired upload (preview and confirmation) and removes it on schedule', async () => {
    const uploaded = await upload([HEADER, 'R1,高橋,一郎,r1@town.example,SOMU,在職'].join('\n')).expect(303);
    const location = uploaded.headers.location as string;
    const id = location.split('/').pop()!;
    await t.dataSource.getRepository(StaffImportUpload).update({ id }, { expiresAt: new Date(Date.now() - 1000) });
    const page = await get(location).expect(410);
    expect(text(page.text)).toContain('確認画面の有効期限が過ぎました。もう一度ファイルを選んでください。');
    await post(location).expect(410);
    expect(await t.dataSource.getRepository(Staff).existsBy({ employeeNumber: 'R1' })).toBe(false);

    expect((await t.get(StaffImportUploadsService).purgeExpired()).removed).toBeGreaterThanOrEqual(1);
    expect(await t.dataSource.getRepository(StaffImportUpload).existsBy({ id })).toBe(false);
    await get(location).expect(404);
  });

  it('keeps one waiting file per person: a new upload replaces the earlier one', async () => {
    const first = (await upload([HEADER, 'S1,田中,一郎,s1@town.example,SOMU,在職'].join('\n')).expect(303)).headers.location as string;
    const second = (await upload([HEADER, 'S2,田中,二郎,s2@town.example,SOMU,在職'].join('\n')).expect(303)).headers.location as string;
    await get(first).expect(404);
    await get(second).expect(200);
  });
});
