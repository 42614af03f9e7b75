import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import request from 'supertest';
import { IsNull } from 'typeorm';
import { EscalationMail, EscalationWebhook } from '../../src/incidents/escalation.notifications.js';
import { escalationJobId, EscalationService } from '../../src/incidents/escalation.service.js';
import { EscalationPolicy, type EscalationLevel, type EscalationTrigger } from '../../src/incidents/escalation-policy.entity.js';
import { JobRegistry } from '../../src/jobs/job-registry.js';
import type { SentMail } from '../../src/notifications/mailer.service.js';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.entity.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import type { OutboxJob } from '../../src/outbox/outbox-topics.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox, sentMails } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The escalation's resilience, with real processes: a worker killed and started again, Redis
 * stopped and started again, a timer and the checker racing, an acknowledgement racing a mail, the
 * webhook. Timeouts are fractions of a minute (0.05 is 3 seconds).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string | (() => string), timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await sleep(100);
  }
}

const level = (roles: EscalationLevel['recipients']['roles'], channels: EscalationLevel['channels'], timeoutMinutes: number, repeat = 1): EscalationLevel => ({
  recipients: { roles, staffIds: [], reporterManager: false },
  channels,
  timeoutMinutes,
  repeat,
});

async function savePolicy(
  t: TestApp,
  organizationId: string,
  key: string,
  triggers: EscalationTrigger[],
  levels: EscalationLevel[],
  webhookUrl: string | null = null,
) {
  return t.dataSource.getRepository(EscalationPolicy).save({ organizationId, key, name: key, triggers, levels, webhookUrl });
}

interface Firing {
  climb_id: string;
  level: number;
  attempt: number;
  due_at: Date;
  fired_at: Date;
  recipient_ids: string[];
}
const firingsOf = async (t: TestApp, incidentId: string): Promise<Firing[]> =>
  (await t.dataSource.query(
    `SELECT climb_id, level, attempt, due_at, fired_at, recipient_ids FROM escalation_firings WHERE incident_id = $1 ORDER BY fired_at, level, attempt`,
    [incidentId],
  )) as Firing[];
const climbsOf = async (t: TestApp, incidentId: string) =>
  (await t.dataSource.query(
    `SELECT id, trigger, policy->>'key' AS policy, start_reason, stop_reason, stopped_at, next_level, next_attempt, next_due_at
       FROM escalation_climbs WHERE incident_id = $1 ORDER BY started_at`,
    [incidentId],
  )) as { id: string; trigger: string; policy: string; start_reason: string; stop_reason: string | null; stopped_at: Date | null; next_due_at: Date | null }[];

/** The escalation mails of an incident (its confirmation to the reporter left out), by address. */
const toldAbout = (mails: SentMail[], reference: string) => mails.filter((m) => m.subject.includes(reference) && m.subject.includes('段階'));

