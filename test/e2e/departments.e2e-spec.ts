import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { Department } from '../../src/staff/department.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('departments: tree, head, move, close', () => {
  let t: TestApp;
  let org: string;
  let admin: string;
  let staffToken: string;
  let managerToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    admin = (await signIn(t, await createPerson(t, org, { roles: ['admin'] }))).accessToken;
    staffToken = (await signIn(t, await createPerson(t, org))).accessToken;
    managerToken = (await signIn(t, await createPerson(t, org, { roles: ['manager'] }))).accessToken;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** a page asked for by a browser signed in with this access token */
  const page = (token: string) => ({ Accept: 'text/html', Cookie: `mamori_at=${token}` });
  const audits = (entityId: string, action?: string) =>
    t.dataSource.getRepository(AuditTrailEntry).count({ where: { entityId, ...(action ? { action } : {}) } });
  const create = (body: object) => request(t.http).post('/api/v1/departments').set(as(admin)).send(body);

  it('creates, renames, sets a head and moves a department; the tree shows depth, parent, head and member count', async () => {
    const kikaku = (await create({ code: 'KIKAKU', name: '企画課' }).expect(201)).body;
    const head: TestPerson = await createPerson(t, org);
    await createPerson(t, org, { departmentId: kikaku.id });
    const joho = (await create({ code: 'JOHO', name: '情報室', headId: head.staff.id }).expect(201)).body;
    expect(joho).toMatchObject({ headId: head.staff.id, parentId: null, closedOn: null });

    const renamed = await request(t.http).patch(`/api/v1/departments/${joho.id}`).set(as(admin)).send({ name: '情報政策室' }).expect(200);
    expect(renamed.body.name).toBe('情報政策室');
    await request(t.http).patch(`/api/v1/departments/${joho.id}`).set(as(admin)).send({ parentId: kikaku.id }).expect(200);

    const tree = (await request(t.http).get('/api/v1/departments/tree').set(as(staffToken)).expect(200)).body as {
      code: string;
      depth: number;
      parentId: string | null;
      head: { name: string } | null;
      memberCount: number;
    }[];
    const codes = tree.map((node) => node.code);
    expect(codes.indexOf('JOHO')).toBe(codes.indexOf('KIKAKU') + 1);
    expect(tree.find((node) => node.code === 'KIKAKU')).toMatchObject({ depth: 0, parentId: null, head: null, memberCount: 1 });
    expect(tree.find((node) => node.code === 'JOHO')).toMatchObject({ depth: 1, parentId: kikaku.id, head: { name: '試験 太郎' }, memberCount: 0 });
    expect(await audits(joho.id, 'department.update')).toBe(2);
  });

  it('refuses a cycle naming parentId, a retired or unknown head naming headId, and moving under a closed department', async () => {
    const top = (await create({ code: 'TOP', name: '上' }).expect(201)).body;
    const mid = (await create({ code: 'MID', name: '中', parentId: top.id }).expect(201)).body;
    const low = (await create({ code: 'LOW', name: '下', parentId: mid.id }).expect(201)).body;
    const cycle = await request(t.http).patch(`/api/v1/departments/${top.id}`).set(as(admin)).send({ parentId: low.id }).expect(400);
    expect(cycle.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(cycle.body).toMatchObject({ code: 'DEPARTMENT_CYCLE', errors: [{ field: 'parentId' }] });
    await request(t.http).patch(`/api/v1/departments/${top.id}`).set(as(admin)).send({ parentId: top.id }).expect(400);
    expect((await t.dataSource.getRepository(Department).findOneByOrFail({ id: top.id })).parentId).toBeNull();

    const retired = await createPerson(t, org);
    await request(t.http).patch(`/api/v1/staff/${retired.staff.id}`).set(as(admin)).send({ status: 'retired' }).expect(200);
    const badHead = await request(t.http).patch(`/api/v1/departments/${top.id}`).set(as(admin)).send({ headId: retired.staff.id }).expect(409);
    expect(badHead.body).toMatchObject({ code: 'DEPARTMENT_HEAD_INVALID', errors: [{ field: 'headId' }] });
    const nobody = await create({ code: 'NOBODY', name: '誰も', headId: '00000000-0000-4000-8000-000000000000' }).expect(409);
    expect(nobody.body).toMatchObject({ code: 'DEPARTMENT_HEAD_INVALID', errors: [{ field: 'headId' }] });

    const closed = await createDepartment(t, org, { code: 'OLD', name: '旧課', closedOn: '2026-03-31' });
    const underClosed = await request(t.http).patch(`/api/v1/departments/${low.id}`).set(as(admin)).send({ parentId: closed.id }).expect(409);
    expect(underClosed.body).toMatchObject({ code: 'DEPARTMENT_CLOSED', errors: [{ field: 'parentId' }] });
    await create({ code: 'NEW', name: '新', parentId: closed.id }).expect(409);
  });

  it('refuses to close a department with active members (409 problem+json naming it and the count), writing nothing', async () => {
    const somu = (await create({ code: 'SOMU', name: '総務課' }).expect(201)).body;
    await createPerson(t, org, { departmentId: somu.id });
    await createPerson(t, org, { departmentId: somu.id });
    const leaving = await createPerson(t, org, { departmentId: somu.id });
    await request(t.http).patch(`/api/v1/staff/${leaving.staff.id}`).set(as(admin)).send({ status: 'retired' }).expect(200);
    const auditsBefore = await t.dataSource.getRepository(AuditTrailEntry).count();

    const refused = await request(t.http).delete(`/api/v1/departments/${somu.id}`).set(as(admin)).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'DEPARTMENT_HAS_MEMBERS', department: { id: somu.id, code: 'SOMU', name: '総務課' }, memberCount: 2 });
    expect(refused.body.detail).toContain('SOMU (総務課) still has 2 active members');
    expect((await t.dataSource.getRepository(Department).findOneByOrFail({ id: somu.id })).closedOn).toBeNull();
    expect(await t.dataSource.getRepository(AuditTrailEntry).count()).toBe(auditsBefore);
  });

  it('refuses to close a department with open sub-departments, and closing one twice', async () => {
    const parent = (await create({ code: 'OYA', name: '親課' }).expect(201)).body;
    const child = (await create({ code: 'KO', name: '子係', parentId: parent.id }).expect(201)).body;
    const inUse = await request(t.http).delete(`/api/v1/departments/${parent.id}`).set(as(admin)).expect(409);
    expect(inUse.body).toMatchObject({ code: 'DEPARTMENT_IN_USE', subDepartmentCount: 1 });
    await request(t.http).delete(`/api/v1/departments/${child.id}`).set(as(admin)).expect(204);
    await request(t.http).delete(`/api/v1/departments/${parent.id}`).set(as(admin)).expect(204);
    const again = await request(t.http).delete(`/api/v1/departments/${parent.id}`).set(as(admin)).expect(409);
    expect(again.body.code).toBe('DEPARTMENT_CLOSED');
    await request(t.http).patch(`/api/v1/departments/${parent.id}`).set(as(admin)).send({ name: '親' }).expect(409);
  });

  it('closes an empty department: it stays with closedOn, audited as department.close', async () => {
    const empty = (await create({ code: 'KARA', name: '空室' }).expect(201)).body;
    await request(t.http).delete(`/api/v1/departments/${empty.id}`).set(as(admin)).expect(204);
    const after = await request(t.http).get(`/api/v1/departments/${empty.id}`).set(as(admin)).expect(200);
    expect(after.body.closedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const audit = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ entityId: empty.id, action: 'department.close' });
    expect(audit.changes).toEqual({ closedOn: { before: null, after: after.body.closedOn } });
    const tree = (await request(t.http).get('/api/v1/departments/tree').set(as(admin)).expect(200)).body as { id: string; closedOn: string | null }[];
    expect(tree.find((node) => node.id === empty.id)?.closedOn).toBe(after.body.closedOn);
  });

  it('reopens a closed department (audited), refuses an open one and one under a closed parent, and nobody joins a closed one; lists open or closed ones', async () => {
    const parent = (await create({ code: 'SAIKAI', name: '再開課' }).expect(201)).body;
    const child = (await create({ code: 'SAIKAI-1', name: '再開係', parentId: parent.id }).expect(201)).body;
    const open = await request(t.http).post(`/api/v1/departments/${parent.id}/reopen`).set(as(admin)).expect(409);
    expect(open.body.code).toBe('DEPARTMENT_NOT_CLOSED');
    await request(t.http).delete(`/api/v1/departments/${child.id}`).set(as(admin)).expect(204);
    await request(t.http).delete(`/api/v1/departments/${parent.id}`).set(as(admin)).expect(204);

    const closedList = (await request(t.http).get('/api/v1/departments?state=closed&pageSize=100').set(as(admin)).expect(200)).body;
    expect(closedList.items.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
    const openList = (await request(t.http).get('/api/v1/departments?state=open&pageSize=100').set(as(admin)).expect(200)).body;
    expect(openList.items.map((d: { id: string }) => d.id)).not.toContain(parent.id);
    const bad = await request(t.http).get('/api/v1/departments?state=gone').set(as(admin)).expect(400);
    expect(bad.body.errors[0].field).toBe('state');

    // the child waits for its parent, and nothing is written
    const underClosed = await request(t.http).post(`/api/v1/departments/${child.id}/reopen`).set(as(admin)).expect(409);
    expect(underClosed.body).toMatchObject({ code: 'DEPARTMENT_CLOSED', errors: [{ field: 'parentId' }] });
    expect(await audits(child.id, 'department.reopen')).toBe(0);

    const reopened = await request(t.http).post(`/api/v1/departments/${parent.id}/reopen`).set(as(admin)).expect(200);
    expect(reopened.body.closedOn).toBeNull();
    await request(t.http).post(`/api/v1/departments/${child.id}/reopen`).set(as(admin)).expect(200);
    expect(await audits(parent.id, 'department.reopen')).toBe(1);
    await request(t.http).post(`/api/v1/departments/${parent.id}/reopen`).set(as(managerToken)).expect(403);

    // nobody is created in or moved into a closed department
    const person = await createPerson(t, org);
    await request(t.http).delete(`/api/v1/departments/${child.id}`).set(as(admin)).expect(204);
    const moved = await request(t.http).patch(`/api/v1/staff/${person.staff.id}`).set(as(admin)).send({ departmentId: child.id }).expect(409);
    expect(moved.body).toMatchObject({ code: 'DEPARTMENT_CLOSED', errors: [{ field: 'departmentId' }] });
    const newcomer = {
      employeeNumber: 'CLOSED-1',
      familyName: '閉',
      givenName: '鎖',
      email: 'closed-1@test.example',
      roles: ['staff'],
      departmentId: child.id,
    };
    await request(t.http).post('/api/v1/staff').set(as(admin)).send(newcomer).expect(409);
    await request(t.http).post(`/api/v1/departments/${child.id}/reopen`).set(as(admin)).expect(200);

    // the page: closed departments are listed on their own tab, each with its reopen button
    await request(t.http).delete(`/api/v1/departments/${child.id}`).set(as(admin)).expect(204);
    const openPage = await request(t.http).get('/departments').set(page(admin)).expect(200);
    expect(openPage.text).not.toContain('再開係');
    const closedPage = await request(t.http).get('/departments?state=closed').set(page(admin)).expect(200);
    expect(closedPage.text).toContain('再開係を再開する');
    expect(closedPage.text).not.toContain('再開課を再開する'); // open again: shown only as the parent of 再開係
  });

  it('refuses staff and managers: 403 on the API changes and on the departments page', async () => {
    const target = (await create({ code: 'KANRI', name: '管理課' }).expect(201)).body;
    for (const token of [staffToken, managerToken]) {
      await request(t.http).post('/api/v1/departments').set(as(token)).send({ code: 'X1', name: 'x' }).expect(403);
      await request(t.http).patch(`/api/v1/departments/${target.id}`).set(as(token)).send({ name: 'x' }).expect(403);
      const refused = await request(t.http).delete(`/api/v1/departments/${target.id}`).set(as(token)).expect(403);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      await request(t.http).get('/departments').set(page(token)).expect(403);
      await request(t.http).get(`/departments/${target.id}`).set(page(token)).expect(403);
    }
    await request(t.http).get('/departments').set(page(admin)).expect(200);
    expect((await t.dataSource.getRepository(Department).findOneByOrFail({ id: target.id })).name).toBe('管理課');
  });
});
