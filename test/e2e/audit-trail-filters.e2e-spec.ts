import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuditTrailWords } from '../../src/audit-trail/audit-trail-words.service.js';
import { AuditTrailWriter } from '../../src/audit-trail/audit-trail.writer.js';
import { systemActor } from '../../src/common/actor.js';
import { createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Reads a response body as bytes (supertest buffers text/csv as text otherwise, dropping nothing but hiding the BOM check). */
const asBuffer = (res: request.Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('audit trail: filters in words, CSV export', () => {
  let t: TestApp;
  let org: string;
  let officer: string;
  let auditor: string;
  let staff: string;
  let hanako: TestPerson;
  let hanakoToken: string;
  let kaikei: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = (token: string, query: string) => request(t.http).get(`/api/v1/audit-trail?${query}`).set(as(token));

  /** A row of the system's at a given moment (written through the writer, so the chain stays whole). */
  async function rowAt(at: string): Promise<void> {
    const writer = t.get(AuditTrailWriter);
    await t.dataSource.transaction(async (manager) => {
      const entry = { ...writer.pending(systemActor(org, 'test'), { action: 'test.dated', entityType: 'test', entityId: at }), occurredAt: new Date(at) };
      await writer.appendAll(manager, [entry]);
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    officer = (await signIn(t, await createPerson(t, org, { roles: ['admin', 'security_officer'] }))).accessToken;
    auditor = (await signIn(t, await createPerson(t, org, { roles: ['auditor'] }))).accessToken;
    staff = (await signIn(t, await createPerson(t, org))).accessToken;
    hanako = await createPerson(t, org, { roles: ['admin'] });
    hanakoToken = (await signIn(t, hanako)).accessToken;
    kaikei = (await request(t.http).post('/api/v1/departments').set(as(hanakoToken)).send({ code: 'KAIKEI', name: '会計課' }).expect(201)).body.id;
    await request(t.http).patch(`/api/v1/departments/${kaikei}`).set(as(hanakoToken)).send({ name: '会計室' }).expect(200);
    await request(t.http).post('/api/v1/departments').set(as(officer)).send({ code: 'ZEIMU', name: '=HYPERLINK("http://evil.example","税務課")' }).expect(201);
    // the edges of April 2026 in Japan time: 3/31 23:59:59.999, 4/1 00:00, 4/30 23:59:59, 5/1 00:00
    for (const at of ['2026-03-31T14:59:59.999Z', '2026-03-31T15:00:00.000Z', '2026-04-30T14:59:59.000Z', '2026-04-30T15:00:00.000Z']) await rowAt(at);
  });
  afterAll(() => t.close());

  it("filters by actor, newest first, with the actor's name in each row", async () => {
    const res = await get(officer, `actorId=${hanako.staff.id}`).expect(200);
    expect(res.body.items.map((i: AuditTrailEntry) => i.action)).toEqual(['department.update', 'department.create', 'auth.login']);
    expect(res.body.items.map((i: { actorName: string }) => i.actorName)).toEqual(['試験 太郎', '試験 太郎', '試験 太郎']);
    const seqs = res.body.items.map((i: AuditTrailEntry) => BigInt(i.seq));
    expect([...seqs].sort((a, b) => (a > b ? -1 : 1))).toEqual(seqs);
    // the system has no name
    const system = await get(officer, 'action=test.dated&pageSize=1').expect(200);
    expect(system.body.items[0]).toMatchObject({ actorId: null, actorName: null, actorLabel: 'system:test' });
  });

  it('filters by action (exact or a prefix), entity type and record, paginated', async () => {
    const exact = await get(auditor, 'action=department.create').expect(200);
    expect(exact.body.total).toBe(2);
    const prefix = await get(auditor, 'action=department.*').expect(200);
    expect(prefix.body.total).toBe(3);
    // `_` is a letter of the code, not a wildcard
    expect((await get(auditor, 'action=auth.login_').expect(200)).body.total).toBe(0);
    const byType = await get(auditor, 'entityType=department').expect(200);
    expect(new Set(byType.body.items.map((i: AuditTrailEntry) => i.entityType))).toEqual(new Set(['department']));
    const history = await get(auditor, `entityType=department&entityId=${kaikei}`).expect(200);
    expect(history.body.items.map((i: AuditTrailEntry) => i.action)).toEqual(['department.update', 'department.create']);
    const second = await get(auditor, `entityType=department&entityId=${kaikei}&pageSize=1&page=2`).expect(200);
    expect(second.body).toMatchObject({ total: 2, page: 2, pageSize: 1, items: [{ action: 'department.create' }] });
  });

  it('takes a period of calendar days in Japan time, both ends included', async () => {
    const april = await get(officer, 'action=test.dated&from=2026-04-01&to=2026-04-30').expect(200);
    expect(april.body.items.map((i: AuditTrailEntry) => i.entityId)).toEqual(['2026-04-30T14:59:59.000Z', '2026-03-31T15:00:00.000Z']);
    const oneDay = await get(officer, 'action=test.dated&from=2026-04-01&to=2026-04-01').expect(200);
    expect(oneDay.body.items.map((i: AuditTrailEntry) => i.entityId)).toEqual(['2026-03-31T15:00:00.000Z']);
    // a date-time is the moment: from included, to excluded; without a zone, in Japan time
    const moments = await get(
      officer,
      `action=test.dated&from=${encodeURIComponent('2026-04-01T00:00')}&to=${encodeURIComponent('2026-05-01T00:00:00+09:00')}`,
    ).expect(200);
    expect(moments.body.total).toBe(2);
  });

  it('refuses bad filters with 400 naming the field, a reversed period, and readers without the right', async () => {
    for (const [query, field] of [
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['actorId=hanako', 'actorId'],
      ['action=DROP%20TABLE', 'action'],
      ['entityType=Staff%20Member', 'entityType'],
      ['pageSize=1000', 'pageSize'],
    ]) {
      const res = await get(officer, query!).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect({ query, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({ query, fields: [field] });
    }
    const reversed = await get(officer, 'from=2026-05-01&to=2026-04-30').expect(400);
    expect(reversed.body).toMatchObject({ code: 'AUDIT_TRAIL_RANGE_REVERSED', errors: [{ field: 'to' }] });
    const csvReversed = await request(t.http).get('/api/v1/audit-trail.csv?from=2026-05-01&to=2026-04-30').set(as(officer)).expect(400);
    expect(csvReversed.body.code).toBe('AUDIT_TRAIL_RANGE_REVERSED');
    expect((await get(staff, '').expect(403)).body.code).toBe('FORBIDDEN');
    await request(t.http).get('/api/v1/audit-trail.csv').set(as(staff)).expect(403);
  });

  it('exports CSV: UTF-8 with a BOM, Japanese headers and words, formulas kept as text, and the export itself audited', async () => {
    const exportsBefore = await t.dataSource.getRepository(AuditTrailEntry).countBy({ organizationId: org, action: 'audit_trail.export' });
    const res = await request(t.http).get('/api/v1/audit-trail.csv?entityType=department').set(as(auditor)).buffer(true).parse(asBuffer).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-trail-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('番号,日時（日本時間）,操作者,操作者（記録上の表示）,操作,操作コード,対象の種類,対象,対象のID,接続元,変更内容');
    expect(lines.at(-1)).toBe(''); // every line ends with CRLF
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain(`,試験 太郎,${hanako.email.toLowerCase()},部署を追加,department.create,部署,会計室,${kaikei},`);
    expect(rows[2]).toMatch(/^\d+,\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2},/);
    // a name a spreadsheet would run as a formula stays text
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://evil.example"",""税務課"")"`);

    const exports = await t.dataSource
      .getRepository(AuditTrailEntry)
      .find({ where: { organizationId: org, action: 'audit_trail.export' }, order: { seq: 'DESC' } });
    expect(exports).toHaveLength(exportsBefore + 1);
    expect(exports[0]!.changes['@context']!.after).toMatchObject({ format: 'csv', locale: 'ja', filters: { entityType: 'department' }, rows: 3 });
    // an export holds the rows up to its start: not its own row
    const all = await request(t.http).get('/api/v1/audit-trail.csv').set(as(auditor)).buffer(true).parse(asBuffer).expect(200);
    expect((all.body as Buffer).toString('utf8').match(/,操作ログを書き出し,audit_trail\.export,/g)).toHaveLength(exportsBefore + 1);
    const listed = await get(officer, 'action=audit_trail.export&pageSize=1').expect(200);
    expect(listed.body.items[0].entityType).toBe('audit_trail');
  });

  it('exports in English on request, and an empty export is the headers alone', async () => {
    const res = await request(t.http).get('/api/v1/audit-trail.csv?lang=en&action=department.close').set(as(officer)).buffer(true).parse(asBuffer).expect(200);
    expect((res.body as Buffer).toString('utf8')).toBe(
      '\uFEFFNo.,When (Japan time),Who,Who (as recorded),Action,Action code,Record type,Record,Record ID,From (address),Changes\r\n',
    );
    const words = await request(t.http).get(`/api/v1/audit-trail.csv?lang=en&entityId=${kaikei}`).set(as(officer)).buffer(true).parse(asBuffer).expect(200);
    expect((words.body as Buffer).toString('utf8')).toContain(',Changed a department,department.update,Department,会計室,');
  });

  it('exports more rows than one batch, each once, newest first (rows of one moment by seq)', async () => {
    const writer = t.get(AuditTrailWriter);
    const at = new Date('2026-06-01T03:00:00.000Z');
    await t.dataSource.transaction(async (manager) => {
      const entries = Array.from({ length: 1_250 }, (_, i) => ({
        ...writer.pending(systemActor(org, 'test'), { action: 'test.bulk', entityType: 'test', entityId: String(i) }),
        // half of them at one moment: the batches must not lose or repeat rows of a tie
        occurredAt: i < 625 ? at : new Date(at.getTime() + i),
      }));
      await writer.appendAll(manager, entries);
    });
    const res = await request(t.http).get('/api/v1/audit-trail.csv?action=test.bulk').set(as(officer)).buffer(true).parse(asBuffer).expect(200);
    const seqs = (res.body as Buffer)
      .toString('utf8')
      .split('\r\n')
      .slice(1, -1)
      .map((line) => BigInt(line.split(',')[0]!));
    expect(seqs).toHaveLength(1_250);
    expect(new Set(seqs).size).toBe(1_250);
    expect([...seqs].sort((a, b) => (a > b ? -1 : 1))).toEqual(seqs);
  });

  it('has words for every action and entity type this trail holds (but the tests’ own)', async () => {
    const rows = (await t.dataSource.query(`SELECT DISTINCT action, entity_type FROM audit_trail WHERE action NOT LIKE 'test.%'`)) as {
      action: string;
      entity_type: string;
    }[];
    const vocabulary = t.get(AuditTrailWords).vocabulary;
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.filter((row) => !vocabulary.actions.has(row.action)).map((row) => row.action)).toEqual([]);
    expect(rows.filter((row) => !vocabulary.entityTypes.has(row.entity_type)).map((row) => row.entity_type)).toEqual([]);
    expect(vocabulary.action('auth.login', 'ja')).toBe('ログイン');
    expect(vocabulary.action('control.update', 'ja')).toBe('管理策の実施状況などを変更');
    // an old row's code falls back to itself
    expect(vocabulary.action('test.dated', 'ja')).toBe('test.dated');
  });

  it('shows a refused filter on the page: 400, the error summary, the message beside the field', async () => {
    const page = await request(t.http).get('/audit-trail?from=2026-05-01&to=2026-04-30').set(as(officer)).set('Accept', 'text/html').expect(400);
    expect(page.text).toContain('<title>エラー：操作ログ');
    expect(page.text).toContain('終了日は開始日と同じ日か、それより後の日にしてください');
    expect(page.text).toMatch(/<input id="to" name="to" type="date" value="2026-04-30" aria-describedby="period-hint to-error" aria-invalid="true">/);
    const bad = await request(t.http).get('/audit-trail?from=2026-13-01').set(as(officer)).set('Accept', 'text/html').expect(400);
    expect(bad.text).toContain('開始日は 2026-04-01 のような実在する日付で入力してください');
    // the page's rows in words, the records linked to their pages
    const ok = await request(t.http).get(`/audit-trail?actorId=${hanako.staff.id}`).set(as(officer)).set('Accept', 'text/html').expect(200);
    expect(ok.text).toContain('部署を変更');
    expect(ok.text).toContain(`<a href="/departments/${kaikei}">会計室</a>`);
    expect(ok.text).toContain(`href="/audit-trail.csv?actorId&#x3D;${hanako.staff.id}"`); // (Handlebars writes = as &#x3D;)
    // one record's history (where a record's page may link to): the record named, the filter kept in the form
    const history = await request(t.http).get(`/audit-trail?entityType=department&entityId=${kaikei}`).set(as(officer)).set('Accept', 'text/html').expect(200);
    expect(history.text).toMatch(/次の記録の操作だけを表示しています：\s*部署\s*<a href="\/departments\/[0-9a-f-]+">会計室<\/a>/);
    expect(history.text).toContain(`<input type="hidden" name="entityId" value="${kaikei}">`);
    expect(history.text.match(/<tr>/g)).toHaveLength(3); // the header and the two rows
    // an auditor may not open the departments pages: the record is named, not linked
    const asAuditor = await request(t.http).get(`/audit-trail?actorId=${hanako.staff.id}`).set(as(auditor)).set('Accept', 'text/html').expect(200);
    expect(asAuditor.text).toContain('会計室');
    expect(asAuditor.text).not.toContain(`href="/departments/${kaikei}"`);
  });
});
