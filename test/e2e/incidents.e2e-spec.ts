import request from 'supertest';
import { fiscalYearOf } from '../../src/common/dates.js';
import { EscalationService } from '../../src/incidents/escalation.service.js';
import { EscalationPolicy, type EscalationLevel } from '../../src/incidents/escalation-policy.entity.js';
import { INCIDENT_TRANSITIONS } from '../../src/incidents/incident-transitions.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../src/incidents/incident.entity.js';
import type { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('incidents: the report, the reference, idempotency, visibility, the transition table, escalation', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let reporter: TestPerson;
  let colleague: TestPerson;
  let somuManager: TestPerson;
  let kikakuManager: TestPerson;
  let csirt: TestPerson;
  let csirt2: TestPerson;
  let ciso: TestPerson;
  const tokens = new Map<TestPerson, string>();
  const fy = fiscalYearOf(new Date());

  const as = (person: TestPerson) => ({
    get: (url: string) =>
      request(t.http)
        .get(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    post: (url: string) =>
      request(t.http)
        .post(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
    patch: (url: string) =>
      request(t.http)
        .patch(url)
        .set('Authorization', `Bearer ${tokens.get(person)}`),
  });
  const report = (person: TestPerson, body: object = {}, key?: string) => {
    const r = as(person).post('/api/v1/incidents');
    if (key) r.set('Idempotency-Key', key);
    return r.send({ title: '不審なメールを開いた', description: '添付ファイルを開いてしまいました。', ...body });
  };
  /** delivers the outbox until nothing new waits (a fired level writes its mails' rows) */
  const deliverAll = async () => {
    const mails = [];
    for (let round = 0; round < 5; round++) mails.push(...(await deliverOutbox(t)));
    return mails;
  };
  const policy = async (key: string, triggers: string[], levels: EscalationLevel[]) =>
    t.dataSource.getRepository(EscalationPolicy).save({ organizationId: org, key, name: key, triggers: triggers as never, levels });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'incidents-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課' });
    kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    const joho = await createDepartment(t, org, { code: 'JOHO', name: '情報政策課' });
    reporter = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    colleague = await createPerson(t, org, { roles: ['staff'], departmentId: somu.id });
    somuManager = await createPerson(t, org, { roles: ['manager'], departmentId: somu.id });
    kikakuManager = await createPerson(t, org, { roles: ['manager'], departmentId: kikaku.id });
    csirt = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    csirt2 = await createPerson(t, org, { roles: ['csirt'], departmentId: joho.id });
    ciso = await createPerson(t, org, { roles: ['ciso'], departmentId: joho.id });
    for (const person of [reporter, colleague, somuManager, kikakuManager, csirt, csirt2, ciso]) tokens.set(person, (await signIn(t, person)).accessToken);
  });
  afterAll(() => t.close());

  it('answers 201 with a reference of the fiscal year at once, and the reporter gets it by e-mail', async () => {
    const response = await report(reporter, { nearMiss: true }).expect(201);
    expect(response.body.reference).toMatch(new RegExp(`^INC-${fy}-\\d{4}$`));
    expect(response.body.status).toBe('reported');
    expect(response.body.nearMiss).toBe(true);
    const mails = await deliverOutbox(t);
    expect(mails.some((mail) => mail.to === reporter.email && mail.subject.includes(response.body.reference))).toBe(true);
  });

  it('a retried or double-clicked submission with one Idempotency-Key makes one incident and returns it; another body with that key is refused', async () => {
    const key = `k-${Date.now()}`;
    const [a, b] = await Promise.all([report(reporter, { title: '二度押し' }, key), report(reporter, { title: '二度押し' }, key)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const replay = await report(reporter, { title: '二度押し' }, key).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.reference).toBe(a.body.reference);
    const count = (await t.dataSource.query(`SELECT count(*)::int AS n FROM incidents WHERE title = '二度押し'`)) as { n: number }[];
    expect(count[0]!.n).toBe(1);
    const reused = await report(reporter, { title: '別の報告' }, key).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await report(reporter, {}, 'bad key with spaces').expect(400)).body.code).toBe('IDEMPOTENCY_KEY_INVALID');
  });

  it('gives 50 concurrent reports 50 different numbers with no gap', async () => {
    const before = (await t.dataSource.query(`SELECT coalesce(max(last), 0)::int AS n FROM reference_counters WHERE organization_id = $1 AND series = 'INC'`, [
      org,
    ])) as { n: number }[];
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => report(i % 2 ? reporter : colleague, { title: `同時 ${i}`, nearMiss: true })));
    for (const response of responses) expect(response.status).toBe(201);
    const numbers = responses.map((response) => Number(String(response.body.reference).slice(-4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[0]).toBe(before[0]!.n + 1);
    expect(numbers[49]).toBe(before[0]!.n + 50);
  });

  it('refuses a report with a field wrong, naming it', async () => {
    const response = await report(reporter, { title: '', affectedPeople: -1, occurredAt: '2999-01-01T00:00:00Z' }).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(expect.arrayContaining(['affectedPeople', 'title']));
  });

  it('shows staff their own reports, a manager their department’s, the CSIRT all; others get 404', async () => {
    const mine = (await report(reporter, { title: '見える範囲' })).body;
    await as(reporter).get(`/api/v1/incidents/${mine.id}`).expect(200);
    await as(colleague).get(`/api/v1/incidents/${mine.id}`).expect(404);
    await as(somuManager).get(`/api/v1/incidents/${mine.id}`).expect(200);
    await as(kikakuManager).get(`/api/v1/incidents/${mine.id}`).expect(404);
    await as(csirt).get(`/api/v1/incidents/${mine.id}`).expect(200);
    await as(ciso).get(`/api/v1/incidents/${mine.id}`).expect(200);
    const colleagueList = (await as(colleague).get('/api/v1/incidents?pageSize=200').expect(200)).body;
    expect(colleagueList.items.map((i: { id: string }) => i.id)).not.toContain(mine.id);
    const kikakuList = (await as(kikakuManager).get('/api/v1/incidents?pageSize=200').expect(200)).body;
    expect(kikakuList.items.map((i: { id: string }) => i.id)).not.toContain(mine.id);
    await as(kikakuManager).post(`/api/v1/incidents/${mine.id}/acknowledge`).send({}).expect(403); // managers read, responders acknowledge
    await as(reporter).post(`/api/v1/incidents/${mine.id}/transitions`).send({ to: 'triaged', reason: 'x' }).expect(403);
  });

  it('answers every illegal pair of the transition table with 409 naming the allowed states, and records each legal one on the timeline', async () => {
    // walk an incident through every state, trying every illegal target on the way
    const incident = (await report(reporter, { title: '遷移表' })).body;
    const path: { to: IncidentStatus; extra?: object }[] = [
      { to: 'triaged', extra: { severity: 'L1', category: 'malware' } },
      { to: 'contained' },
      { to: 'eradicated' },
      { to: 'recovered' },
      { to: 'closed' },
      { to: 'reopened' },
      { to: 'rejected', extra: { rejectionReason: 'not_an_incident' } },
    ];
    let from: IncidentStatus = 'reported';
    for (const step of [...path, { to: 'reopened' as IncidentStatus }]) {
      for (const illegal of INCIDENT_STATUSES.filter((s) => !INCIDENT_TRANSITIONS[from].includes(s))) {
        const refused = await as(csirt)
          .post(`/api/v1/incidents/${incident.id}/transitions`)
          .send({ to: illegal, reason: 'x', severity: 'L1', category: 'malware' })
          .expect(409);
        expect(refused.body.code).toBe('INCIDENT_TRANSITION_NOT_ALLOWED');
        expect(refused.body.allowedTransitions).toEqual(INCIDENT_TRANSITIONS[from]);
      }
      await as(csirt)
        .post(`/api/v1/incidents/${incident.id}/transitions`)
        .send({ to: step.to, reason: `to ${step.to}`, ...step.extra })
        .expect(200);
      from = step.to;
    }
    const timeline = (await as(csirt).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as {
      kind: string;
      toStatus: string;
      text: string;
    }[];
    expect(timeline.filter((e) => e.kind === 'transition').map((e) => e.toStatus)).toEqual([...path.map((p) => p.to), 'reopened']);
    // triage's assessment is on its transition's entry, and the severity change has its own
    const triage = timeline.find((e) => e.kind === 'transition' && e.toStatus === 'triaged') as unknown as { data: Record<string, unknown> };
    expect(triage.data.severity).toEqual({ from: null, to: 'L1' });
    expect(timeline.filter((e) => e.kind === 'severity_changed')).toHaveLength(1);
    await expect(t.dataSource.query(`UPDATE incident_timeline SET text = 'changed' WHERE incident_id = $1`, [incident.id])).rejects.toThrow();
  });

  it('triage needs a severity and a category; a duplicate names its original; an L2 is not closed without its review', async () => {
    const incident = (await report(reporter, { title: 'L2' })).body;
    const incomplete = await as(csirt).post(`/api/v1/incidents/${incident.id}/transitions`).send({ to: 'triaged', reason: 'x' }).expect(400);
    expect(incomplete.body.code).toBe('INCIDENT_TRIAGE_INCOMPLETE');
    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/transitions`)
      .send({ to: 'triaged', reason: '判定', severity: 'L2', category: 'information_leak' })
      .expect(200);
    for (const to of ['contained', 'eradicated', 'recovered'] as const)
      await as(csirt).post(`/api/v1/incidents/${incident.id}/transitions`).send({ to, reason: to }).expect(200);
    expect((await as(csirt).post(`/api/v1/incidents/${incident.id}/transitions`).send({ to: 'closed', reason: '終了' }).expect(409)).body.code).toBe(
      'INCIDENT_REVIEW_REQUIRED',
    );
    // lowering the severity, on the closing request or before it, does not spare the review
    const lowered = await as(csirt).post(`/api/v1/incidents/${incident.id}/transitions`).send({ to: 'closed', reason: '終了', severity: 'L1' }).expect(409);
    expect(lowered.body.code).toBe('INCIDENT_REVIEW_REQUIRED');
    await as(csirt).patch(`/api/v1/incidents/${incident.id}/assessment`).send({ reason: '軽微だった', severity: 'L1' }).expect(200);
    const later = await as(csirt).post(`/api/v1/incidents/${incident.id}/transitions`).send({ to: 'closed', reason: '終了' }).expect(409);
    expect(later.body.code).toBe('INCIDENT_REVIEW_REQUIRED');

    const dup = (await report(colleague, { title: '重複' })).body;
    expect(
      (await as(csirt).post(`/api/v1/incidents/${dup.id}/transitions`).send({ to: 'rejected', reason: '重複', rejectionReason: 'duplicate' }).expect(400)).body
        .code,
    ).toBe('INCIDENT_DUPLICATE_OF_REQUIRED');
    const rejected = await as(csirt)
      .post(`/api/v1/incidents/${dup.id}/transitions`)
      .send({ to: 'rejected', reason: '重複', duplicateOfId: incident.id })
      .expect(200);
    expect(rejected.body.duplicateOfId).toBe(incident.id);
  });

  it('refuses null for what triage must keep, and a list field given as text, naming the field (never a 500)', async () => {
    const incident = (await report(reporter, { title: 'null' })).body;
    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/transitions`)
      .send({ to: 'triaged', reason: '判定', severity: 'L1', category: 'malware' })
      .expect(200);
    for (const field of ['severity', 'category', 'personalData', 'affectedSystems', 'version']) {
      const refused = await as(csirt)
        .patch(`/api/v1/incidents/${incident.id}/assessment`)
        .send({ reason: 'x', [field]: null })
        .expect(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      await as(csirt)
        .post(`/api/v1/incidents/${incident.id}/transitions`)
        .send({ to: 'contained', reason: 'x', [field]: null })
        .expect(400);
    }
    expect((await report(reporter, { systems: 'abc' }).expect(400)).body.errors[0].field).toBe('systems');
  });

  it('shows the reporter how it went, not the responders’ notes; only responders and the CISO stop an escalation', async () => {
    const incident = (await report(reporter, { title: '経過' })).body;
    await as(csirt).post(`/api/v1/incidents/${incident.id}/timeline`).send({ kind: 'contact', text: '警察に相談した', contact: '県警' }).expect(201);
    await as(csirt)
      .post(`/api/v1/incidents/${incident.id}/transitions`)
      .send({ to: 'triaged', reason: '内部の判断', severity: 'L1', category: 'insider' })
      .expect(200);
    const seen = (await as(reporter).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as {
      kind: string;
      text: string | null;
      data: object;
    }[];
    expect(seen.map((e) => e.kind)).toEqual(['reported', 'transition']);
    expect(seen.every((e) => e.text === null && Object.keys(e.data).length === 0)).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('警察');
    const full = (await as(csirt).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as { kind: string }[];
    expect(full.some((e) => e.kind === 'contact')).toBe(true);
    await as(somuManager).post(`/api/v1/incidents/${incident.id}/acknowledge`).send({}).expect(403);
  });

  it('escalates: level 1 fires, times out, level 2 fires, acknowledged, nothing more — on the policy as it was when the climb started', async () => {
    await policy(
      'untriaged',
      ['untriaged'],
      [
        { recipients: { roles: ['csirt'] }, channels: ['in_app', 'email'], timeoutMinutes: 15, repeat: 1 },
        { recipients: { roles: ['ciso'], reporterManager: true }, channels: ['email'], timeoutMinutes: 30, repeat: 1 },
      ],
    );
    const incident = (await report(reporter, { title: 'エスカレーション' })).body;
    // the policy is edited mid-climb: the running climb keeps its snapshot
    await t.dataSource.query(`UPDATE escalation_policies SET levels = '[]'::jsonb WHERE key = 'untriaged' AND organization_id = $1`, [org]);
    const mails1 = await deliverAll();
    expect(
      mails1
        .filter((m) => m.subject.includes(incident.reference))
        .map((m) => m.to)
        .sort(),
    ).toEqual(expect.arrayContaining([csirt.email, csirt2.email]));
    expect(mails1.some((m) => m.to === ciso.email && m.subject.includes(incident.reference))).toBe(false);
    const escalation = t.get(EscalationService);
    const climb = (
      (await t.dataSource.query(`SELECT id, next_level, next_due_at FROM escalation_climbs WHERE incident_id = $1`, [incident.id])) as {
        id: string;
        next_level: number;
        next_due_at: Date;
      }[]
    )[0]!;
    expect(climb.next_level).toBe(1);
    expect(new Date(climb.next_due_at).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    // not due yet: firing now tells nobody
    expect((await escalation.fire(org, climb.id)).fired).toBeNull();
    // the timeout passes
    await t.dataSource.query(`UPDATE escalation_climbs SET next_due_at = now() - interval '1 second' WHERE id = $1`, [climb.id]);
    expect(await escalation.checkDue()).toBeGreaterThanOrEqual(1);
    const mails2 = await deliverAll();
    expect(
      mails2
        .filter((m) => m.subject.includes(incident.reference))
        .map((m) => m.to)
        .sort(),
    ).toEqual([ciso.email, somuManager.email].sort());
    // acknowledged: the climb stops, and nothing more goes out
    await as(csirt).post(`/api/v1/incidents/${incident.id}/acknowledge`).send({ note: '対応します' }).expect(200);
    await t.dataSource.query(`UPDATE escalation_climbs SET next_due_at = now() - interval '1 second' WHERE id = $1`, [climb.id]);
    expect((await escalation.fire(org, climb.id)).fired).toBeNull();
    expect(await deliverAll()).toEqual([]);
    const timeline = (await as(csirt).get(`/api/v1/incidents/${incident.id}/timeline`).expect(200)).body.items as {
      kind: string;
      data: Record<string, unknown>;
    }[];
    expect(timeline.filter((e) => e.kind === 'notification').map((e) => e.data.level)).toEqual([1, 2]);
    expect(timeline.some((e) => e.kind === 'acknowledgement')).toBe(true);
    expect((await as(csirt).post(`/api/v1/incidents/${incident.id}/acknowledge`).send({}).expect(409)).body.code).toBe('INCIDENT_NOTHING_TO_ACKNOWLEDGE');
  });
});
