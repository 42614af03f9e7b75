import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { currentTotp } from '../../src/auth/totp.service.js';
import { systemActor } from '../../src/common/actor.js';
import { tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import type { Role } from '../../src/common/roles.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { ResponsePlanSync } from '../../src/response-plan/response-plan.sync.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { findInternals, INTERNAL_KEYS } from '../support/internals.js';
import { mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>;
  'x-roles'?: string[];
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const ROLES_UNDER_TEST: Role[] = ['admin', 'ciso', 'security_officer', 'csirt', 'auditor', 'manager', 'staff'];
const PROBLEM_SCHEMAS = ['#/components/schemas/ProblemDocument', '#/components/schemas/AccountLockedProblem', '#/components/schemas/EvidenceProblem'];
PROBLEM_SCHEMAS.push('#/components/schemas/AttachmentProblem'); // course material (training administration)
const BINARY = { type: 'string', format: 'binary' };
/** a line of an uploaded text file: it must never come back in a JSON body */
const EVIDENCE_MARKER = `入退室記録 ${randomBytes(8).toString('hex')}`;

/**
 * The API's answers are what its OpenAPI document says, and carry no internals. Every e2e test
 * checks its responses against the document (test/support/response-contract.ts, installed by
 * createTestApp); this file checks the document itself, then answers every operation once with
 * real data, every GET as every role that may call it.
 */
describe('API contract: documented responses, no internals', () => {
  let t: TestApp;
  let doc: Document;
  const operations = (): { method: string; path: string; op: Operation }[] =>
    Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! })));

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
    doc = (await request(t.http).get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(() => t.close());

  describe('the document', () => {
    it('documents a success response for every operation: a JSON schema, a file content type, or no content (204)', () => {
      const undocumented: string[] = [];
      for (const { method, path, op } of operations()) {
        const success = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
        const described = success.some(([status, response]) => {
          const content = Object.entries(response.content ?? {});
          if (status === '204') return content.length === 0;
          return (
            content.length > 0 &&
            content.every(([type, media]) => (type === 'application/json' ? !!media.schema?.$ref || !!media.schema?.type : equal(media.schema, BINARY)))
          );
        });
        if (!described) undocumented.push(`${method.toUpperCase()} ${path}`);
      }
      expect(operations().length).toBeGreaterThanOrEqual(40);
      expect(undocumented).toEqual([]);
    });

    it('documents every error response as problem+json with the ProblemDocument schema (or one extending it)', () => {
      const wrong: string[] = [];
      for (const { method, path, op } of operations()) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (!/^[45]/.test(status) || path === '/health') continue;
          const content = response.content ?? {};
          const ref = content['application/problem+json']?.schema?.$ref;
          if (Object.keys(content).join() !== 'application/problem+json' || !PROBLEM_SCHEMAS.includes(String(ref)))
            wrong.push(`${method.toUpperCase()} ${path} ${status}`);
        }
        const roles = op['x-roles'] ?? [];
        if (!roles.includes('public') && !(op.responses['401'] && op.responses['403'])) wrong.push(`${method.toUpperCase()} ${path}: no 401/403`);
      }
      expect(wrong).toEqual([]);
      expect(doc.components.schemas.ProblemDocument).toMatchObject({ required: expect.arrayContaining(['type', 'title', 'status', 'code']) });
    });

    it('names no internal field in any schema but the lockedUntil of ACCOUNT_LOCKED', () => {
      const named = Object.entries(doc.components.schemas).flatMap(([name, schema]) =>
        Object.keys((schema.properties as Json | undefined) ?? {})
          .filter((property) => INTERNAL_KEYS.has(property) || property === 'contentHash' || property === 'content')
          .map((property) => `${name}.${property}`),
      );
      expect(named.sort()).toEqual(['AccountLockedProblem.lockedUntil', 'PolicyVersionDetailView.contentHash', 'PolicyVersionSummaryView.contentHash']);
    });

    it('the checker refuses an undocumented or internal field, a wrong format, an undocumented status and a wrong content type', () => {
      const me = {
        ...{
          id: '3ff45433-aa34-4962-9328-fdda4aff7ca8',
          employeeNumber: '1',
          familyName: '試験',
          givenName: '太郎',
          familyNameKana: null,
          givenNameKana: null,
        },
        ...{ email: 'a@test.example', departmentId: null, department: null, roles: ['staff'], status: 'active', joinedOn: null, leftOn: null, locale: 'ja' },
        ...{ totpConfirmedAt: null, lastLoginAt: null, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' },
        employmentType: 'regular',
      };
      const check = (status: number, body: unknown, type = 'application/json; charset=utf-8') =>
        t.contract.check('GET', '/api/v1/me', status, type, JSON.stringify(body));
      expect(check(200, me)).toEqual([]);
      expect(check(200, { ...me, failedLoginCount: 0 }).join()).toMatch(/additional properties \(failedLoginCount\).*internal field/);
      expect(check(200, { ...me, joinedOn: '2020-04-01T00:00:00Z' }).join()).toMatch(/joinedOn must match format "date"/);
      expect(check(200, { ...me, department: { id: me.id } }).join()).toMatch(/department must have required property 'code'/);
      expect(check(201, me).join()).toMatch(/status not documented/);
      expect(check(200, me, 'text/html').join()).toMatch(/answered text\/html, documented application\/json/);
      expect(check(401, { code: 'UNAUTHENTICATED' }, 'application/problem+json').join()).toMatch(/required property 'type'/);
      expect(findInternals({ items: [{ passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$abc$def' }] })).toEqual([
        '$.items[0].passwordHash: internal field',
        '$.items[0].passwordHash: an argon2 password hash',
      ]);
      expect(findInternals({ code: 'ACCOUNT_LOCKED', lockedUntil: '2026-04-01T00:00:00Z' })).toEqual([]);
      expect(findInternals({ code: 'FORBIDDEN', lockedUntil: '2026-04-01T00:00:00Z' })).toEqual(['$.lockedUntil: internal field']);
      expect(findInternals({ items: [{ changes: { lockedUntil: { before: null, after: 'x' }, passwordHash: { after: '[redacted]' } } }] })).toEqual([]);
      expect(findInternals({ items: [{ changes: { totpSecret: { after: 'JBSWY3DPEHPK3PXP' } } }] })).toEqual(['$.items[0].changes.totpSecret: not redacted']);
    });
  });

  describe('real responses', () => {
    let org: string;
    let department: string;
    const people = {} as Record<Role, TestPerson>;
    const bearer = {} as Record<Role, string>;
    const bodies: { label: string; text: string }[] = [];
    let standards: Policy;
    let control: Control;
    let evidenceId: string;
    /** a scenario of the response plan (policies/response-plan/), which every role reads */
    let scenarioId = '';
    /** a drill of that scenario, every role invited */
    let runDrillId = '';
    let planDrillId = '';

    /** Sends a request (as `role`, or signed out) and keeps its body for the scans at the end. */
    async function call(method: string, url: string, role: Role | null, send?: (test: request.Test) => request.Test): Promise<request.Response> {
      let test = request(t.http)[method as 'get'](url);
      if (role) test = test.set('Authorization', `Bearer ${bearer[role]}`);
      const response = await (send ? send(test) : test);
      if (!/\/content$|\.xlsx(\?|$)|\.csv(\?|$)/.test(url))
        bodies.push({ label: `${method.toUpperCase()} ${url} → ${response.status}`, text: response.text ?? '' });
      return response;
    }
    /** like `.expect(status)`, but says what came instead */
    const expectStatus = (response: request.Response, status: number): void => {
      if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
    };

    beforeAll(async () => {
      org = await testOrganization(t);
      department = (await createDepartment(t, org, { code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' })).id;
      for (const role of ROLES_UNDER_TEST) {
        people[role] = await createPerson(t, org, { roles: [role], departmentId: ['manager', 'staff'].includes(role) ? department : null });
        bearer[role] = (await signIn(t, people[role])).accessToken;
      }
      await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
      await t.get(ResponsePlanSync).sync(systemActor(org, 'test'));
      [{ id: scenarioId }] = (await t.dataSource.query(`SELECT id FROM response_scenarios WHERE organization_id = $1 ORDER BY key LIMIT 1`, [org])) as {
        id: string;
      }[];
      standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
      control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '5-01' });
    });

    it('auth: enrolment on first sign-in, recovery codes, refresh, a new factor, lockout, password links, logout', async () => {
      const newAdmin = await createPerson(t, org, { roles: ['admin'], totp: false });
      const first = await call('post', '/api/v1/auth/login', null, (r) => r.send({ email: newAdmin.email, password: newAdmin.password }));
      expectStatus(first, 200);
      expect(first.body).toMatchObject({ mfaRequired: true, enrolment: { otpauthUri: expect.any(String) } });
      const secret = new URL(first.body.enrolment.otpauthUri as string).searchParams.get('secret')!;
      const enrolled = await call('post', '/api/v1/auth/login', null, (r) =>
        r.send({ email: newAdmin.email, password: newAdmin.password, totp: currentTotp(secret) }),
      );
      expectStatus(enrolled, 200);
      expect(enrolled.body).toMatchObject({ mfaRequired: false, tokens: { tokenType: 'Bearer' }, recoveryCodes: expect.any(Array) });

      const refreshed = await call('post', '/api/v1/auth/refresh', null, (r) => r.send({ refreshToken: enrolled.body.tokens.refreshToken }));
      expectStatus(refreshed, 200);

      // a member of staff without a second factor adds one
      const newcomer = await createPerson(t, org);
      const session = (await signIn(t, newcomer)).accessToken;
      const started = await request(t.http).post('/api/v1/auth/totp/enrol').set('Authorization', `Bearer ${session}`);
      expectStatus(started, 200);
      bodies.push({ label: 'POST /api/v1/auth/totp/enrol', text: started.text });
      const newSecret = new URL(started.body.otpauthUri as string).searchParams.get('secret')!;
      const confirmed = await request(t.http)
        .post('/api/v1/auth/totp/confirm')
        .set('Authorization', `Bearer ${session}`)
        .send({ code: currentTotp(newSecret) });
      expectStatus(confirmed, 200);
      expect(confirmed.body.recoveryCodes).toHaveLength(10);
      bodies.push({ label: 'POST /api/v1/auth/totp/confirm', text: confirmed.text });

      // three failures lock the account: the problem says until when, and only there
      const victim = await createPerson(t, org);
      for (const [i, status] of [
        [1, 401],
        [2, 401],
        [3, 423],
      ] as const) {
        expectStatus(await call('post', '/api/v1/auth/login', null, (r) => r.send({ email: victim.email, password: `wrong-${i}` })), status);
      }
      const locked = await call('post', '/api/v1/auth/login', null, (r) => r.send({ email: victim.email, password: victim.password }));
      expectStatus(locked, 423);
      expect(locked.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) });

      // an invitation, and the password set with its link
      const suffix = randomBytes(4).toString('hex');
      const created = await call('post', '/api/v1/staff', 'admin', (r) =>
        r.send({
          employeeNumber: `C-${suffix}`,
          familyName: '新人',
          givenName: '花子',
          email: `new-${suffix}@test.example`,
          roles: ['staff'],
          departmentId: department,
        }),
      );
      expectStatus(created, 201);
      expect(created.body.department).toEqual({ id: department, code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' });
      expectStatus(await call('post', `/api/v1/staff/${created.body.id}/invitation`, 'admin'), 202);
      const mail = (await mailsTo(t, `new-${suffix}@test.example`)).find((m) => m.subject.includes('パスワードを設定'))!;
      const token = /password\/set\?token=(\S+)/.exec(mail.text)![1]!;
      expectStatus(await call('post', '/api/v1/auth/password/set', null, (r) => r.send({ token, password: 'a-long-enough-password' })), 204);
      expectStatus(await call('post', '/api/v1/auth/password/forgot', null, (r) => r.send({ email: `new-${suffix}@test.example` })), 202);

      const signedOut = await createPerson(t, org);
      const ending = (await signIn(t, signedOut)).accessToken;
      const logout = await request(t.http).post('/api/v1/auth/logout').set('Authorization', `Bearer ${ending}`);
      expectStatus(logout, 204);
      expect(logout.text).toBe('');
    });

    it('staff and departments: create, change, import, delete', async () => {
      const suffix = randomBytes(4).toString('hex');
      const created = await call('post', '/api/v1/departments', 'admin', (r) => r.send({ code: `K${suffix}`, name: '企画課', parentId: department }));
      expectStatus(created, 201);
      expectStatus(await call('patch', `/api/v1/departments/${created.body.id}`, 'admin', (r) => r.send({ nameEn: 'Planning Division' })), 200);
      expectStatus(await call('delete', `/api/v1/departments/${created.body.id}`, 'admin'), 204);
      expectStatus(await call('post', `/api/v1/departments/${created.body.id}/reopen`, 'admin'), 200);

      const changed = await call('patch', `/api/v1/staff/${people.staff.staff.id}`, 'admin', (r) => r.send({ givenName: '次郎', joinedOn: '2020-04-01' }));
      expectStatus(changed, 200);
      expect(changed.body).toMatchObject({ givenName: '次郎', joinedOn: '2020-04-01', department: { id: department, code: 'SOMU' } });
      const csv = `職員番号,氏,名,氏カナ,名カナ,メールアドレス,所属コード,役割,在職状況,採用日,退職日\nI-${suffix},佐藤,一郎,サトウ,イチロウ,ichiro-${suffix}@test.example,SOMU,staff,在職,2010/04/01,\n`;
      const imported = await call('post', '/api/v1/staff/import', 'admin', (r) =>
        r.attach('file', Buffer.from(csv, 'utf8'), { filename: 'staff.csv', contentType: 'text/csv' }),
      );
      expectStatus(imported, 200);
      expect(imported.body).toEqual({ dryRun: false, rows: 1, created: 1, updated: 0, unchanged: 0 });
    });

    it('policies, reviews and acknowledgements: approve with acknowledgement, review, acknowledge', async () => {
      const approved = await call('post', `/api/v1/policies/${standards.id}/versions/1/approve`, 'ciso', (r) => r.send({ requireAcknowledgement: true }));
      expectStatus(approved, 200);
      expect(approved.body.acknowledgement).toMatchObject({ duties: expect.any(Number) });
      expectStatus(
        await call('post', `/api/v1/policies/${standards.id}/reviews`, 'security_officer', (r) => r.send({ outcome: 'no_change', notes: '変更なし' })),
        201,
      );
      const current = (await t.dataSource.query(`SELECT body FROM policy_versions WHERE policy_id = $1 AND version = 1`, [standards.id])) as { body: string }[];
      const revised = await call('post', `/api/v1/policies/${standards.id}/versions`, 'security_officer', (r) =>
        r.send({ body: `${current[0]!.body.split('## English')[0]!.trim()}\n\n改定の試験。`, changeNote: '試験' }),
      );
      expectStatus(revised, 201);
      const mine = await call('get', '/api/v1/acknowledgements/me', 'staff');
      expectStatus(mine, 200);
      const duty = (mine.body.items as { id: string }[])[0]!;
      expectStatus(await call('post', `/api/v1/acknowledgements/${duty.id}/acknowledge`, 'staff'), 200);
      // the department's manager reminds those who still owe an acknowledgement
      const reminded = await call('post', `/api/v1/departments/${department}/reminders`, 'manager', (r) => r.send({}));
      expectStatus(reminded, 200);
      expect(reminded.body).toMatchObject({ sent: expect.any(Number), alreadyRemindedToday: 0, nothingOutstanding: 1 });
      expect(reminded.body.sent).toBeGreaterThan(0);
    });

    it('controls: status, check, evidence upload', async () => {
      const updated = await call('patch', `/api/v1/controls/${control.id}`, 'security_officer', (r) =>
        r.send({ status: 'partial', ownerDepartmentId: department }),
      );
      expectStatus(updated, 200);
      expect(updated.body).not.toHaveProperty('contentHash');
      expectStatus(await call('post', `/api/v1/controls/${control.id}/checks`, 'ciso', (r) => r.send({ note: '点検' })), 200);
      const evidence = await call('post', `/api/v1/controls/${control.id}/evidence`, 'admin', (r) =>
        r.field('note', '入退室記録').attach('file', Buffer.from(`${EVIDENCE_MARKER}\n`, 'utf8'), { filename: '記録.txt', contentType: 'text/plain' }),
      );
      expectStatus(evidence, 201);
      evidenceId = evidence.body.id as string;
    });

    /** a role request about each role's person, so that everyone may read one */
    const roleRequestAbout = {} as Partial<Record<Role, string>>;

    it('role requests: request, approve, confirm, reject, withdraw', async () => {
      const file = async (staffId: string, body: object): Promise<string> => {
        const created = await call('post', `/api/v1/staff/${staffId}/role-requests`, 'admin', (r) => r.send(body));
        expectStatus(created, 201);
        return created.body.id as string;
      };
      const as = async (bearerToken: string, url: string): Promise<request.Response> => {
        const response = await request(t.http).post(url).set('Authorization', `Bearer ${bearerToken}`);
        bodies.push({ label: `POST ${url}`, text: response.text });
        return response;
      };
      for (const [role, change, granted] of [
        ['staff', 'grant', 'auditor'],
        ['manager', 'grant', 'csirt'],
        ['csirt', 'revoke', 'csirt'],
        ['auditor', 'revoke', 'auditor'],
      ] as const) {
        roleRequestAbout[role] = await file(people[role].staff.id, { change, role: granted, reason: '体制変更のため' });
      }
      // ciso granted: another administrator approves, the sitting CISO confirms
      const future = await createPerson(t, org);
      const otherAdmin = (await signIn(t, await createPerson(t, org, { roles: ['admin'] }))).accessToken;
      const ciso = await file(future.staff.id, { change: 'grant', role: 'ciso', reason: '就任のため' });
      expectStatus(await as(otherAdmin, `/api/v1/role-requests/${ciso}/approve`), 200);
      const confirmed = await call('post', `/api/v1/role-requests/${ciso}/confirm`, 'ciso');
      expectStatus(confirmed, 200);
      expect(confirmed.body).toMatchObject({ status: 'approved', staff: { id: future.staff.id }, approvedBy: { employeeNumber: expect.any(String) } });
      const refused = await file((await createPerson(t, org)).staff.id, { change: 'grant', role: 'csirt', reason: '応援のため' });
      expectStatus(await call('post', `/api/v1/role-requests/${refused}/reject`, 'ciso', (r) => r.send({ reason: '不要' })), 200);
      const withdrawn = await file((await createPerson(t, org)).staff.id, { change: 'grant', role: 'security_officer', reason: '兼務のため' });
      expectStatus(await call('post', `/api/v1/role-requests/${withdrawn}/withdraw`, 'admin'), 200);
    });

    /** the published course every role's GET reads */
    let courseId = '';

    it('training: write, change, publish, repeat and close a course', async () => {
      const fiscalYear = new Date().getFullYear();
      const created = await call('post', '/api/v1/training/courses', 'security_officer', (r) =>
        r.send({
          fiscalYear,
          kind: 'e_learning',
          title: '情報セキュリティ研修',
          audience: { all: true },
          dueDate: `${fiscalYear + 1}-03-31`,
          quiz: {
            passMark: 100,
            questions: [
              {
                id: 'q1',
                text: '不審なメールは？',
                choices: [
                  { id: 'a', text: '報告する' },
                  { id: 'b', text: '開く' },
                ],
                correct: ['a'],
              },
            ],
          },
        }),
      );
      expectStatus(created, 201);
      courseId = created.body.id as string;
      expectStatus(
        await call('patch', `/api/v1/training/courses/${courseId}`, 'security_officer', (r) => r.send({ titleEn: 'Information security training' })),
        200,
      );
      const published = await call('post', `/api/v1/training/courses/${courseId}/publish`, 'security_officer');
      expectStatus(published, 200);
      expect(published.body.enrolled).toBeGreaterThan(0);
      const repeated = await call('post', `/api/v1/training/courses/${courseId}/repeat`, 'security_officer', (r) => r.send({ fiscalYear: fiscalYear + 1 }));
      expectStatus(repeated, 201);
      const other = await call('post', '/api/v1/training/courses', 'security_officer', (r) =>
        r.send({ fiscalYear, kind: 'classroom', title: '集合研修', audience: { roles: ['manager'] }, dueDate: `${fiscalYear + 1}-03-31` }),
      );
      expectStatus(await call('post', `/api/v1/training/courses/${other.body.id as string}/publish`, 'security_officer'), 200);
      expectStatus(await call('post', `/api/v1/training/courses/${other.body.id as string}/close`, 'security_officer'), 200);
    });

    /** each role's own enrolment in that course: every role reads only its own */
    const enrolmentOf = {} as Record<Role, string>;

    it('training taking: my enrolments, the material, the quiz, completion and the certificate', async () => {
      // the course opens on the first day of its fiscal year: open it today, whatever the month
      expectStatus(await call('patch', `/api/v1/training/courses/${courseId}`, 'security_officer', (r) => r.send({ opensOn: tokyoToday() })), 200);
      for (const role of ROLES_UNDER_TEST) {
        const mine = await call('get', '/api/v1/training/me', role);
        expectStatus(mine, 200);
        enrolmentOf[role] = (mine.body.items as { id: string; course: { id: string } }[]).find((item) => item.course.id === courseId)!.id;
      }
      const own = `/api/v1/training/enrolments/${enrolmentOf.staff}`;
      expectStatus(await call('get', own, 'staff'), 200);
      const failed = await call('post', `${own}/quiz-attempts`, 'staff', (r) => r.send({ answers: { q1: ['b'] } }));
      expectStatus(failed, 201);
      expect(failed.body).toMatchObject({ passed: false, recorded: true });
      expectStatus(await call('post', `${own}/quiz-attempts`, 'staff', (r) => r.send({ answers: { q1: ['a'] } })), 201);
      expectStatus(await call('post', `${own}/complete`, 'staff', (r) => r.send({ acknowledged: true })), 200);
      // after completion an attempt records nothing (200)
      expectStatus(await call('post', `${own}/quiz-attempts`, 'staff', (r) => r.send({ answers: { q1: ['a'] } })), 200);
      // everyone else completes theirs with the answers, so every role's certificate answers 200
      for (const role of ROLES_UNDER_TEST.filter((r) => r !== 'staff')) {
        const path = `/api/v1/training/enrolments/${enrolmentOf[role]}/complete`;
        expectStatus(await call('post', path, role, (r) => r.send({ acknowledged: true, answers: { q1: ['a'] } })), 200);
      }
      expectStatus(await call('get', `${own}/certificate`, 'staff'), 200);
    });

    /** the targeted-mail drill every reader's GET reads */
    let drillId = '';

    it('training drills: import a Gophish results file (a dry run, then for real) into a drill, read its results and figures', async () => {
      const fiscalYear = new Date().getFullYear();
      const drill = await call('post', '/api/v1/training/courses', 'security_officer', (r) =>
        r.send({
          fiscalYear,
          kind: 'targeted_mail_drill',
          title: '標的型メール訓練',
          audience: { all: true },
          dueDate: `${fiscalYear + 1}-03-31`,
          followUpCourseId: courseId,
        }),
      );
      expectStatus(drill, 201);
      drillId = drill.body.id as string;
      const header = 'id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position';
      const rows = (['manager', 'staff'] as const).map(
        (role, i) => `r${i},Clicked Link,203.0.113.${i},0,0,2026-10-01T09:00:00+09:00,${role === 'manager'},2026-10-01T09:10:00+09:00,${people[role].email},,,`,
      );
      const file = Buffer.from(`${[header, ...rows].join('\r\n')}\r\n`, 'utf8');
      const attach = (r: request.Test) => r.attach('file', file, { filename: 'drill - Results.csv', contentType: 'text/csv' });
      const preview = await call('post', `/api/v1/training/courses/${drillId}/drill-results?dryRun=true`, 'security_officer', attach);
      expectStatus(preview, 200);
      expect(preview.body).toMatchObject({ dryRun: true, rows: 2, clicked: 2, reported: 1 });
      expectStatus(await call('post', `/api/v1/training/courses/${drillId}/drill-results`, 'security_officer', attach), 200);
    });

    /** a file of the published course's material, which every role's GET reads */
    let attachmentId = '';

    it('training administration: material, exemptions, classroom attendance', async () => {
      const pdf = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
      const attach = (name: string) =>
        call('post', `/api/v1/training/courses/${courseId}/attachments`, 'security_officer', (r) =>
          r.attach('file', pdf, { filename: name, contentType: 'application/pdf' }),
        );
      const material = await attach('研修資料.pdf');
      expectStatus(material, 201);
      attachmentId = material.body.id as string;
      const removed = await attach('古い資料.pdf');
      expectStatus(await call('delete', `/api/v1/training/courses/${courseId}/attachments/${removed.body.id as string}`, 'security_officer'), 204);

      // everyone completed the course above: a newcomer (enrolled as they join) is the one exempted
      const newcomer = await createPerson(t, org);
      const [enrolment] = (await t.dataSource.query(`SELECT id FROM enrolments WHERE course_id = $1 AND staff_id = $2`, [courseId, newcomer.staff.id])) as {
        id: string;
      }[];
      expectStatus(
        await call('put', `/api/v1/training/enrolments/${enrolment!.id}/exemption`, 'security_officer', (r) =>
          r.send({ kind: 'long_leave', reason: '育児休業' }),
        ),
        200,
      );
      expectStatus(await call('delete', `/api/v1/training/enrolments/${enrolment!.id}/exemption`, 'security_officer'), 204);
      const fiscalYear = (await call('get', `/api/v1/training/courses/${courseId}`, 'security_officer')).body.fiscalYear as number;
      const year = await call('put', `/api/v1/training/staff/${newcomer.staff.id}/exemptions`, 'security_officer', (r) =>
        r.send({ fiscalYear, kind: 'secondment', reason: '県へ出向' }),
      );
      expectStatus(year, 200);
      expect(year.body.exempted).toBeGreaterThan(0);

      const classroom = await call('post', '/api/v1/training/courses', 'security_officer', (r) =>
        r.send({ fiscalYear, kind: 'classroom', title: '集合研修', audience: { all: true }, dueDate: `${fiscalYear + 1}-03-31` }),
      );
      const classroomId = classroom.body.id as string;
      expectStatus(await call('post', `/api/v1/training/courses/${classroomId}/publish`, 'security_officer'), 200);
      const listed = await call('post', `/api/v1/training/courses/${classroomId}/attendance`, 'security_officer', (r) =>
        r.send({ employeeNumbers: [people.manager.staff.employeeNumber] }),
      );
      expectStatus(listed, 200);
      expect(listed.body).toEqual({ completed: 1, alreadyCompleted: 0 });
      const csv = Buffer.from(`\uFEFF職員番号\r\n${people.staff.staff.employeeNumber}\r\n`, 'utf8');
      const uploaded = await call('post', `/api/v1/training/courses/${classroomId}/attendance.csv`, 'security_officer', (r) =>
        r.attach('file', csv, { filename: '出席者.csv', contentType: 'text/csv' }),
      );
      expectStatus(uploaded, 200);
    });

    const incidentOf = {} as Record<Role, string>;
    const incidentAttachmentOf = {} as Record<Role, string>;
    let reportOf: { incidentId: string; id: string };
    let findingId: string;
    let escalationPolicyId = '';
    it('incidents: everyone reports (once, with an Idempotency-Key), the CSIRT triages, moves, reassesses, writes and acknowledges; the security office makes and changes an escalation policy', async () => {
      for (const role of ROLES_UNDER_TEST) {
        const reported = await call('post', '/api/v1/incidents', role, (r) =>
          r.set('Idempotency-Key', `contract-${role}`).send({ title: `${role} の報告`, description: '画面に警告が出た', nearMiss: role === 'staff' }),
        );
        expectStatus(reported, 201);
        incidentOf[role] = reported.body.id as string;
        expectStatus(
          await call('post', '/api/v1/incidents', role, (r) =>
            r.set('Idempotency-Key', `contract-${role}`).send({ title: `${role} の報告`, description: '画面に警告が出た', nearMiss: role === 'staff' }),
          ),
          200,
        );
      }
      const id = incidentOf.manager;
      expectStatus(
        await call('post', `/api/v1/incidents/${id}/transitions`, 'csirt', (r) =>
          r.send({ to: 'triaged', reason: '判定', severity: 'L1', category: 'malware', personalData: { involved: false, affectedPeople: null } }),
        ),
        200,
      );
      expectStatus(await call('patch', `/api/v1/incidents/${id}/assessment`, 'csirt', (r) => r.send({ reason: '影響範囲を修正', severity: 'L2' })), 200);
      expectStatus(
        await call('post', `/api/v1/incidents/${id}/timeline`, 'csirt', (r) => r.send({ kind: 'contact', text: '県へ電話', contact: '県情報政策課' })),
        201,
      );
      expectStatus(await call('post', `/api/v1/incidents/${id}/acknowledge`, 'csirt', (r) => r.send({ note: '確認' })), 200);
      // a resident (no account): an acknowledgement number, and the same one for a retry
      const resident = {
        organization: 'test-town',
        title: '町のホームページが改ざんされている',
        description: 'トップページの表示がおかしい',
        email: 'resident@example.jp',
      };
      const received = await call('post', '/api/v1/public/incident-reports', null, (r) => r.set('Idempotency-Key', 'contract-resident').send(resident));
      expectStatus(received, 201);
      expect(received.body.acknowledgementNumber).toMatch(/^RCV-\d{4}-\d{4}$/);
      expectStatus(await call('post', '/api/v1/public/incident-reports', null, (r) => r.set('Idempotency-Key', 'contract-resident').send(resident)), 200);
      // tasks by hand, ticked off; a file on each role's own report (each role downloads its own below)
      const task = await call('post', `/api/v1/incidents/${id}/tasks`, 'csirt', (r) => r.send({ title: '端末を切り離す', phase: 'contain' }));
      expectStatus(task, 201);
      expectStatus(await call('patch', `/api/v1/incidents/${id}/tasks/${task.body.id}`, 'csirt', (r) => r.send({ status: 'done', note: '完了' })), 200);
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16)]);
      for (const role of ROLES_UNDER_TEST) {
        const attached = await call('post', `/api/v1/incidents/${incidentOf[role]}/attachments`, role, (r) =>
          r.attach('file', png, { filename: '画面.png', contentType: 'image/png' }),
        );
        expectStatus(attached, 201);
        incidentAttachmentOf[role] = attached.body.id as string;
      }

      // external reports: personal data of more than 100 people owes the Commission its reports; one is sent, its draft exported
      expectStatus(
        await call('patch', `/api/v1/incidents/${id}/assessment`, 'csirt', (r) =>
          r.send({ reason: '個人情報を含む', personalData: { involved: true, affectedPeople: 120 } }),
        ),
        200,
      );
      const reports = await call('get', `/api/v1/incidents/${id}/external-reports`, 'ciso');
      expectStatus(reports, 200);
      const preliminary = (reports.body.items as { id: string; recipient: string; kind: string }[]).find(
        (r) => r.recipient === 'ppc' && r.kind === 'preliminary',
      )!;
      reportOf = { incidentId: id, id: preliminary.id };
      expectStatus(
        await call('post', `/api/v1/incidents/${id}/external-reports/${preliminary.id}/sent`, 'csirt', (r) =>
          r.send({ sentTo: '個人情報保護委員会', sentVia: 'オンライン報告フォーム' }),
        ),
        200,
      );
      expectStatus(await call('get', `/api/v1/incidents/${id}/external-reports/${preliminary.id}/draft.xlsx?lang=en`, 'security_officer'), 200);

      // the review raises a finding of the department with an action: done by its assignee, verified by an auditor
      const reviewed = await call('put', `/api/v1/incidents/${id}/review`, 'csirt', (r) =>
        r.send({
          cause: '添付ファイルを開いた',
          whatWorked: 'すぐに報告があった',
          whatDidNot: '端末の隔離に時間がかかった',
          lessons: '隔離の手順を周知する',
          findings: [
            {
              title: '端末の隔離手順が周知されていない',
              severity: 'medium',
              ownerDepartmentId: department,
              controlIds: [control.id],
              actions: [{ description: '隔離手順を周知する', assigneeId: people.staff.staff.id, dueDate: '2030-03-31' }],
            },
          ],
        }),
      );
      expectStatus(reviewed, 200);
      findingId = reviewed.body.findings[0].id as string;
      const actionId = reviewed.body.findings[0].actions[0].id as string;
      expectStatus(await call('patch', `/api/v1/corrective-actions/${actionId}`, 'staff', (r) => r.send({ status: 'done', note: '課内で周知した' })), 200);
      expectStatus(
        await call('post', `/api/v1/corrective-actions/${actionId}/verify`, 'auditor', (r) => r.send({ verified: true, note: '周知の記録を確認した' })),
        200,
      );
      const manual = await call('post', '/api/v1/findings', 'security_officer', (r) =>
        r.send({ title: '画面ロックの設定漏れ', severity: 'low', ownerDepartmentId: department, controlIds: [] }),
      );
      expectStatus(manual, 201);
      expectStatus(
        await call('post', `/api/v1/findings/${manual.body.id as string}/corrective-actions`, 'manager', (r) =>
          r.send({ description: '画面ロックを5分に設定する', assigneeId: people.manager.staff.id, dueDate: '2030-06-30' }),
        ),
        201,
      );
      // escalation policies: the security office makes and changes them
      const policy = await call('post', '/api/v1/escalation-policies', 'security_officer', (r) =>
        r.send({
          key: 'contract-l3',
          name: '深刻（L3）',
          triggers: ['L3'],
          webhookUrl: 'https://chat.example/hooks/l3',
          levels: [{ recipients: { roles: ['ciso'], reporterManager: true }, channels: ['in_app', 'email', 'webhook'], timeoutMinutes: 10, repeat: 2 }],
        }),
      );
      expectStatus(policy, 201);
      escalationPolicyId = policy.body.id as string;
      expectStatus(await call('patch', `/api/v1/escalation-policies/${escalationPolicyId}`, 'security_officer', (r) => r.send({ name: '深刻' })), 200);
    });

    /** the audit every reader's GET reads (of the manager's department, led by the auditor) and an item of it */
    let auditId = '';
    let auditItemId = '';

    it('audits: plan, change, start, answer (raising a finding), a self-inspection signed off, report, the CISO accepts', async () => {
      const fiscalYear = fiscalYearOf(tokyoToday());
      const plan = (fields: object) => ({
        fiscalYear,
        kind: 'internal_audit',
        title: '内部監査',
        scope: { chapters: [9], departmentIds: [department] },
        leadAuditorId: people.auditor.staff.id,
        plannedStart: tokyoToday(),
        plannedEnd: tokyoToday(),
        ...fields,
      });
      const planned = await call('post', '/api/v1/audits', 'security_officer', (r) => r.send(plan({})));
      expectStatus(planned, 201);
      auditId = planned.body.id as string;
      expectStatus(await call('patch', `/api/v1/audits/${auditId}`, 'security_officer', (r) => r.send({ title: '情報セキュリティ内部監査' })), 200);
      expectStatus(await call('post', `/api/v1/audits/${auditId}/start`, 'auditor'), 200);
      const items = (await call('get', `/api/v1/audits/${auditId}/checklist`, 'auditor')).body.items as { id: string }[];
      auditItemId = items[0]!.id;
      expectStatus(
        await call('put', `/api/v1/audits/${auditId}/checklist/${auditItemId}`, 'auditor', (r) =>
          r.send({ result: 'minor_nonconformity', note: '自己点検の記録が一部ない' }),
        ),
        200,
      );
      await t.dataSource.query(`UPDATE audit_checklist_items SET result = 'conformant' WHERE audit_id = $1 AND result IS NULL`, [auditId]);
      expectStatus(await call('post', `/api/v1/audits/${auditId}/report`, 'auditor', (r) => r.send({ summary: '概ね適切' })), 200);
      expectStatus(await call('post', `/api/v1/audits/${auditId}/acceptance`, 'ciso', (r) => r.send({ accepted: true })), 200);

      const inspection = await call('post', '/api/v1/audits', 'security_officer', (r) =>
        r.send(plan({ kind: 'self_inspection', title: '自己点検', leadAuditorId: people.security_officer.staff.id })),
      );
      expectStatus(await call('post', `/api/v1/audits/${inspection.body.id as string}/start`, 'security_officer'), 200);
      const mine = (await call('get', `/api/v1/audits/${inspection.body.id as string}/checklist?pageSize=200`, 'manager')).body.items as { id: string }[];
      for (const item of mine)
        expectStatus(
          await call('put', `/api/v1/audits/${inspection.body.id as string}/checklist/${item.id}`, 'manager', (r) => r.send({ result: 'conformant' })),
          200,
        );
      expectStatus(await call('post', `/api/v1/audits/${inspection.body.id as string}/sign-offs`, 'manager', (r) => r.send({ departmentId: department })), 200);
    });

    it('findings carried over: the open finding of this fiscal year is listed as carried into the next one, the verified one is not', async () => {
      const next = fiscalYearOf(tokyoToday()) + 1;
      const carried = await call('get', `/api/v1/findings/carried-over?fiscalYear=${next}&page=1&pageSize=20`, 'manager');
      expectStatus(carried, 200);
      expect(carried.body).toMatchObject({ fiscalYear: next, page: 1, pageSize: 20 });
      const ids = (carried.body.items as { id: string; actions: unknown[] }[]).map((item) => item.id);
      expect(ids).not.toContain(findingId);
      expect(carried.body.total).toBeGreaterThan(0);
      expect(carried.body.items[0].actions.length).toBeGreaterThan(0);
    });

    it('training figures: completion by every grouping, the not-completed and exempt lists, and their exports', async () => {
      const fiscalYear = new Date().getFullYear();
      for (const groupBy of ['department', 'course', 'role', 'employment_type', 'fiscal_year']) {
        const figures = await call('get', `/api/v1/training/completion?fiscalYear=${fiscalYear}&groupBy=${groupBy}`, 'security_officer');
        expectStatus(figures, 200);
        expect(figures.body.totals.enrolled).toBeGreaterThan(0);
      }
      const listed = await call('get', `/api/v1/training/not-completed?fiscalYear=${fiscalYear}&pageSize=5`, 'manager');
      expectStatus(listed, 200);
      expect(listed.body.total).toBeGreaterThan(0);
      expectStatus(await call('get', `/api/v1/training/not-completed?fiscalYear=${fiscalYear}&state=exempt`, 'ciso'), 200);
      for (const file of ['completion.xlsx', 'completion.csv', 'not-completed.xlsx', 'not-completed.csv'])
        expectStatus(await call('get', `/api/v1/training/${file}?fiscalYear=${fiscalYear}&lang=en`, 'security_officer'), 200);
    });

    /** the reported audit whose report every reader's GET reads (its department's manager, its lead auditor, the office, the CISO) */
    let reportedAuditId = '';

    it('audit reports: an audit of the department planned, started, answered and reported; its report, its workbook, the trend', async () => {
      const today = tokyoToday();
      const planned = await call('post', '/api/v1/audits', 'security_officer', (r) =>
        r.send({
          fiscalYear: fiscalYearOf(today),
          kind: 'internal_audit',
          title: '契約確認の監査',
          scope: { controlIds: [control.id], departmentIds: [department] },
          leadAuditorId: people.auditor.staff.id,
          plannedStart: today,
          plannedEnd: today,
        }),
      );
      expectStatus(planned, 201);
      reportedAuditId = planned.body.id as string;
      expectStatus(await call('post', `/api/v1/audits/${reportedAuditId}/start`, 'security_officer'), 200);
      const checklist = await call('get', `/api/v1/audits/${reportedAuditId}/checklist`, 'auditor');
      const itemId = (checklist.body.items as { id: string }[])[0]!.id;
      expectStatus(
        await call('put', `/api/v1/audits/${reportedAuditId}/checklist/${itemId}`, 'auditor', (r) => r.send({ result: 'observation', note: '様式が古い' })),
        200,
      );
      expectStatus(await call('post', `/api/v1/audits/${reportedAuditId}/report`, 'auditor', (r) => r.send({ summary: '概ね適切' })), 200);
      const report = await call('get', `/api/v1/audits/${reportedAuditId}/report`, 'manager');
      expectStatus(report, 200);
      expect(report.body.overall).toMatchObject({ items: 1, applicable: 1, rate: 1 });
      expectStatus(await call('get', `/api/v1/audits/${reportedAuditId}/report.xlsx?lang=en`, 'security_officer'), 200);
      expectStatus(await call('get', '/api/v1/audits/trend?kind=internal_audit', 'ciso'), 200);
    });

    /** an internal audit of the department, in progress, with an item that has an evidence file (every reader of audits sees it) */
    let evidenceAuditId = '';
    let evidenceItemId = '';
    let checklistEvidenceId = '';

    it('audits: checklist evidence attached by the team, listed and downloaded', async () => {
      const today = tokyoToday();
      const planned = await call('post', '/api/v1/audits', 'security_officer', (r) =>
        r.send({
          fiscalYear: fiscalYearOf(today),
          kind: 'internal_audit',
          title: '内部監査（契約の試験）',
          scope: { controlIds: [control.id], departmentIds: [department] },
          leadAuditorId: people.auditor.staff.id,
          plannedStart: today,
          plannedEnd: today,
        }),
      );
      expectStatus(planned, 201);
      evidenceAuditId = planned.body.id as string;
      expectStatus(await call('post', `/api/v1/audits/${evidenceAuditId}/start`, 'security_officer'), 200);
      const checklist = await call('get', `/api/v1/audits/${evidenceAuditId}/checklist`, 'auditor');
      expectStatus(checklist, 200);
      evidenceItemId = checklist.body.items[0].id as string;
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
      const added = await call('post', `/api/v1/audits/${evidenceAuditId}/checklist/${evidenceItemId}/evidence`, 'auditor', (r) =>
        r.attach('file', pdf, { filename: '入退室管理簿.pdf', contentType: 'application/pdf' }),
      );
      expectStatus(added, 201);
      checklistEvidenceId = added.body.id as string;
    });

    it('drills: scheduled with every role invited, changed, another cancelled; the invitation', async () => {
      const body = {
        scenarioId,
        kind: 'tabletop',
        title: '机上訓練（契約の試験）',
        startsAt: '2026-12-10T10:00:00+09:00',
        endsAt: '2026-12-10T11:30:00+09:00',
        location: '第1会議室',
        facilitatorId: people.security_officer.staff.id,
        invitees: { roles: ['staff', 'manager', 'auditor', 'csirt', 'ciso', 'admin', 'security_officer'] },
      };
      const scheduled = await call('post', '/api/v1/drills', 'security_officer', (r) => r.send(body));
      expectStatus(scheduled, 201);
      planDrillId = scheduled.body.id as string;
      expectStatus(await call('patch', `/api/v1/drills/${planDrillId}`, 'security_officer', (r) => r.send({ location: '第2会議室' })), 200);
      const other = await call('post', '/api/v1/drills', 'security_officer', (r) => r.send({ ...body, title: '中止する訓練' }));
      expectStatus(other, 201);
      expectStatus(await call('post', `/api/v1/drills/${other.body.id as string}/cancel`, 'security_officer', (r) => r.send({ reason: '試験' })), 200);
    });

    it('drills: one run live (start, roll, steps, injects, finish, lessons, a finding), one entered from paper', async () => {
      const body = {
        scenarioId,
        kind: 'functional',
        title: '機能訓練（契約の試験）',
        startsAt: '2026-04-10T10:00:00+09:00',
        endsAt: '2026-04-10T11:30:00+09:00',
        facilitatorId: people.security_officer.staff.id,
        invitees: { roles: ['staff', 'manager'] },
      };
      const live = await call('post', '/api/v1/drills', 'security_officer', (r) => r.send(body));
      expectStatus(live, 201);
      const id = live.body.id as string;
      runDrillId = id;
      expectStatus(await call('post', `/api/v1/drills/${id}/start`, 'security_officer'), 200);
      expectStatus(await call('put', `/api/v1/drills/${id}/attendance`, 'security_officer', (r) => r.send({ presentStaffIds: [people.staff.staff.id] })), 200);
      expectStatus(await call('post', `/api/v1/drills/${id}/steps/1/done`, 'security_officer', (r) => r.send({ note: '確認' })), 200);
      expectStatus(await call('post', `/api/v1/drills/${id}/steps/2/done`, 'security_officer', (r) => r.send({})), 200);
      expectStatus(await call('delete', `/api/v1/drills/${id}/steps/2/done`, 'security_officer'), 204);
      expectStatus(await call('post', `/api/v1/drills/${id}/events`, 'security_officer', (r) => r.send({ kind: 'inject', text: '停電' })), 201);
      expectStatus(await call('post', `/api/v1/drills/${id}/finish`, 'security_officer', (r) => r.send({})), 200);
      expectStatus(await call('put', `/api/v1/drills/${id}/lessons`, 'security_officer', (r) => r.send({ lessons: '連絡網を更新する' })), 200);
      const finding = { title: '連絡網が古い', severity: 'low', ownerDepartmentId: department, controlIds: [] };
      expectStatus(await call('post', `/api/v1/drills/${id}/findings`, 'security_officer', (r) => r.send(finding)), 201);
      const paper = await call('post', '/api/v1/drills', 'security_officer', (r) => r.send({ ...body, title: '紙の訓練' }));
      expectStatus(paper, 201);
      const record = {
        startedAt: '2026-04-10T10:00',
        finishedAt: '2026-04-10T11:00',
        presentStaffIds: [people.staff.staff.id],
        steps: [{ position: 1, doneAt: '2026-04-10T10:05', note: '紙' }],
        events: [{ kind: 'problem', text: '電話がつながらない', occurredAt: '2026-04-10T10:20' }],
      };
      expectStatus(await call('put', `/api/v1/drills/${paper.body.id as string}/paper-record`, 'security_officer', (r) => r.send(record)), 200);
    });

    it('the response plan’s versions: the CISO approves version 1; the office edits the text and a playbook; a proposal from the drill', async () => {
      expectStatus(await call('post', '/api/v1/response-plan/versions/1/approve', 'ciso'), 200);
      expectStatus(
        await call('put', '/api/v1/response-plan/draft', 'security_officer', (r) => r.send({ body: '# 緊急時対応計画（試験）\n', changeNote: '試験' })),
        200,
      );
      const scenario = await call('get', `/api/v1/scenarios/${scenarioId}`, 'security_officer');
      const steps = (scenario.body.steps as { phase: string; action: string; role: string; targetMinutes: number }[]).map(
        ({ phase, action, role, targetMinutes }, i) => ({ phase, action: i === 0 ? `${action}（試験）` : action, role, targetMinutes }),
      );
      expectStatus(await call('put', `/api/v1/scenarios/${scenarioId}/draft`, 'security_officer', (r) => r.send({ steps, changeNote: '試験' })), 200);
      const proposal = { position: 1, action: '試験の文言', reason: '試験' };
      expectStatus(await call('post', `/api/v1/drills/${runDrillId}/proposals`, 'security_officer', (r) => r.send(proposal)), 201); // a drill held
    });

    it('calendar subscription: made (its address shown once), made anew, stopped; one left in use', async () => {
      expectStatus(await call('post', '/api/v1/me/calendar-feed', 'staff'), 201);
      expectStatus(await call('post', '/api/v1/me/calendar-feed', 'staff'), 201);
      expectStatus(await call('delete', '/api/v1/me/calendar-feed', 'staff'), 204);
      expectStatus(await call('post', '/api/v1/me/calendar-feed', 'manager'), 201);
    });

    it('indicators: a manual value entered, FY2025 closed by the CISO, reopened with a reason', async () => {
      const value = { value: 4620, sourceNote: 'LINE公式アカウント管理画面' };
      expectStatus(await call('put', '/api/v1/indicators/line_subscribers/values/2025', 'security_officer', (r) => r.send(value)), 200);
      expectStatus(await call('post', '/api/v1/fiscal-years/2025/close', 'ciso', (r) => r.send({ note: '試験' })), 200);
      expectStatus(await call('post', '/api/v1/fiscal-years/2025/reopen', 'ciso', (r) => r.send({ reason: '試験' })), 200);
    });

    it('answers every GET route to every role that may call it, as documented', async () => {
      const subject = (path: string, role: Role): string =>
        path
          .replace('/staff/{id}', `/staff/${people[role].staff.id}`) // everyone may read themselves
          .replace('/role-requests/{id}', `/role-requests/${roleRequestAbout[role] ?? roleRequestAbout.staff}`) // the office reads any
          .replace('/departments/{id}', `/departments/${department}`)
          .replace('/policies/{id}', `/policies/${standards.id}`)
          .replace('/versions/{v}', '/versions/1')
          .replace('/controls/{id}', `/controls/${control.id}`)
          .replace('/training/courses/{id}/drill-results', `/training/courses/${drillId}/drill-results`) // a drill: only they have results
          .replace('/training/courses/{id}', `/training/courses/${courseId}`)
          .replace('/training/enrolments/{id}', `/training/enrolments/${enrolmentOf[role]}`) // each role its own
          .replace('/incidents/{id}/attachments/{attachmentId}', `/incidents/{id}/attachments/${incidentAttachmentOf[role]}`) // each role its own file
          .replace('{attachmentId}', attachmentId)
          .replace(/^(\/api\/v1\/training\/(?:completion|not-completed)(?:\.xlsx|\.csv)?)$/, '$1?fiscalYear=2022') // the figures need a fiscal year
          .replace('/incidents/{id}/external-reports/{reportId}', `/incidents/${reportOf.incidentId}/external-reports/${reportOf.id}`) // the one with reports
          .replace('/incidents/{id}', `/incidents/${incidentOf[role]}`) // each role its own report
          .replace(/^(\/api\/v1\/incidents\/figures(?:\.xlsx)?)$/, '$1?fiscalYear=2022') // the incident figures need a fiscal year
          .replace('/findings/{id}', `/findings/${findingId}`) // the manager's department's
          .replace(/^\/api\/v1\/audits\/\{id\}\/report(\.xlsx)?$/, `/api/v1/audits/${reportedAuditId}/report$1`) // the audit of the manager's department, led by the auditor
          .replace(
            /^\/api\/v1\/audits\/\{id\}\/checklist\/\{itemId\}\/evidence(\/\{evidenceId\})?$/,
            (_, one?: string) => `/api/v1/audits/${evidenceAuditId}/checklist/${evidenceItemId}/evidence${one ? `/${checklistEvidenceId}` : ''}`,
          ) // the item with a file
          .replace('/audits/{id}', `/audits/${auditId}`) // of the manager's department, led by the auditor
          .replace('{itemId}', auditItemId)
          .replace('/escalation-policies/{id}', `/escalation-policies/${escalationPolicyId}`)
          .replace('/scenarios/{id}', `/scenarios/${scenarioId}`)
          .replace(/^(\/api\/v1\/response-plan\/figures)$/, '$1?fiscalYear=2026') // the drill figures need a fiscal year
          .replace('/drills/{id}', `/drills/${planDrillId}`) // every role is invited
          .replace('/indicators/{code}', '/indicators/training_completion')
          .replace('{evidenceId}', evidenceId)
          .replace(/^(\/api\/v1\/reports\/annual)$/, '$1?fiscalYear=2022'); // the annual report needs a fiscal year
      const refused: string[] = [];
      let calls = 0;
      for (const { path, op } of operations().filter((o) => o.method === 'get')) {
        const roles = op['x-roles'] ?? [];
        for (const role of roles.includes('public') ? [null] : (roles as Role[])) {
          const url = subject(path, role ?? 'staff') + (path.endsWith('/acknowledgements') ? '?items=true' : '');
          const response = await call('get', url, role);
          calls++;
          if (response.status !== 200) refused.push(`${url} as ${role ?? 'nobody'}: ${response.status} ${response.text.slice(0, 200)}`);
        }
      }
      expect(refused).toEqual([]);
      expect(calls).toBeGreaterThan(60);
      expect([...new Set(t.contract.violations)]).toEqual([]);
    });

    it('answered every operation of the document with a documented success, and nothing against the document', () => {
      const answered = new Set(t.contract.checked.filter((c) => / → 2\d\d$/.test(c)).map((c) => c.replace(/ → \d+$/, '')));
      const missing = operations()
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
        .filter((operation) => !answered.has(operation));
      expect(missing).toEqual([]);
      expect([...new Set(t.contract.violations)]).toEqual([]);
    });

    it('shows no stored hash, sealed secret, internal field or evidence content in any body', async () => {
      const rows = (await t.dataSource.query(
        `SELECT password_hash AS v FROM staff WHERE password_hash IS NOT NULL
         UNION ALL SELECT totp_secret FROM staff WHERE totp_secret IS NOT NULL
         UNION ALL SELECT totp_pending_secret FROM staff WHERE totp_pending_secret IS NOT NULL
         UNION ALL SELECT token_hash FROM refresh_tokens
         UNION ALL SELECT code_hash FROM recovery_codes
         UNION ALL SELECT token_hash FROM password_tokens
         UNION ALL SELECT token_hash FROM calendar_feeds`,
      )) as { v: string }[];
      const secrets = rows.map((r) => r.v.trim());
      expect(secrets.length).toBeGreaterThan(ROLES_UNDER_TEST.length * 2);
      expect(bodies.length).toBeGreaterThan(80);
      bodies.splice(0, bodies.length, ...bodies.filter(({ label }) => !/\/invite\.ics /.test(label))); // an iCalendar invitation is not JSON
      const found = bodies.flatMap(({ label, text }) => {
        const body = text ? (JSON.parse(text) as unknown) : null;
        return [...findInternals(body, secrets), ...(text.includes(EVIDENCE_MARKER) ? ['$: evidence content'] : [])].map((f) => `${label}: ${f}`);
      });
      expect(found).toEqual([]);
    });
  });
});

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