describe('escalation resilience', () => {
  describe('a worker killed mid-climb and started again', () => {
    let base: TestApp;
    let worker: TestApp;
    let restarted: TestApp | null = null;
    let org: string;
    let reporter: TestPerson;
    let csirt: TestPerson[];
    let ciso: TestPerson;
    let officer: TestPerson;
    let reporterToken: string;
    let csirtToken: string;

    beforeAll(async () => {
      base = await createTestApp();
      org = await testOrganization(base, 'restart-town');
      const somu = await createDepartment(base, org, { code: 'SOMU' });
      reporter = await createPerson(base, org, { departmentId: somu.id });
      csirt = [await createPerson(base, org, { roles: ['csirt'] }), await createPerson(base, org, { roles: ['csirt'] })];
      ciso = await createPerson(base, org, { roles: ['ciso'] });
      officer = await createPerson(base, org, { roles: ['security_officer'] });
      reporterToken = (await signIn(base, reporter)).accessToken;
      csirtToken = (await signIn(base, csirt[0]!)).accessToken;
      await savePolicy(
        base,
        org,
        'untriaged',
        ['untriaged'],
        [
          level(['csirt'], ['in_app', 'email'], 0.12), // 7.2 s: time enough to tell level 1 and kill the worker
          level(['ciso'], ['email'], 0.05),
          level(['security_officer'], ['email'], 0.05),
        ],
      );
    });
    afterAll(async () => {
      await restarted?.close();
      await base.close();
    });

    it('resumes the climb: the next level fires once when the worker is back, late by the time it was down, and the one after on time', async () => {
      worker = await createTestApp({ runJobs: true, sharing: base });
      const report = async (title: string) =>
        (
          await request(base.http)
            .post('/api/v1/incidents')
            .set('Authorization', `Bearer ${reporterToken}`)
            .send({ title, description: '画面に警告が出た' })
            .expect(201)
        ).body as { id: string; reference: string };
      // X keeps its timer in Redis; Y's is lost while the worker is down (only the checker can fire it)
      const [x, y] = [await report('タイマーが残る'), await report('タイマーが消える')];

      // the worker relays the reports, fires level 1 and sends its mails
      await eventually(
        async () => [x, y].every((incident) => toldAbout(sentMails(worker), incident.reference).length === csirt.length),
        'level 1 told by the first worker',
      );
      const [climbX] = await climbsOf(base, x.id);
      const [climbY] = await climbsOf(base, y.id);
      const due = Math.max(new Date(climbX!.next_due_at!).getTime(), new Date(climbY!.next_due_at!).getTime());
      expect(due - Date.now()).toBeGreaterThan(1_000); // level 2 is not due yet when the worker dies

      await worker.close(); // the kill: the process is gone, its timers wait in Redis
      const killedAt = Date.now();
      const queue = base.get<Queue>(getQueueToken('jobs') as never);
      expect(await queue.getJob(escalationJobId(climbX!.id, 1, 1))).not.toBeNull();
      const lost = await queue.getJob(escalationJobId(climbY!.id, 1, 1));
      expect(lost).not.toBeNull();
      await lost!.remove();

      await sleep(Math.max(0, due - Date.now()) + 1_500);
      expect((await firingsOf(base, x.id)).map((f) => f.level)).toEqual([0]); // nothing ran meanwhile
      expect(Date.now() - killedAt).toBeGreaterThan(1_500);

      restarted = await createTestApp({ runJobs: true, sharing: base });
      const back = restarted;
      for (const incident of [x, y]) {
        await eventually(async () => (await firingsOf(base, incident.id)).some((f) => f.level === 1), `level 2 of ${incident.reference} after the restart`);
      }
      for (const incident of [x, y]) {
        const second = (await firingsOf(base, incident.id)).find((f) => f.level === 1)!;
        // late by about as long as nobody ran jobs: recorded on the firing and on the timeline
        expect(new Date(second.fired_at).getTime() - new Date(second.due_at).getTime()).toBeGreaterThan(1_400);
        const [entry] = (await base.dataSource.query(
          `SELECT data FROM incident_timeline WHERE incident_id = $1 AND kind = 'notification' AND (data->>'level')::int = 2`,
          [incident.id],
        )) as { data: { lateMs: number } }[];
        expect(entry!.data.lateMs).toBeGreaterThan(1_000);
      }

      // level 3 is due a full timeout after level 2 was told: the restarted worker fires it on time
      for (const incident of [x, y]) {
        await eventually(async () => (await firingsOf(base, incident.id)).some((f) => f.level === 2), `level 3 of ${incident.reference}`);
      }
      // one mail per recipient and level, from whichever process sent it
      const told = (incident: { reference: string }) =>
        toldAbout([...sentMails(worker), ...sentMails(back)], incident.reference)
          .map((m) => `${m.to} ${/第(\d)段階/.exec(m.subject)![1]}`)
          .sort();
      const expected = [...csirt.map((p) => `${p.email} 1`), `${ciso.email} 2`, `${officer.email} 3`].sort();
      for (const incident of [x, y]) {
        await eventually(
          async () => JSON.stringify(told(incident)) === JSON.stringify(expected),
          () => `the mails of ${incident.reference}: ${told(incident).join(', ')}`,
        );
      }
      await sleep(1_500); // a second timer or the checker would have told someone again by now
      for (const incident of [x, y]) {
        expect(told(incident)).toEqual(expected);
        const firings = await firingsOf(base, incident.id);
        expect(firings.map((f) => [f.level, f.attempt])).toEqual([
          [0, 1],
          [1, 1],
          [2, 1],
        ]);
        const third = firings[2]!;
        expect(new Date(third.fired_at).getTime() - new Date(third.due_at).getTime()).toBeLessThan(2_500);
        expect(new Date(third.due_at).getTime() - new Date(firings[1]!.fired_at).getTime()).toBeGreaterThanOrEqual(0.05 * 60_000 - 5);
      }

      // acknowledged: nothing more
      for (const incident of [x, y]) {
        await request(base.http).post(`/api/v1/incidents/${incident.id}/acknowledge`).set('Authorization', `Bearer ${csirtToken}`).send({}).expect(200);
      }
    });
  });

  describe('reporting while Redis is down', () => {
    let t: TestApp;
    let redis: ChildProcess;
    let port: number;
    let org: string;
    let reporter: TestPerson;
    let csirt: TestPerson;
    let ciso: TestPerson;
    let tokens: { reporter: string; csirt: string };

    const startRedis = async (): Promise<ChildProcess> => {
      const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Ready to accept connections')) resolve();
        });
        server.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
      });
      return server;
    };
    const stopRedis = async (): Promise<void> => {
      if (redis.exitCode !== null) return;
      const exited = once(redis, 'exit');
      redis.kill('SIGTERM');
      await exited;
    };

    beforeAll(async () => {
      const probe = createTcpServer().listen(0, '127.0.0.1');
      await once(probe, 'listening');
      port = (probe.address() as AddressInfo).port;
      probe.close();
      redis = await startRedis();
      const sharedRedis = process.env.REDIS_URL;
      try {
        t = await createTestApp({ runJobs: true, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
      } finally {
        // createTestApp keeps its environment in process.env: the next app of this file uses the shared Redis again
        if (sharedRedis === undefined) delete process.env.REDIS_URL;
        else process.env.REDIS_URL = sharedRedis;
      }
      org = await testOrganization(t, 'outage-town');
      reporter = await createPerson(t, org);
      csirt = await createPerson(t, org, { roles: ['csirt'] });
      ciso = await createPerson(t, org, { roles: ['ciso'] });
      tokens = { reporter: (await signIn(t, reporter)).accessToken, csirt: (await signIn(t, csirt)).accessToken };
      await savePolicy(t, org, 'untriaged', ['untriaged'], [level(['csirt'], ['in_app', 'email'], 0.05), level(['ciso'], ['email'], 0.05)]);
    });
    afterAll(async () => {
      if (redis.exitCode !== null) redis = await startRedis();
      await t.close();
      await stopRedis();
    });

    it('answers 201 at once; the climb goes on without Redis; the mails go out once when Redis is back', async () => {
      await stopRedis();
      const started = Date.now();
      const incident = (
        await request(t.http)
          .post('/api/v1/incidents')
          .set('Authorization', `Bearer ${tokens.reporter}`)
          .send({ title: 'Redis 停止中の報告', description: 'ファイルが開けない' })
          .expect(201)
      ).body as { id: string; reference: string };
      expect(Date.now() - started).toBeLessThan(3_000);
      const waiting = await t.dataSource.getRepository(OutboxMessage).find({ where: { dispatchedAt: IsNull() } });
      expect(waiting.map((m) => m.topic)).toEqual(expect.arrayContaining(['incident.reported', 'incident.escalation_due']));

      // the checker needs no Redis: level 1 is told in the app now, level 2 its timeout later
      await eventually(async () => (await firingsOf(t, incident.id)).length === 2, 'both levels fired while Redis is down', 20_000);
      expect(redis.exitCode).not.toBeNull();
      const firings = await firingsOf(t, incident.id);
      expect(firings.map((f) => f.recipient_ids)).toEqual([[csirt.staff.id], [ciso.staff.id]]);
      expect(new Date(firings[1]!.due_at).getTime() - new Date(firings[0]!.fired_at).getTime()).toBeGreaterThanOrEqual(3_000 - 5); // no wait skipped
      const myPage = await request(t.http)
        .get('/')
        .set({ Accept: 'text/html', Cookie: `mamori_at=${tokens.csirt}` })
        .expect(200);
      expect(myPage.text).toContain(`href="/incidents/${incident.id}"`);
      expect(sentMails(t).filter((m) => m.subject.includes(incident.reference))).toEqual([]);

      redis = await startRedis();
      const expected = [`${reporter.email} 受付`, `${csirt.email} 1`, `${ciso.email} 2`].sort();
      const delivered = () =>
        sentMails(t)
          .filter((m) => m.subject.includes(incident.reference))
          .map((m) => `${m.to} ${m.subject.includes('段階') ? /第(\d)段階/.exec(m.subject)![1] : '受付'}`)
          .sort();
      await eventually(
        async () => JSON.stringify(delivered()) === JSON.stringify(expected),
        () => `the mails once Redis is back (sent: ${delivered().join(', ')})`,
        30_000,
      );
      await sleep(2_500); // the relay's next rounds and the jobs held while Redis was down send nothing again
      expect(delivered()).toEqual(expected);
      expect((await firingsOf(t, incident.id)).length).toBe(2);
      await request(t.http).post(`/api/v1/incidents/${incident.id}/acknowledge`).set('Authorization', `Bearer ${tokens.csirt}`).send({}).expect(200);
    });
  });

  describe('told once, and only while wanted', () => {
    let t: TestApp;
    let org: string;
    let reporter: TestPerson;
    let csirt: TestPerson[];
    let ciso: TestPerson;
    let officer: TestPerson;
    const tokens = new Map<TestPerson, string>();
    let hook: Server;
    const posts: { path: string; contentType: string; body: { text: string; incident: { reference: string; level: number; attempt: number } } }[] = [];
    let failNext = 0;

    const as = (person: TestPerson) => ({
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
    const report = async (body: object = {}) =>
      (
        await as(reporter)
          .post('/api/v1/incidents', { title: '不審なメール', description: '添付を開いた', ...body })
          .expect(201)
      ).body as { id: string; reference: string };
    const triage = (id: string, severity: string) =>
      as(csirt[0]!).post(`/api/v1/incidents/${id}/transitions`, { to: 'triaged', reason: '判定', severity, category: 'malware' }).expect(200);
    const deliverAll = async () => {
      const mails: SentMail[] = [];
      for (let round = 0; round < 4; round++) mails.push(...(await deliverOutbox(t)));
      return mails;
    };
    const makeDue = (climbId: string) => t.dataSource.query(`UPDATE escalation_climbs SET next_due_at = now() - interval '2 seconds' WHERE id = $1`, [climbId]);
    const running = async (incidentId: string) => (await climbsOf(t, incidentId)).filter((c) => c.stopped_at === null);
    const postsAbout = (reference: string) => posts.filter((p) => p.body.incident.reference === reference);

    beforeAll(async () => {
      hook = createServer((req: IncomingMessage, res) => {
        let text = '';
        req.on('data', (chunk: Buffer) => (text += chunk.toString()));
        req.on('end', () => {
          posts.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: JSON.parse(text) });
          res.statusCode = failNext-- > 0 ? 500 : 200;
          res.end('ok');
        });
      }).listen(0, '127.0.0.1');
      await once(hook, 'listening');
      t = await createTestApp();
      org = await testOrganization(t, 'once-town');
      const somu = await createDepartment(t, org, { code: 'SOMU' });
      reporter = await createPerson(t, org, { departmentId: somu.id });
      csirt = [await createPerson(t, org, { roles: ['csirt'] }), await createPerson(t, org, { roles: ['csirt'] })];
      ciso = await createPerson(t, org, { roles: ['ciso'] });
      officer = await createPerson(t, org, { roles: ['security_officer'] });
      for (const person of [reporter, ...csirt, ciso, officer]) tokens.set(person, (await signIn(t, person)).accessToken);
      const webhookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/incidents`;
      await savePolicy(t, org, 'untriaged', ['untriaged'], [level(['csirt'], ['in_app', 'email'], 15, 2), level(['ciso'], ['email'], 15)]);
      await savePolicy(t, org, 'l1', ['L1'], [level(['csirt'], ['email'], 15), level(['security_officer'], ['email'], 15)]);
      await savePolicy(t, org, 'l2', ['L2'], [level(['ciso'], ['email'], 15), level(['security_officer'], ['email'], 15)]);
      await savePolicy(
        t,
        org,
        'l3',
        ['L3'],
        [level(['security_officer'], ['in_app', 'email', 'webhook'], 10, 2), level(['ciso'], ['email', 'webhook'], 10)],
        webhookUrl,
      );
    });
    afterAll(async () => {
      await t.close();
      hook.close();
    });

    it('tells a level once when a timer, the checker and a job run twice all fire it at the same moment', async () => {
      const incident = await report();
      const first = toldAbout(await deliverAll(), incident.reference);
      expect(first.map((m) => m.to).sort()).toEqual(csirt.map((p) => p.email).sort());
      const [climb] = await running(incident.id);
      await makeDue(climb!.id);
      const escalation = t.get(EscalationService);
      const handler = t.get(JobRegistry).outboxHandler('incident.escalation_due');
      const job = {
        outboxMessageId: escalationJobId(climb!.id, 0, 2),
        organizationId: org,
        topic: 'incident.escalation_due',
        payload: { climbId: climb!.id },
      } as OutboxJob;
      const outcomes = await Promise.all([escalation.fire(org, climb!.id), escalation.fire(org, climb!.id), handler(job), handler(job), escalation.checkDue()]);
      // one of them told the level (or the checker did): never two
      expect(outcomes.slice(0, 4).filter((outcome) => (outcome as { fired: unknown }).fired !== null).length).toBeLessThanOrEqual(1);
      expect((await firingsOf(t, incident.id)).map((f) => [f.level, f.attempt])).toEqual([
        [0, 1],
        [0, 2],
      ]);
      const again = toldAbout(await deliverAll(), incident.reference);
      expect(again.map((m) => m.to).sort()).toEqual(csirt.map((p) => p.email).sort());
      expect(again.every((m) => m.subject.includes('（再通知）'))).toBe(true);
      // every mail job of this incident run once more: nobody is told again
      const mailJobs = await t.dataSource.getRepository(OutboxMessage).findBy({ topic: 'incident.escalation_mail' });
      for (const message of mailJobs) expect(await deliverOutbox(t, { id: message.id })).toEqual([]);
      await as(csirt[0]!).post(`/api/v1/incidents/${incident.id}/acknowledge`, {}).expect(200);
    });

    it('sends no mail that was not claimed before the acknowledgement committed', async () => {
      // fired, then acknowledged before the mail's job ran
      const early = await report();
      await deliverOutbox(t, { topic: 'incident.escalation_due', dispatchedAt: IsNull() });
      expect(await t.dataSource.getRepository(OutboxMessage).countBy({ topic: 'incident.escalation_mail', dispatchedAt: IsNull() })).toBe(1);
      await as(csirt[1]!).post(`/api/v1/incidents/${early.id}/acknowledge`, {}).expect(200);
      expect(toldAbout(await deliverAll(), early.reference)).toEqual([]);

      // the job read its recipients, then the acknowledgement committed before it claimed the first mail
      const late = await report();
      await deliverOutbox(t, { topic: 'incident.escalation_due', dispatchedAt: IsNull() });
      const [message] = await t.dataSource.getRepository(OutboxMessage).findBy({ topic: 'incident.escalation_mail', dispatchedAt: IsNull() });
      const intent = t.get(EscalationMail);
      const recipients = intent.recipients.bind(intent);
      let read = 0;
      intent.recipients = async (...args: Parameters<EscalationMail['recipients']>) => {
        const people = await recipients(...args);
        read = people.length;
        await as(csirt[1]!).post(`/api/v1/incidents/${late.id}/acknowledge`, {}).expect(200);
        return people;
      };
      try {
        expect(toldAbout(await deliverOutbox(t, { id: message!.id }), late.reference)).toEqual([]);
      } finally {
        intent.recipients = recipients;
      }
      expect(read).toBe(csirt.length); // it would have told both
      expect(await t.dataSource.getRepository(NotificationDelivery).countBy({ outboxMessageId: message!.id })).toBe(0);
      expect(toldAbout(await deliverAll(), late.reference)).toEqual([]);
    });

    it('stops the climb when the severity is lowered or the incident closed; a mail not yet sent is not sent', async () => {
      const lowered = await report();
      await triage(lowered.id, 'L2');
      expect((await running(lowered.id)).map((c) => [c.trigger, c.policy])).toEqual([['L2', 'l2']]);
      expect(toldAbout(await deliverAll(), lowered.reference).map((m) => m.to)).toEqual([ciso.email]);
      const [l2] = await running(lowered.id);
      await as(csirt[0]!).patch(`/api/v1/incidents/${lowered.id}/assessment`, { reason: '影響は限定的', severity: 'L1' }).expect(200);
      expect(await running(lowered.id)).toEqual([]);
      expect((await climbsOf(t, lowered.id)).map((c) => c.stop_reason)).toEqual(['superseded', 'severity_lowered']);
      await makeDue(l2!.id);
      expect(await t.get(EscalationService).checkDue()).toBe(0);
      expect((await t.get(EscalationService).fire(org, l2!.id)).fired).toBeNull();

      const closed = await report();
      await triage(closed.id, 'L1');
      expect(
        toldAbout(await deliverAll(), closed.reference)
          .map((m) => m.to)
          .sort(),
      ).toEqual(csirt.map((p) => p.email).sort());
      const [l1] = await running(closed.id);
      await makeDue(l1!.id);
      expect(await t.get(EscalationService).checkDue()).toBe(1); // level 2 fired; its mail waits
      for (const to of ['contained', 'eradicated', 'recovered', 'closed'])
        await as(csirt[0]!).post(`/api/v1/incidents/${closed.id}/transitions`, { to, reason: to }).expect(200);
      expect(toldAbout(await deliverAll(), closed.reference)).toEqual([]);
      expect((await climbsOf(t, closed.id)).map((c) => c.stop_reason)).toEqual(['superseded', 'closed']);
    });

    it('starts no climb for a near miss or an L0, and a new climb on the new policy when the severity is raised', async () => {
      const nearMiss = await report({ nearMiss: true });
      expect(await climbsOf(t, nearMiss.id)).toEqual([]);
      const l0 = await report();
      await triage(l0.id, 'L0');
      expect(await running(l0.id)).toEqual([]);
      expect((await climbsOf(t, l0.id)).map((c) => c.stop_reason)).toEqual(['superseded']);
      expect(toldAbout(await deliverAll(), l0.reference)).toEqual([]); // the report's climb stopped before its first level went out

      const raised = await report();
      await triage(raised.id, 'L1');
      await as(csirt[0]!).patch(`/api/v1/incidents/${raised.id}/assessment`, { reason: 'ランサムウェアと判明', severity: 'L3' }).expect(200);
      const climbs = await climbsOf(t, raised.id);
      expect(climbs.map((c) => [c.trigger, c.policy, c.start_reason, c.stop_reason])).toEqual([
        ['untriaged', 'untriaged', 'reported', 'superseded'],
        ['L1', 'l1', 'triaged', 'superseded'],
        ['L3', 'l3', 'severity_raised', null],
      ]);
      const told = toldAbout(await deliverAll(), raised.reference);
      expect(told.map((m) => m.to)).toEqual([officer.email]);
      expect(told[0]!.subject).toContain('第1段階');
      await as(ciso).post(`/api/v1/incidents/${raised.id}/acknowledge`, {}).expect(200);
    });

    it('posts JSON to the webhook once per fired level, retries a failed post, and posts nothing after the acknowledgement', async () => {
      const incident = await report();
      await triage(incident.id, 'L3');
      await deliverAll();
      expect(postsAbout(incident.reference)).toHaveLength(1);
      const [post] = postsAbout(incident.reference);
      expect(post).toMatchObject({
        path: '/hooks/incidents',
        contentType: 'application/json',
        body: { text: expect.stringContaining(incident.reference), incident: { reference: incident.reference, level: 1, attempt: 1 } },
      });
      // the webhook's job run again: no second post
      const webhookJobs = await t.dataSource.getRepository(OutboxMessage).findBy({ topic: 'incident.escalation_webhook' });
      for (const message of webhookJobs) await deliverOutbox(t, { id: message.id });
      expect(postsAbout(incident.reference)).toHaveLength(1);

      // the chat answers 500: the job fails (bull retries it) and the retry posts
      const [climb] = await running(incident.id);
      await makeDue(climb!.id);
      expect(await t.get(EscalationService).checkDue()).toBe(1);
      const [second] = await t.dataSource.getRepository(OutboxMessage).findBy({ topic: 'incident.escalation_webhook', dispatchedAt: IsNull() });
      const job = {
        outboxMessageId: second!.id,
        organizationId: org,
        topic: second!.topic,
        payload: second!.payload,
      } as OutboxJob<'incident.escalation_webhook'>;
      failNext = 1;
      await expect(t.get(EscalationWebhook).post(job)).rejects.toThrow(/500/);
      expect(await t.get(EscalationWebhook).post(job)).toBe('sent');
      expect(await t.get(EscalationWebhook).post(job)).toBe('skipped');
      expect(postsAbout(incident.reference).map((p) => p.body.incident.attempt)).toEqual([1, 2, 2]);
      await deliverAll();

      // the next level fired, acknowledged before its post: nothing is posted
      const [again] = await running(incident.id);
      await makeDue(again!.id);
      expect(await t.get(EscalationService).checkDue()).toBe(1);
      await as(ciso).post(`/api/v1/incidents/${incident.id}/acknowledge`, {}).expect(200);
      await deliverAll();
      expect(postsAbout(incident.reference)).toHaveLength(3);
      const [{ webhook_status: status }] = (await t.dataSource.query(`SELECT webhook_status FROM escalation_firings WHERE incident_id = $1 AND level = 1`, [
        incident.id,
      ])) as { webhook_status: string | null }[];
      expect(status).toBeNull();
    });
  });
});
