import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { DomainEventBus } from '../../src/common/events/domain-events.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { countAcknowledgementDuties } from '../support/acknowledgements.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** `tx.publish`: the features that react run in the publisher's transaction, before it commits. */
describe('domain events in the transaction', () => {
  let t: TestApp;
  let org: string;
  let admin: string;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    admin = (await signIn(t, await createPerson(t, org, { roles: ['admin'] }))).accessToken;
  });
  afterAll(() => t.close());

  const newStaff = () => {
    n++;
    return {
      employeeNumber: `EV-${n}-${Date.now()}`,
      familyName: '事象',
      givenName: `${n}郎`,
      email: `event-${n}-${Date.now()}@test.example`,
      roles: ['staff'],
    };
  };

  it("runs a handler inside the publisher's transaction: it sees the uncommitted joiner, the rest of the world does not", async () => {
    const seen: { inside: boolean; outside: boolean; reason: string }[] = [];
    const unsubscribe = t.get(DomainEventBus).subscribe('staff.joined', async (event, tx) => {
      const inside = await tx.manager.getRepository(Staff).existsBy({ id: event.staffId });
      const outside = await t.dataSource.getRepository(Staff).existsBy({ id: event.staffId });
      seen.push({ inside, outside, reason: event.reason });
    });
    try {
      await request(t.http).post('/api/v1/staff').set('Authorization', `Bearer ${admin}`).send(newStaff()).expect(201);
    } finally {
      unsubscribe();
    }
    expect(seen).toEqual([{ inside: true, outside: false, reason: 'created' }]);
  });

  it('rolls the publisher back when a handler fails: no joiner, no audit row, no e-mail, no duties', async () => {
    const body = newStaff();
    const counts = async () => ({
      staff: await t.dataSource.getRepository(Staff).countBy({ organizationId: org }),
      audit: await t.dataSource.getRepository(AuditTrailEntry).countBy({ organizationId: org }),
      outbox: await t.dataSource.getRepository(OutboxMessage).countBy({ organizationId: org }),
      duties: await countAcknowledgementDuties(t, { organizationId: org }),
    });
    const before = await counts();
    const unsubscribe = t.get(DomainEventBus).subscribe('staff.joined', async () => {
      throw new Error('the reacting feature failed');
    });
    try {
      const response = await request(t.http).post('/api/v1/staff').set('Authorization', `Bearer ${admin}`).send(body).expect(500);
      expect(response.body).toMatchObject({ code: 'INTERNAL' });
      expect(JSON.stringify(response.body)).not.toContain('the reacting feature failed');
    } finally {
      unsubscribe();
    }
    expect(await counts()).toEqual(before);
    expect(await t.dataSource.getRepository(Staff).existsBy({ email: body.email })).toBe(false);
  });

  it('tells the other features of moves and leaves, in the order they happened', async () => {
    const events: string[] = [];
    const bus = t.get(DomainEventBus);
    const off = [
      bus.subscribe(
        'staff.moved',
        async (e) => void events.push(`moved ${e.fromDepartmentId === null ? 'none' : 'dept'}→${e.toDepartmentId ? 'dept' : 'none'}`),
      ),
      bus.subscribe('staff.left', async (e) => void events.push(`left ${e.reason}`)),
      bus.subscribe('staff.joined', async (e) => void events.push(`joined ${e.reason}`)),
    ];
    try {
      const created = await request(t.http).post('/api/v1/staff').set('Authorization', `Bearer ${admin}`).send(newStaff()).expect(201);
      const department = await request(t.http)
        .post('/api/v1/departments')
        .set('Authorization', `Bearer ${admin}`)
        .send({ code: `EV${Date.now()}`, name: '事象課' })
        .expect(201);
      const patch = (changes: object) =>
        request(t.http).patch(`/api/v1/staff/${created.body.id}`).set('Authorization', `Bearer ${admin}`).send(changes).expect(200);
      await patch({ departmentId: department.body.id });
      await patch({ status: 'on_leave' });
      await patch({ status: 'active' });
      await patch({ status: 'retired' });
    } finally {
      off.forEach((unsubscribe) => unsubscribe());
    }
    expect(events).toEqual(['joined created', 'moved none→dept', 'left on_leave', 'joined returned', 'left retired']);
  });
});
