import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { systemActor } from '../../src/common/actor.js';
import { randomToken } from '../../src/common/secrets.js';
import { projectRoot } from '../../src/database/project-root.js';
import { EscalationService } from '../../src/incidents/escalation.service.js';
import { EscalationPoliciesSync } from '../../src/incidents/escalation-policies.sync.js';
import { EscalationPolicy } from '../../src/incidents/escalation-policy.entity.js';
import { formatPolicyFileError, PolicyFilesInvalidError } from '../../src/policies/policy-files.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox } from '../support/mail.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';

/** Escalation policies as data: the API's rules, the snapshot a climb keeps, `escalation:sync` of policies/escalation.yaml, the pages, "my page". */
describe('escalation policies', () => {
  let t: TestApp;
  let org: string;
  let officer: TestPerson;
  let csirt: TestPerson;
  let csirt2: TestPerson;
  let ciso: TestPerson;
  let manager: TestPerson;
  let reporter: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const csrf = randomToken(32);

  const api = (person: TestPerson) => ({
    get: (url: string) =>
      request(t.http)
        .get(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    post: (url: string, body: object) =>
      request(t.http)
        .post(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`)
        .send(body),
    patch: (url: string, body: object) =>
      request(t.http)
        .patch(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`)
        .send(body),
  });
  const page = (person: TestPerson, path: string) =>
    request(t.http)
      .get(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${csrf}` });
  const postForm = (person: TestPerson, path: string, body: Record<string, string | string[]>) =>
    request(t.http)
      .post(path)
      .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.get(person)}; mamori_csrf=${csrf}` })
      .type('form')
      .send({ _csrf: csrf, ...body });
  const level = (overrides: object = {}) => ({ recipients: { roles: ['csirt'] }, channels: ['in_app', 'email'], timeoutMinutes: 15, repeat: 1, ...overrides });
  const policyCount = async () => Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM escalation_policies`)) as { n: number }[])[0]!.n);
  const deliverAll = async () => {
    const mails = [];
    for (let round = 0; round < 4; round++) mails.push(...(await deliverOutbox(t)));
    return mails;
  };
  /** the error summary of a refused form */
  const summary = (html: string): string => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'escalation-town');
    const somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: joho.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    csirt2 = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: joho.id });
    manager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    reporter = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    for (const person of [officer, csirt, csirt2, ciso, manager, reporter]) tokens.set(person, (await signIn(t, person)).accessToken);
  });
  afterAll(() => t.close());

  it('lets the responders and the CISO read the policies, only the security office change them', async () => {
    for (const person of [reporter, manager]) await api(person).get('/api/v1/escalation-policies').expect(403);
    for (const person of [csirt, ciso, officer]) await api(person).get('/api/v1/escalation-policies').expect(200);
    const body = { key: 'nobody', name: 'x', triggers: [], levels: [level()] };
    for (const person of [csirt, ciso, reporter]) await api(person).post('/api/v1/escalation-policies', body).expect(403);
    expect(await policyCount()).toBe(0);
  });

  it('refuses a policy that cannot work, naming the field, and writes nothing', async () => {
    const valid = { key: 'l2', name: '重大（L2）', triggers: ['L2'], levels: [level()] };
    const refused = async (body: object, field: string, code = 'VALIDATION_FAILED') => {
      const response = await api(officer).post('/api/v1/escalation-policies', body).expect(400);
      expect(response.body.code).toBe(code);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await refused({ ...valid, levels: [] }, 'levels');
    await refused({ ...valid, levels: Array.from({ length: 11 }, () => level()) }, 'levels');
    await refused({ ...valid, levels: [level({ recipients: {} })] }, 'levels.0.recipients', 'ESCALATION_POLICY_INVALID');
    await refused(
      { ...valid, levels: [level({ recipients: { roles: [], staffIds: [], reporterManager: false } })] },
      'levels.0.recipients',
      'ESCALATION_POLICY_INVALID',
    );
    await refused({ ...valid, levels: [level({ recipients: { roles: ['staff'] } })] }, 'levels.0.recipients.roles');
    await refused({ ...valid, levels: [level(), level({ channels: [] })] }, 'levels.1.channels');
    await refused({ ...valid, levels: [level({ channels: ['pager'] })] }, 'levels.0.channels');
    for (const timeoutMinutes of [0, -1, 1441, '5', null]) await refused({ ...valid, levels: [level({ timeoutMinutes })] }, 'levels.0.timeoutMinutes');
    for (const repeat of [0, 11, 1.5]) await refused({ ...valid, levels: [level({ repeat })] }, 'levels.0.repeat');
    for (const webhookUrl of ['ftp://chat.example/hook', 'javascript:alert(1)', 'chat.example/hook', `https://chat.example/${'x'.repeat(500)}`])
      await refused({ ...valid, webhookUrl }, 'webhookUrl');
    await refused({ ...valid, levels: [level({ channels: ['webhook'] })] }, 'webhookUrl', 'ESCALATION_POLICY_INVALID');
    await refused({ ...valid, triggers: ['L2', 'L2'] }, 'triggers');
    await refused({ ...valid, triggers: ['L4'] }, 'triggers');
    await refused({ ...valid, key: 'Bad Key' }, 'key');
    await refused(
      { ...valid, levels: [level({ recipients: { staffIds: ['7d0f3c56-0c8c-4a1e-9a57-8f2c7c1d9e01'] } })] },
      'levels.0.recipients.staffIds',
      'ESCALATION_POLICY_INVALID',
    );
    expect(await policyCount()).toBe(0);

    // seconds are minutes with decimals; a named person; the webhook's address only to the security office
    const made = await api(officer)
      .post('/api/v1/escalation-policies', {
        ...valid,
        webhookUrl: 'http://127.0.0.1:9/hook',
        levels: [
          level({ timeoutMinutes: 0.05, channels: ['in_app', 'webhook'] }),
          level({ recipients: { staffIds: [ciso.staff.id], reporterManager: true }, repeat: 3 }),
        ],
      })
      .expect(201);
    expect(made.body).toMatchObject({
      key: 'l2',
      revision: 1,
      active: true,
      webhookUrl: 'http://127.0.0.1:9/hook',
      hasWebhook: true,
      levels: [
        { recipients: { roles: ['csirt'], staffIds: [], reporterManager: false }, channels: ['in_app', 'webhook'], timeoutMinutes: 0.05, repeat: 1 },
        { recipients: { roles: [], staffIds: [ciso.staff.id], reporterManager: true }, repeat: 3 },
      ],
    });
    const read = (await api(csirt).get(`/api/v1/escalation-policies/${made.body.id}`).expect(200)).body;
    expect(read).toMatchObject({ webhookUrl: null, hasWebhook: true });
    await api(csirt).get('/api/v1/escalation-policies/7d0f3c56-0c8c-4a1e-9a57-8f2c7c1d9e01').expect(404);

    // one active policy per trigger, one policy per key
    const taken = await api(officer)
      .post('/api/v1/escalation-policies', { ...valid, key: 'other', triggers: ['L3', 'L2'] })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'ESCALATION_TRIGGER_TAKEN', trigger: 'L2', policyKey: 'l2' });
    expect(
      (
        await api(officer)
          .post('/api/v1/escalation-policies', { ...valid, triggers: ['L3'] })
          .expect(409)
      ).body.code,
    ).toBe('ESCALATION_POLICY_KEY_TAKEN');
    // an inactive policy holds no trigger
    await api(officer)
      .post('/api/v1/escalation-policies', { ...valid, key: 'l2-draft', active: false })
      .expect(201);
    expect(await policyCount()).toBe(2);
  });

  it('makes a new revision when what a climb runs on changes, not for a new name; a trigger is freed by deactivating', async () => {
    const { items } = (await api(officer).get('/api/v1/escalation-policies').expect(200)).body as { items: { id: string; key: string; revision: number }[] };
    const l2 = items.find((p) => p.key === 'l2')!;
    const draft = items.find((p) => p.key === 'l2-draft')!;
    expect((await api(officer).patch(`/api/v1/escalation-policies/${l2.id}`, { name: '重大' }).expect(200)).body.revision).toBe(1);
    expect(
      (
        await api(officer)
          .patch(`/api/v1/escalation-policies/${l2.id}`, { levels: [level({ repeat: 2 })], webhookUrl: null })
          .expect(200)
      ).body,
    ).toMatchObject({
      revision: 2,
      hasWebhook: false,
    });
    expect(
      (
        await api(officer)
          .patch(`/api/v1/escalation-policies/${l2.id}`, { levels: [level({ repeat: 2 })] })
          .expect(200)
      ).body.revision,
    ).toBe(2);
    // a webhook level needs the address, also when only the address is taken away
    await api(officer)
      .patch(`/api/v1/escalation-policies/${l2.id}`, { levels: [level({ channels: ['webhook'] })], webhookUrl: 'https://chat.example/h' })
      .expect(200);
    expect((await api(officer).patch(`/api/v1/escalation-policies/${l2.id}`, { webhookUrl: null }).expect(400)).body.code).toBe('ESCALATION_POLICY_INVALID');
    expect((await api(officer).patch(`/api/v1/escalation-policies/${draft.id}`, { active: true }).expect(409)).body.code).toBe('ESCALATION_TRIGGER_TAKEN');
    expect((await api(officer).patch(`/api/v1/escalation-policies/${l2.id}`, { active: false }).expect(200)).body.revision).toBe(4);
    await api(officer).patch(`/api/v1/escalation-policies/${draft.id}`, { active: true }).expect(200);
    await api(csirt).patch(`/api/v1/escalation-policies/${draft.id}`, { name: 'x' }).expect(403);
    const audited = (await t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_trail WHERE entity_type = 'escalation_policy' GROUP BY action ORDER BY action`,
    )) as {
      action: string;
      n: number;
    }[];
    expect(audited).toEqual([
      { action: 'escalation_policy.create', n: 2 },
      { action: 'escalation_policy.update', n: 5 },
    ]);
  });

  let climbingIncident: { id: string; reference: string };
  it('keeps a running climb on its snapshot: the policy edited mid-climb, the next level still tells the snapshot’s people', async () => {
    const made = await api(officer)
      .post('/api/v1/escalation-policies', {
        key: 'l1',
        name: '軽微（L1）',
        nameEn: 'Minor (L1)',
        triggers: ['L1'],
        levels: [level(), level({ recipients: { roles: ['ciso'] }, channels: ['email'] })],
      })
      .expect(201);
    climbingIncident = (await api(reporter).post('/api/v1/incidents', { title: '誤送信', description: 'メールを誤って送信した' }).expect(201)).body;
    await api(csirt)
      .post(`/api/v1/incidents/${climbingIncident.id}/transitions`, { to: 'triaged', reason: '判定', severity: 'L1', category: 'mis_sent_mail' })
      .expect(200);
    const first = await deliverAll();
    const told = (mails: typeof first) => mails.filter((m) => m.subject.includes(climbingIncident.reference) && m.subject.includes('段階'));
    expect(
      told(first)
        .map((m) => m.to)
        .sort(),
    ).toEqual([csirt.email, csirt2.email].sort());

    // edited while the climb waits on level 1: level 2 now names the security office only
    const edited = await api(officer)
      .patch(`/api/v1/escalation-policies/${made.body.id}`, { levels: [level(), level({ recipients: { roles: ['security_officer'] }, channels: ['email'] })] })
      .expect(200);
    expect(edited.body.revision).toBe(2);
    const [climb] = (await t.dataSource.query(`SELECT id, policy FROM escalation_climbs WHERE incident_id = $1 AND stopped_at IS NULL`, [
      climbingIncident.id,
    ])) as {
      id: string;
      policy: { revision: number };
    }[];
    expect(climb!.policy.revision).toBe(1);
    // the snapshot keeps the English name: English pages show it, Japanese pages the Japanese one
    expect(climb!.policy).toMatchObject({ name: '軽微（L1）', nameEn: 'Minor (L1)' });
    const incidentPage = (lang: string) =>
      page(csirt, `/incidents/${climbingIncident.id}`)
        .set('Cookie', `mamori_at=${tokens.get(csirt)}; mamori_lang=${lang}`)
        .expect(200)
        .then((r) => r.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
    const english = await incidentPage('en');
    expect(english).toContain('Minor (L1)');
    expect(english).not.toContain('軽微（L1）');
    expect(await incidentPage('ja')).not.toContain('Minor (L1)');
    // a snapshot taken before the English name was kept: the Japanese name
    await t.dataSource.query(`UPDATE escalation_climbs SET policy = policy - 'nameEn' WHERE id = $1`, [climb!.id]);
    expect(await incidentPage('en')).toContain('軽微（L1）');
    await t.dataSource.query(`UPDATE escalation_climbs SET policy = policy || jsonb_build_object('nameEn', 'Minor (L1)') WHERE id = $1`, [climb!.id]);
    await t.dataSource.query(`UPDATE escalation_climbs SET next_due_at = now() - interval '2 seconds' WHERE id = $1`, [climb!.id]);
    expect(await t.get(EscalationService).checkDue()).toBe(1);
    const second = told(await deliverAll());
    expect(second.map((m) => m.to)).toEqual([ciso.email]);
    expect(second[0]!.subject).toContain('第2段階');

    // a climb that starts now runs on the new revision
    const later = (await api(reporter).post('/api/v1/incidents', { title: '紛失', description: 'USB メモリを紛失' }).expect(201)).body;
    await api(csirt).post(`/api/v1/incidents/${later.id}/transitions`, { to: 'triaged', reason: '判定', severity: 'L1', category: 'lost_device' }).expect(200);
    const [laterClimb] = (await t.dataSource.query(`SELECT policy FROM escalation_climbs WHERE incident_id = $1`, [later.id])) as {
      policy: { revision: number };
    }[];
    expect(laterClimb!.policy.revision).toBe(2);
    await api(csirt).post(`/api/v1/incidents/${later.id}/acknowledge`, {}).expect(200);
  });

  it('lists on "my page" the incidents a running climb told me in the app, until acknowledged', async () => {
    const mine = await page(csirt, '/').expect(200);
    expect(mine.text).toContain(`href="/incidents/${climbingIncident.id}"`);
    expect(mine.text).toContain(climbingIncident.reference);
    expect(mine.text).toContain('インシデント連絡');
    // level 2 told the CISO by e-mail only; the reporter was told nothing
    expect((await page(ciso, '/').expect(200)).text).not.toContain(`href="/incidents/${climbingIncident.id}"`);
    expect((await page(reporter, '/').expect(200)).text).not.toContain(`href="/incidents/${climbingIncident.id}"`);
    await api(csirt2).post(`/api/v1/incidents/${climbingIncident.id}/acknowledge`, { note: '対応します' }).expect(200);
    expect((await page(csirt, '/').expect(200)).text).not.toContain(`href="/incidents/${climbingIncident.id}"`);
  });

  describe('pages', () => {
    it('show the menu entry and the policies to those who may read them, the form to the security office only', async () => {
      expect((await page(csirt, '/').expect(200)).text).toContain('href="/escalation-policies"');
      expect((await page(reporter, '/').expect(200)).text).not.toContain('href="/escalation-policies"');
      await page(reporter, '/escalation-policies').expect(403);
      await page(manager, '/escalation-policies').expect(403);
      const listed = await page(csirt, '/escalation-policies').expect(200);
      expect(listed.text).toContain('軽微（L1）');
      expect(listed.text).not.toContain('href="/escalation-policies/new"');
      expect((await page(officer, '/escalation-policies').expect(200)).text).toContain('href="/escalation-policies/new"');
      const l1 = (await t.dataSource.getRepository(EscalationPolicy).findOneByOrFail({ organizationId: org, key: 'l1' })).id;
      const shown = await page(ciso, `/escalation-policies/${l1}`).expect(200);
      expect(shown.text).toContain('第2段階');
      expect(shown.text).toContain('情報セキュリティ担当');
      expect(shown.text).not.toContain(`href="/escalation-policies/${l1}/edit"`);
      await page(csirt, '/escalation-policies/new').expect(403);
      await page(ciso, `/escalation-policies/${l1}/edit`).expect(403);
      await postForm(csirt, `/escalation-policies/${l1}/edit`, { name: 'x' }).expect(403);
    });

    let formPolicy: string;
    it('make a policy from the form, one row per level: refused with the error summary and the rows kept, then saved with a message', async () => {
      const form = await page(officer, '/escalation-policies/new').expect(200);
      expect(form.text.match(/name="timeoutMinutes"/g)).toHaveLength(3);
      const body = {
        key: 'l3-form',
        name: '深刻（フォーム）',
        triggers: ['L3'],
        roles: ['0:ciso'],
        channels: ['0:email', '1:email'],
        reporterManager: [] as string[],
        staffEmails: ['', '', ''],
        timeoutMinutes: ['', '10', ''],
        repeat: ['1', '１', ''],
        webhookUrl: '',
        active: '1',
      };
      const refused = await postForm(officer, '/escalation-policies/new', body).expect(400);
      expect(refused.text).toMatch(/<title>エラー：/);
      expect(summary(refused.text)).toContain('第1段階：確認を待つ時間');
      expect(summary(refused.text)).toContain('第2段階：連絡先を1つ以上');
      expect(summary(refused.text)).toContain('href="#level-1-timeoutMinutes"');
      expect(refused.text).toMatch(/id="level-1-timeoutMinutes"[^>]*aria-invalid="true"/);
      expect(refused.text).toContain('value="l3-form"');
      expect(refused.text).toMatch(/value="1:email" checked/);
      expect(await t.dataSource.getRepository(EscalationPolicy).existsBy({ key: 'l3-form' })).toBe(false);

      const saved = await postForm(officer, '/escalation-policies/new', {
        ...body,
        roles: ['0:ciso', '1:security_officer'],
        reporterManager: ['1'],
        channels: ['0:email', '0:in_app', '1:email'],
        staffEmails: ['', ` ${csirt2.email.toUpperCase()}\n`, ''],
        timeoutMinutes: ['０.５', '10', ''],
      }).expect(303);
      expect(saved.headers['set-cookie']?.toString()).toContain('mamori_flash=notice.escalationPolicyCreated');
      const policy = await t.dataSource.getRepository(EscalationPolicy).findOneByOrFail({ organizationId: org, key: 'l3-form' });
      formPolicy = policy.id;
      expect(saved.headers.location).toBe(`/escalation-policies/${policy.id}`);
      expect(policy).toMatchObject({ name: '深刻（フォーム）', triggers: ['L3'], revision: 1, active: true, webhookUrl: null });
      expect(policy.levels).toEqual([
        { recipients: { roles: ['ciso'], staffIds: [], reporterManager: false }, channels: ['in_app', 'email'], timeoutMinutes: 0.5, repeat: 1 },
        { recipients: { roles: ['security_officer'], staffIds: [csirt2.staff.id], reporterManager: true }, channels: ['email'], timeoutMinutes: 10, repeat: 1 },
      ]);
      const shown = await page(officer, `/escalation-policies/${policy.id}`)
        .set('Cookie', `mamori_at=${tokens.get(officer)}; mamori_flash=notice.escalationPolicyCreated`)
        .expect(200);
      expect(shown.text).toContain('エスカレーション方針を作成しました。');

      // one active policy per severity: the form says which holds it
      const taken = await postForm(officer, '/escalation-policies/new', {
        ...body,
        key: 'l3-again',
        timeoutMinutes: ['5', '', ''],
        repeat: ['1', '', ''],
        channels: ['0:email'],
      }).expect(409);
      expect(summary(taken.text)).toContain('L3 には有効な方針「l3-form」がすでにあります');
    });

    it('change a policy from its form, the levels filled in as they are', async () => {
      const form = await page(officer, `/escalation-policies/${formPolicy}/edit`).expect(200);
      expect(form.text).toContain(csirt2.email);
      expect(form.text).toMatch(/name="timeoutMinutes" [^>]*value="0.5"/);
      expect(form.text.match(/name="timeoutMinutes"/g)).toHaveLength(4);
      const unknown = await postForm(officer, `/escalation-policies/${formPolicy}/edit`, {
        name: '深刻',
        triggers: ['L3'],
        roles: ['0:ciso'],
        channels: ['0:email'],
        staffEmails: ['nobody@town.example', '', '', ''],
        timeoutMinutes: ['5', '', '', ''],
        repeat: ['1', '', '', ''],
        active: '1',
      }).expect(400);
      expect(summary(unknown.text)).toContain('第1段階：在職中の職員のメールアドレス');
      // an unknown address with other mistakes: one refusal naming every one of them, and nothing changed
      const several = await postForm(officer, `/escalation-policies/${formPolicy}/edit`, {
        name: '深刻',
        triggers: ['L3'],
        roles: ['0:ciso'],
        channels: ['0:email', '1:email'],
        staffEmails: ['nobody@town.example', '', '', ''],
        timeoutMinutes: ['', '10', '', ''],
        repeat: ['1', '1', '', ''],
        active: '1',
      }).expect(400);
      expect(summary(several.text)).toContain('第1段階：在職中の職員のメールアドレス');
      expect(summary(several.text)).toContain('第1段階：確認を待つ時間');
      expect(summary(several.text)).toContain('第2段階：連絡先を1つ以上');
      expect(several.text).toMatch(/id="level-1-staffEmails"[^>]*aria-invalid="true"/);
      expect(several.text).toMatch(/id="level-1-timeoutMinutes"[^>]*aria-invalid="true"/);
      expect((await t.dataSource.getRepository(EscalationPolicy).findOneByOrFail({ id: formPolicy })).revision).toBe(1);
      const changed = await postForm(officer, `/escalation-policies/${formPolicy}/edit`, {
        name: '深刻',
        triggers: ['L3'],
        roles: ['0:ciso'],
        channels: ['0:email'],
        staffEmails: ['', '', '', ''],
        timeoutMinutes: ['5', '', '', ''],
        repeat: ['1', '', '', ''],
      }).expect(303);
      expect(changed.headers['set-cookie']?.toString()).toContain('mamori_flash=notice.escalationPolicyUpdated');
      const policy = await t.dataSource.getRepository(EscalationPolicy).findOneByOrFail({ id: formPolicy });
      // not ticked: the policy is made inactive, a new revision with one level
      expect(policy).toMatchObject({ name: '深刻', revision: 2, active: false });
      expect(policy.levels).toHaveLength(1);
    });
  });

  describe('escalation:sync of policies/escalation.yaml', () => {
    let town: string;
    let named: TestPerson;
    const sync = (options: { root?: string; dryRun?: boolean } = {}) => t.get(EscalationPoliciesSync).sync(systemActor(town, 'cli'), options);
    const townPolicies = () => t.dataSource.getRepository(EscalationPolicy).find({ where: { organizationId: town }, order: { key: 'ASC' } });
    const auditCount = async () =>
      Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1`, [town])) as { n: number }[])[0]!.n);
    /** a copy of the town's file, changed */
    const folder = (change: (text: string) => string): string => {
      const dir = mkdtempSync(join(tmpdir(), 'mamori-escalation-'));
      writeFileSync(join(dir, 'escalation.yaml'), change(readFileSync(join(projectRoot(), 'policies/escalation.yaml'), 'utf8')));
      return dir;
    };
    const refusal = async (promise: Promise<unknown>): Promise<string[]> => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PolicyFilesInvalidError);
      return (error as PolicyFilesInvalidError).errors.map(formatPolicyFileError);
    };

    beforeAll(async () => {
      town = await testOrganization(t, 'sync-town');
      named = await createPerson(t, town, { roles: ['csirt'], email: 'Desk.Lead@sync-town.example' });
    });

    it('loads the town’s policies once (a dry run writes nothing), and a second run changes nothing', async () => {
      const dry = await sync({ dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, policies: { created: 4, revised: 0, unchanged: 0 } });
      expect(await townPolicies()).toEqual([]);
      expect(await sync()).toMatchObject({ dryRun: false, policies: { created: 4, revised: 0, renamed: 0, unchanged: 0 }, notInFile: [] });
      const policies = await townPolicies();
      expect(policies.map((p) => [p.key, p.triggers, p.revision, p.levels.length])).toEqual([
        ['l1-minor', ['L1'], 1, 2],
        ['l2-significant', ['L2'], 1, 2],
        ['l3-severe', ['L3'], 1, 2],
        ['untriaged', ['untriaged'], 1, 3],
      ]);
      expect(policies.find((p) => p.key === 'untriaged')!.levels[0]).toEqual({
        recipients: { roles: ['csirt'], staffIds: [], reporterManager: false },
        channels: ['in_app', 'email'],
        timeoutMinutes: 15,
        repeat: 2,
      });
      expect(policies.some((p) => (p.triggers as string[]).includes('L0'))).toBe(false); // a near miss is recorded only
      const audit = await auditCount();
      expect(await sync()).toMatchObject({ policies: { created: 0, revised: 0, renamed: 0, unchanged: 4 } });
      expect(await auditCount()).toBe(audit);
    });

    it('makes a new revision of a changed policy, resolves people by address, and leaves a renamed one’s revision', async () => {
      const root = folder((text) =>
        text
          .replace('        timeoutMinutes: 15\n', '        timeoutMinutes: 10\n')
          .replace(
            '          roles: [security_officer]\n        channels: [in_app, email]\n        timeoutMinutes: 240',
            `          staffEmails: [desk.lead@SYNC-town.example]\n        channels: [in_app, email]\n        timeoutMinutes: 240`,
          )
          .replace('name: 深刻（L3）', 'name: 深刻（L3・全庁）'),
      );
      expect(await sync({ root })).toMatchObject({ policies: { created: 0, revised: 2, renamed: 1, unchanged: 1 } });
      const policies = await townPolicies();
      expect(policies.map((p) => [p.key, p.revision])).toEqual([
        ['l1-minor', 2],
        ['l2-significant', 1],
        ['l3-severe', 1],
        ['untriaged', 2],
      ]);
      expect(policies[0]!.levels[1]!.recipients).toEqual({ roles: [], staffIds: [named.staff.id], reporterManager: false });
      expect(await sync({ root })).toMatchObject({ policies: { unchanged: 4 } });
      // the town's file again: back as it says
      expect(await sync()).toMatchObject({ policies: { revised: 2, renamed: 1 } });
    });

    it('refuses a broken file with file:line: field: message for every mistake, and writes nothing', async () => {
      const before = await townPolicies();
      const audit = await auditCount();
      const broken = folder((text) =>
        text
          .replace('        timeoutMinutes: 15\n', '        timeoutMinutes: 0\n')
          .replace('          roles: [csirt, ciso]', '          roles: [csirt, staff]')
          .replace('    webhookUrl: https://chat.mamori-town.example/hooks/incident-l3\n', '    webhookUrl: ftp://chat.example/hook\n')
          .replace('        repeat: 3\n', '        repeat: 3\n        wait: 5\n'),
      );
      const errors = await refusal(sync({ root: broken }));
      const lines = readFileSync(join(broken, 'escalation.yaml'), 'utf8').split('\n');
      const lineOf = (needle: string, after = 0) => lines.findIndex((line, i) => i >= after && line.includes(needle)) + 1;
      expect(errors).toEqual([
        `escalation.yaml:${lineOf('timeoutMinutes: 0')}: policies[0].levels[0].timeoutMinutes: timeoutMinutes must be a positive number`,
        `escalation.yaml:${lineOf('wait: 5')}: policies[1].levels[0].wait: property wait should not exist`,
        expect.stringMatching(new RegExp(`^escalation\\.yaml:${lineOf('roles: [csirt, staff]')}: policies\\[2\\]\\.levels\\[0\\]\\.recipients\\.roles: `)),
        `escalation.yaml:${lineOf('webhookUrl: ftp')}: policies[3].webhookUrl: webhookUrl must be an http or https address`,
      ]);

      const clashing = folder(
        (text) =>
          `${text}\n  - key: l1-again\n    name: もう一つ\n    triggers: [L1]\n    levels:\n      - recipients: {}\n        channels: [webhook]\n        timeoutMinutes: 5\n        repeat: 1\n`,
      );
      const clashLines = readFileSync(join(clashing, 'escalation.yaml'), 'utf8').split('\n');
      expect(await refusal(sync({ root: clashing }))).toEqual([
        `escalation.yaml:${clashLines.lastIndexOf('    triggers: [L1]') + 1}: policies[4].triggers: L1 is also a trigger of policies[1]`,
        `escalation.yaml:${clashLines.lastIndexOf('      - recipients: {}') + 1}: policies[4].levels[0].recipients: a level names at least one recipient: a role, a person or the reporter’s manager`,
        `escalation.yaml:${clashLines.indexOf('  - key: l1-again') + 1}: policies[4].webhookUrl: level 1 posts to the webhook: give its http(s) address`,
      ]);

      // against the database: an address that is not active staff, a trigger held by an active policy made in the app
      const appMade = await t.dataSource.getRepository(EscalationPolicy).save({
        organizationId: town,
        key: 'made-in-app',
        name: 'アプリで作成',
        triggers: ['L3'],
        levels: [level()] as never,
      });
      const unknown = folder((text) =>
        text.replace(
          '          roles: [security_officer]\n        channels: [in_app, email]\n        timeoutMinutes: 30',
          '          staffEmails: [nobody@sync-town.example]\n        channels: [in_app, email]\n        timeoutMinutes: 30',
        ),
      );
      const unknownLines = readFileSync(join(unknown, 'escalation.yaml'), 'utf8').split('\n');
      expect(await refusal(sync({ root: unknown }))).toEqual([
        `escalation.yaml:${unknownLines.indexOf('          staffEmails: [nobody@sync-town.example]') + 1}: policies[0].levels[1].recipients.staffEmails: not active members of staff: nobody@sync-town.example`,
        `escalation.yaml:${unknownLines.indexOf('    triggers: [L3]') + 1}: policies[3].triggers: L3 is taken by the active policy "made-in-app" (made in the app); deactivate it or name it in the file`,
      ]);
      await t.dataSource.getRepository(EscalationPolicy).update({ id: appMade.id }, { active: false });
      expect(await sync()).toMatchObject({ policies: { unchanged: 4 }, notInFile: ['made-in-app'] });
      await t.dataSource.getRepository(EscalationPolicy).delete({ id: appMade.id });
      expect(await townPolicies()).toEqual(before);
      expect(await auditCount()).toBe(audit);
    });
    it('is a command of the CLI: a refused file gives file:line on stderr, exit 1 and nothing written', async () => {
      const cli = (args: string[]) =>
        spawnSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), ...args], {
          encoding: 'utf8',
          env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.appDatabaseUrl, SECRET_KEY: TEST_SECRET_KEY, QUEUE_PREFIX: `mamori-test-escalation-cli` },
          timeout: 60_000,
        });
      const broken = folder((text) => text.replace('        repeat: 2\n', '        repeat: 20\n'));
      const before = await policyCount();
      const refused = cli(['escalation:sync', '--root', broken]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^escalation\.yaml:\d+: policies\[0\]\.levels\[0\]\.repeat: repeat must not be greater than 10$/m);
      expect(refused.stderr).toContain('nothing was written');
      expect(await policyCount()).toBe(before);
    });
  });
});
