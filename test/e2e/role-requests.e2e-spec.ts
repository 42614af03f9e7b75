import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { AuthSession } from '../../src/auth/auth-session.entity.js';
import { RoleRequest } from '../../src/staff/role-request.entity.js';
import { RoleRequestsService } from '../../src/staff/role-requests.service.js';
import { Staff } from '../../src/staff/staff.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { deliverOutbox, mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 7.1: an administrator could make anyone a CISO. A privileged role is now granted or removed
 * only through a role request that a second person approves (DESIGN.md §2).
 */
describe('role requests', () => {
  let t: TestApp;
  let org: string;
  let somu: string;
  let adminA: TestPerson;
  let adminB: TestPerson;
  let ciso: TestPerson;
  let officer: TestPerson;
  const token = {} as Record<'adminA' | 'adminB' | 'ciso' | 'officer', string>;

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    somu = (await createDepartment(t, org, { code: 'SOMU', name: '総務課' })).id;
    adminA = await createPerson(t, org, { roles: ['admin'] });
    adminB = await createPerson(t, org, { roles: ['admin'] });
    ciso = await createPerson(t, org, { roles: ['ciso'] });
    officer = await createPerson(t, org, { roles: ['security_officer'] });
    token.adminA = (await signIn(t, adminA)).accessToken;
    token.adminB = (await signIn(t, adminB)).accessToken;
    token.ciso = (await signIn(t, ciso)).accessToken;
    token.officer = (await signIn(t, officer)).accessToken;
  });
  afterAll(() => t.close());

  const as = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });
  const staffRow = (id: string) => t.dataSource.getRepository(Staff).findOneByOrFail({ id });
  const audits = (action: string, entityId?: string) => t.dataSource.getRepository(AuditTrailEntry).countBy({ action, ...(entityId ? { entityId } : {}) });
  const count = (entity: typeof Staff | typeof AuditTrailEntry | typeof RoleRequest) => t.dataSource.getRepository(entity).count();
  const fileRequest = (bearer: string, staffId: string, body: object) =>
    request(t.http).post(`/api/v1/staff/${staffId}/role-requests`).set(as(bearer)).send(body);
  const act = (bearer: string, id: string, action: 'approve' | 'confirm' | 'reject' | 'withdraw', body: object = {}) =>
    request(t.http).post(`/api/v1/role-requests/${id}/${action}`).set(as(bearer)).send(body);
  const grant = (role: string, reason = '異動のため') => ({ change: 'grant', role, reason });
  const revoke = (role: string, reason = '異動のため') => ({ change: 'revoke', role, reason });
  const newStaff = (overrides: object = {}) => {
    const n = Math.floor(Math.random() * 1e9);
    return {
      employeeNumber: `R${n}`,
      familyName: '山田',
      givenName: '花子',
      email: `hanako${n}@town.example`,
      departmentId: somu,
      roles: ['staff'],
      ...overrides,
    };
  };

  describe('no privileged role is given or taken directly', () => {
    it('refuses an administrator creating a CISO (409 naming roles), writing nothing', async () => {
      const [staffBefore, auditBefore] = [await count(Staff), await count(AuditTrailEntry)];
      const body = newStaff({ roles: ['ciso'] });
      const response = await request(t.http).post('/api/v1/staff').set(as(token.adminA)).send(body).expect(409);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({
        code: 'ROLE_CHANGE_NEEDS_APPROVAL',
        errors: [{ field: 'roles', messages: [expect.stringMatching(/granting ciso.*role request/)] }],
      });
      expect([await count(Staff), await count(AuditTrailEntry)]).toEqual([staffBefore, auditBefore]);
      expect(await t.dataSource.getRepository(Staff).existsBy({ email: body.email })).toBe(false);
      for (const role of ['admin', 'security_officer', 'csirt', 'auditor']) {
        await request(t.http)
          .post('/api/v1/staff')
          .set(as(token.adminA))
          .send(newStaff({ roles: [role, 'staff'] }))
          .expect(409);
      }
      expect(await count(Staff)).toBe(staffBefore);
    });

    it('refuses a PATCH that adds or removes a privileged role; manager and staff still change directly', async () => {
      const person = await createPerson(t, org, { departmentId: somu });
      const csirt = await createPerson(t, org, { roles: ['csirt'] });
      const auditBefore = await count(AuditTrailEntry);
      const adding = await request(t.http)
        .patch(`/api/v1/staff/${person.staff.id}`)
        .set(as(token.adminA))
        .send({ roles: ['staff', 'ciso'] })
        .expect(409);
      expect(adding.body).toMatchObject({ code: 'ROLE_CHANGE_NEEDS_APPROVAL', errors: [{ field: 'roles' }] });
      expect(adding.body.errors[0].messages[0]).toContain(`/api/v1/staff/${person.staff.id}/role-requests`);
      const removing = await request(t.http)
        .patch(`/api/v1/staff/${csirt.staff.id}`)
        .set(as(token.adminA))
        .send({ roles: ['staff'] })
        .expect(409);
      expect(removing.body).toMatchObject({
        code: 'ROLE_CHANGE_NEEDS_APPROVAL',
        errors: [{ field: 'roles', messages: [expect.stringMatching(/removing csirt/)] }],
      });
      expect((await staffRow(person.staff.id)).roles).toEqual(['staff']);
      expect((await staffRow(csirt.staff.id)).roles).toEqual(['csirt', 'staff']);
      expect(await count(AuditTrailEntry)).toBe(auditBefore);

      const manager = await request(t.http)
        .patch(`/api/v1/staff/${person.staff.id}`)
        .set(as(token.adminA))
        .send({ roles: ['manager'] })
        .expect(200);
      expect(manager.body.roles).toEqual(['manager', 'staff']);
      // the privileged roles a person holds may be repeated: nothing privileged changes
      const kept = await request(t.http)
        .patch(`/api/v1/staff/${csirt.staff.id}`)
        .set(as(token.adminA))
        .send({ roles: ['csirt', 'manager'], givenName: '次郎' });
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ roles: ['csirt', 'manager', 'staff'], givenName: '次郎' });
    });

    it('refuses, line by line, an HR import that grants or removes a privileged role, importing nothing', async () => {
      const csirt = await createPerson(t, org, { roles: ['csirt'] });
      const number = csirt.staff.employeeNumber;
      const [staffBefore, auditBefore] = [await count(Staff), await count(AuditTrailEntry)];
      const csv = [
        '職員番号,氏,名,メールアドレス,所属コード,役割',
        `91001,佐藤,一郎,ichiro91001@town.example,SOMU,staff`,
        `91002,鈴木,二郎,jiro91002@town.example,SOMU,ciso`,
        `${number},試験,太郎,${csirt.email},,staff`,
      ].join('\n');
      const response = await request(t.http)
        .post('/api/v1/staff/import')
        .set(as(token.adminA))
        .attach('file', Buffer.from(csv, 'utf8'), { filename: 'staff.csv', contentType: 'text/csv' })
        .expect(422);
      expect(response.body.code).toBe('STAFF_IMPORT_INVALID');
      expect((response.body.errors as { line: number; field: string }[]).map((e) => `${e.line}:${e.field}`)).toEqual(['3:roles', '4:roles']);
      expect([await count(Staff), await count(AuditTrailEntry)]).toEqual([staffBefore, auditBefore]);
    });
  });

  it('grants security_officer: an administrator asks, the CISO approves, the person holds it and must use a second factor', async () => {
    const person = await createPerson(t, org, { departmentId: somu });
    const session = (await signIn(t, person)).accessToken;
    await request(t.http).get('/api/v1/me').set(as(session)).expect(200);

    const created = await fileRequest(token.adminA, person.staff.id, grant('security_officer', '4月から情報政策室の担当になるため')).expect(201);
    expect(created.body).toMatchObject({
      staff: { id: person.staff.id, employeeNumber: person.staff.employeeNumber },
      change: 'grant',
      role: 'security_officer',
      reason: '4月から情報政策室の担当になるため',
      status: 'pending',
      nextAction: 'approve',
      approverRole: 'ciso',
      confirmationRequired: false,
      requestedBy: { id: adminA.staff.id },
      approvedBy: null,
      closedBy: null,
    });
    const id = created.body.id as string;
    expect(Math.abs(new Date(created.body.expiresAt).getTime() - new Date(created.body.requestedAt).getTime() - 7 * 86_400_000)).toBeLessThan(1000);
    expect(await audits('role_request.create', id)).toBe(1);
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff']);

    // the security office hears of it; the CISO is asked to decide
    const [cisoMail] = await mailsTo(t, ciso.email);
    expect(cisoMail).toMatchObject({ subject: expect.stringContaining('権限変更の申請'), text: expect.stringContaining('承認または却下してください') });
    const [officeMail] = await mailsTo(t, officer.email);
    expect(officeMail!.subject).toContain('情報セキュリティ担当');
    expect(officeMail!.text).not.toContain('承認または却下してください');

    // the requester, another administrator and the person are not the approver
    expect((await act(token.adminA, id, 'approve').expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    expect((await act(token.adminB, id, 'approve').expect(403)).body).toMatchObject({ code: 'ROLE_REQUEST_APPROVER_ROLE', requiredRoles: ['ciso'] });
    expect((await act(session, id, 'approve').expect(403)).body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['admin', 'ciso'] });

    const approved = await act(token.ciso, id, 'approve').expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', nextAction: null, approvedBy: { id: ciso.staff.id }, closedBy: { id: ciso.staff.id } });
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff', 'security_officer']);
    expect(await audits('role_request.approve', id)).toBe(1);
    const update = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'staff.update', entityId: person.staff.id });
    expect(update.changes.roles).toEqual({ before: ['staff'], after: ['staff', 'security_officer'] });

    // the session opened without a second factor is over; signing in now asks for one
    await request(t.http).get('/api/v1/me').set(as(session)).expect(401);
    const login = await request(t.http).post('/api/v1/auth/login').send({ email: person.email, password: person.password }).expect(200);
    expect(login.body).toMatchObject({ mfaRequired: true, enrolment: { otpauthUri: expect.any(String) } });

    const [applied] = await mailsTo(t, person.email);
    expect(applied!.subject).toContain('権限を変更しました');
    expect((await mailsTo(t, adminA.email))[0]!.subject).toContain('権限を変更しました');
    await act(token.ciso, id, 'approve').expect(409);
  });

  it('grants ciso only when another administrator approves and the sitting CISO confirms', async () => {
    const person = await createPerson(t, org, { departmentId: somu });
    const session = (await signIn(t, person)).accessToken;
    const id = (await fileRequest(token.adminA, person.staff.id, grant('ciso', '副町長の就任に伴い')).expect(201)).body.id as string;
    // every other administrator is asked; the CISO is told, not asked yet
    expect((await mailsTo(t, adminB.email))[0]!.text).toContain('承認または却下してください');
    expect((await mailsTo(t, ciso.email))[0]!.text).not.toContain('承認または却下してください');

    expect((await act(token.ciso, id, 'approve').expect(403)).body).toMatchObject({ code: 'ROLE_REQUEST_APPROVER_ROLE', requiredRoles: ['admin'] });
    expect((await act(token.adminA, id, 'approve').expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    const early = await act(token.ciso, id, 'confirm').expect(409);
    expect(early.body).toMatchObject({ code: 'ROLE_REQUEST_TRANSITION_NOT_ALLOWED', requestStatus: 'pending' });

    const approved = await act(token.adminB, id, 'approve').expect(200);
    expect(approved.body).toMatchObject({
      status: 'awaiting_confirmation',
      nextAction: 'confirm',
      confirmationRequired: true,
      confirmer: 'ciso',
      approvedBy: { id: adminB.staff.id },
    });
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff']);
    // the sitting CISO is asked to confirm; the person is told, not asked
    const [cisoMail] = await mailsTo(t, ciso.email);
    expect(cisoMail!.text).toContain('CISO として Mamori で確認または却下してください');
    const [personMail] = await mailsTo(t, person.email);
    expect(personMail!.subject).toContain('確認待ち');
    expect(personMail!.text).not.toContain('引き受けるか辞退するか');

    // the person, the requester and the approving administrator do not confirm it
    await request(t.http).get(`/api/v1/role-requests/${id}`).set(as(session)).expect(200);
    expect((await act(session, id, 'confirm').expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    expect((await act(session, id, 'reject', { reason: '辞退' }).expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    expect((await act(token.adminA, id, 'confirm').expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    expect((await act(token.adminB, id, 'confirm').expect(403)).body.code).toBe('ROLE_REQUEST_NOT_CONCERNED');
    expect((await act(token.ciso, id, 'approve').expect(409)).body.requestStatus).toBe('awaiting_confirmation');

    const confirmed = await act(token.ciso, id, 'confirm').expect(200);
    expect(confirmed.body).toMatchObject({
      status: 'approved',
      nextAction: null,
      confirmer: 'ciso',
      confirmedAt: expect.any(String),
      closedBy: { id: ciso.staff.id },
    });
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff', 'ciso']);
    expect([await audits('role_request.approve', id), await audits('role_request.confirm', id)]).toEqual([1, 1]);
    await request(t.http).get('/api/v1/me').set(as(session)).expect(401);

    // removing a CISO: another administrator approves, a sitting CISO other than the person confirms
    const removal = (await fileRequest(token.adminB, person.staff.id, revoke('ciso', '任期満了')).expect(201)).body.id as string;
    expect((await act(token.adminA, removal, 'approve').expect(200)).body).toMatchObject({ status: 'awaiting_confirmation', confirmer: 'ciso' });
    expect((await mailsTo(t, ciso.email))[0]!.text).toContain('CISO として Mamori で確認または却下してください');
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff', 'ciso']);
    expect((await act(token.ciso, removal, 'confirm').expect(200)).body).toMatchObject({ status: 'approved', closedBy: { id: ciso.staff.id } });
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff']);
  });

  it('makes the first CISO of an organisation: another administrator approves and the person accepts or declines; removing the only CISO needs no CISO', async () => {
    const town = await testOrganization(t, 'first-ciso-town');
    const [first, second, deputy] = [
      await createPerson(t, town, { roles: ['admin'] }),
      await createPerson(t, town, { roles: ['admin'] }),
      await createPerson(t, town),
    ];
    const [a, b, d] = [(await signIn(t, first)).accessToken, (await signIn(t, second)).accessToken, (await signIn(t, deputy)).accessToken];
    const declined = (await fileRequest(a, deputy.staff.id, grant('ciso')).expect(201)).body.id as string;
    expect((await act(b, declined, 'approve').expect(200)).body).toMatchObject({ status: 'awaiting_confirmation', confirmer: 'person' });
    expect((await mailsTo(t, deputy.email))[0]!.text).toContain('引き受けるか辞退するか');
    expect((await act(b, declined, 'reject', { reason: '取りやめ' }).expect(403)).body.code).toBe('ROLE_REQUEST_NOT_CONCERNED');
    const refused = await act(d, declined, 'reject', { reason: '辞退します' }).expect(200);
    expect(refused.body).toMatchObject({ status: 'rejected', rejectionReason: '辞退します', closedBy: { id: deputy.staff.id } });
    expect((await staffRow(deputy.staff.id)).roles).toEqual(['staff']);

    const accepted = (await fileRequest(b, deputy.staff.id, grant('ciso')).expect(201)).body.id as string;
    await act(a, accepted, 'approve').expect(200);
    expect((await act(d, accepted, 'confirm').expect(200)).body).toMatchObject({ status: 'approved', confirmer: 'person', closedBy: { id: deputy.staff.id } });
    expect((await staffRow(deputy.staff.id)).roles).toEqual(['staff', 'ciso']);

    // the only CISO cannot block their own removal: the administrator's approval applies it
    const removal = (await fileRequest(a, deputy.staff.id, revoke('ciso')).expect(201)).body.id as string;
    expect((await act(b, removal, 'approve').expect(200)).body).toMatchObject({ status: 'approved', confirmer: null, confirmationRequired: false });
    expect((await staffRow(deputy.staff.id)).roles).toEqual(['staff']);
  });

  it('never lets anyone decide a request they made or one about themselves', async () => {
    // a request about the CISO: the CISO may neither approve nor reject it
    const id = (await fileRequest(token.adminA, ciso.staff.id, grant('auditor')).expect(201)).body.id as string;
    expect((await act(token.ciso, id, 'approve').expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    expect((await act(token.ciso, id, 'reject', { reason: 'no' }).expect(403)).body.code).toBe('ROLE_REQUEST_OWN');
    // nor does an administrator ask about themselves
    const own = await fileRequest(token.adminA, adminA.staff.id, revoke('admin')).expect(403);
    expect(own.body).toMatchObject({ code: 'STAFF_OWN_ROLES', errors: [{ field: 'id' }] });
    // only the requester withdraws
    expect((await act(token.adminB, id, 'withdraw').expect(403)).body.code).toBe('ROLE_REQUEST_NOT_REQUESTER');
    const withdrawn = await act(token.adminA, id, 'withdraw').expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', closedBy: { id: adminA.staff.id } });
    expect(await audits('role_request.withdraw', id)).toBe(1);
    expect((await act(token.ciso, id, 'approve').expect(409)).body).toMatchObject({ code: 'ROLE_REQUEST_TRANSITION_NOT_ALLOWED', requestStatus: 'withdrawn' });
    expect((await staffRow(ciso.staff.id)).roles).toEqual(['ciso', 'staff']);
    await deliverOutbox(t);
    const mails = await mailsTo(t, officer.email);
    expect(mails[0]!.subject).toContain('取り下げられました');
  });

  it('rejects with a reason, and refuses a second open request or one that changes nothing', async () => {
    const person = await createPerson(t, org);
    const id = (await fileRequest(token.adminA, person.staff.id, grant('csirt')).expect(201)).body.id as string;
    const twice = await fileRequest(token.adminB, person.staff.id, grant('csirt')).expect(409);
    expect(twice.body).toMatchObject({ code: 'ROLE_REQUEST_OPEN_EXISTS', roleRequestId: id, errors: [{ field: 'role' }] });
    const nothing = await fileRequest(token.adminA, person.staff.id, revoke('auditor')).expect(409);
    expect(nothing.body).toMatchObject({ code: 'ROLE_REQUEST_NO_CHANGE', errors: [{ field: 'role' }] });
    const noReason = await act(token.ciso, id, 'reject', {}).expect(400);
    expect(noReason.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'reason' }] });
    const rejected = await act(token.ciso, id, 'reject', { reason: '業務上の必要がないため' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: '業務上の必要がないため', closedBy: { id: ciso.staff.id }, approvedBy: null });
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff']);
    expect(await audits('role_request.reject', id)).toBe(1);
    expect((await mailsTo(t, adminA.email))[0]!.text).toContain('業務上の必要がないため');
    // closed, it no longer stands in the way
    await fileRequest(token.adminB, person.staff.id, grant('csirt')).expect(201);
  });

  it('expires a request after 7 days: it reads as expired, acting on it is refused and recorded, the sweep closes the rest', async () => {
    const person = await createPerson(t, org);
    const other = await createPerson(t, org);
    const id = (await fileRequest(token.adminA, person.staff.id, grant('auditor')).expect(201)).body.id as string;
    const swept = (await fileRequest(token.adminA, other.staff.id, grant('auditor')).expect(201)).body.id as string;
    await t.dataSource.query(`UPDATE role_requests SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [[id, swept]]);

    const read = await request(t.http).get(`/api/v1/role-requests/${id}`).set(as(token.officer)).expect(200);
    expect(read.body).toMatchObject({ status: 'expired', nextAction: null });
    const listed = await request(t.http).get(`/api/v1/role-requests?status=expired&staffId=${person.staff.id}`).set(as(token.officer)).expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await request(t.http).get(`/api/v1/role-requests?status=pending&staffId=${person.staff.id}`).set(as(token.officer)).expect(200)).body.total).toBe(
      0,
    );

    expect((await act(token.ciso, id, 'approve').expect(409)).body.code).toBe('ROLE_REQUEST_EXPIRED');
    expect((await t.dataSource.getRepository(RoleRequest).findOneByOrFail({ id })).status).toBe('expired');
    expect(await audits('role_request.expire', id)).toBe(1);
    expect((await staffRow(person.staff.id)).roles).toEqual(['staff']);
    expect((await mailsTo(t, adminA.email))[0]!.subject).toContain('期限切れ');

    expect(await t.get(RoleRequestsService).expireDue()).toEqual({ expired: 1 });
    expect((await t.dataSource.getRepository(RoleRequest).findOneByOrFail({ id: swept })).status).toBe('expired');
    expect(await t.get(RoleRequestsService).expireDue()).toEqual({ expired: 0 });
    // a new request may follow
    await fileRequest(token.adminA, person.staff.id, grant('auditor')).expect(201);
  });

  it('removing a privileged role ends the person’s sessions', async () => {
    const responder = await createPerson(t, org, { roles: ['csirt'] });
    const session = (await signIn(t, responder)).accessToken;
    await request(t.http).get('/api/v1/me').set(as(session)).expect(200);
    const id = (await fileRequest(token.adminB, responder.staff.id, revoke('csirt', 'CSIRT から外れるため')).expect(201)).body.id as string;
    await request(t.http).get('/api/v1/me').set(as(session)).expect(200);
    await act(token.ciso, id, 'approve').expect(200);
    expect((await staffRow(responder.staff.id)).roles).toEqual(['staff']);
    await request(t.http).get('/api/v1/me').set(as(session)).expect(401);
    const sessions = await t.dataSource.getRepository(AuthSession).findBy({ staffId: responder.staff.id });
    expect(sessions.map((s) => s.revokedReason)).toEqual(['role_revoked']);
  });

  it('keeps the last active administrator: two administrators removing each other cannot both succeed', async () => {
    const town = await testOrganization(t, 'other-town');
    const [first, second, chief] = [
      await createPerson(t, town, { roles: ['admin'] }),
      await createPerson(t, town, { roles: ['admin'] }),
      await createPerson(t, town, { roles: ['ciso'] }),
    ];
    const [a, b, c] = [(await signIn(t, first)).accessToken, (await signIn(t, second)).accessToken, (await signIn(t, chief)).accessToken];
    const one = (await fileRequest(a, second.staff.id, revoke('admin')).expect(201)).body.id as string;
    const other = (await fileRequest(b, first.staff.id, revoke('admin')).expect(201)).body.id as string;
    await act(c, one, 'approve').expect(200);
    expect((await act(c, other, 'approve').expect(409)).body.code).toBe('ROLE_REQUEST_LAST_ADMIN');
    expect((await staffRow(first.staff.id)).roles).toEqual(['admin', 'staff']);
    // another organisation's requests are not there
    await request(t.http).get(`/api/v1/role-requests/${one}`).set(as(token.officer)).expect(404);
    await act(token.ciso, other, 'approve').expect(404);
  });

  it('shows the office every request and anyone else those about them', async () => {
    const person = await createPerson(t, org);
    const session = (await signIn(t, person)).accessToken;
    const id = (await fileRequest(token.adminA, person.staff.id, grant('auditor')).expect(201)).body.id as string;
    const mine = await request(t.http).get('/api/v1/role-requests').set(as(session)).expect(200);
    expect(mine.body).toMatchObject({ total: 1, page: 1, pageSize: 50, items: [{ id }] });
    const all = await request(t.http).get('/api/v1/role-requests?pageSize=2').set(as(token.officer)).expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThan(5);
    expect(all.body.items[0].id).toBe(id); // newest first
    const byPerson = await request(t.http)
      .get(`/api/v1/role-requests?staffId=${person.staff.id}&status=pending&role=auditor`)
      .set(as(token.adminB))
      .expect(200);
    expect(byPerson.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    const someoneElse = (await signIn(t, await createPerson(t, org))).accessToken;
    expect((await request(t.http).get('/api/v1/role-requests').set(as(someoneElse)).expect(200)).body.total).toBe(0);
    await request(t.http).get(`/api/v1/role-requests/${id}`).set(as(someoneElse)).expect(404);
    await act(someoneElse, id, 'confirm').expect(404);
    await fileRequest(token.officer, person.staff.id, grant('csirt')).expect(403);
  });

  describe('no way round the role requests (review of issue 7.1)', () => {
    const importCsv = (lines: string[]) =>
      request(t.http)
        .post('/api/v1/staff/import')
        .set(as(token.adminA))
        .attach('file', Buffer.from(lines.join('\n'), 'utf8'), { filename: 'staff.csv', contentType: 'text/csv' });
    const staffUpdates = async (staffId: string) =>
      (await t.dataSource.getRepository(AuditTrailEntry).find({ where: { action: 'staff.update', entityId: staffId }, order: { seq: 'ASC' } })).map(
        (entry) => entry.changes,
      );

    it('refuses to redirect the e-mail of a person with a privileged role or an open request (PATCH and import), writing nothing', async () => {
      // a new hire about to become auditor, before they have enrolled a second factor
      const hire = await createPerson(t, org, { departmentId: somu, totp: false });
      const id = (await fileRequest(token.adminA, hire.staff.id, grant('auditor')).expect(201)).body.id as string;
      const patchEmail = (staffId: string, email: string) =>
        request(t.http).patch(`/api/v1/staff/${staffId}`).set(as(token.adminA)).send({ email, givenName: '乗取' });
      const auditBefore = await count(AuditTrailEntry);
      const open = await patchEmail(hire.staff.id, 'admin-mailbox@town.example').expect(409);
      expect(open.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(open.body).toMatchObject({
        code: 'PRIVILEGED_EMAIL_CHANGE',
        errors: [{ field: 'email', messages: [expect.stringMatching(/open role request.*withdrawn/)] }],
      });
      expect(await count(AuditTrailEntry)).toBe(auditBefore);

      await act(token.ciso, id, 'approve').expect(200);
      const auditApproved = await count(AuditTrailEntry);
      const held = await patchEmail(hire.staff.id, 'ADMIN-mailbox@town.example').expect(409);
      expect(held.body).toMatchObject({
        code: 'PRIVILEGED_EMAIL_CHANGE',
        errors: [{ field: 'email', messages: [expect.stringMatching(/holds auditor: remove it first by a role request/)] }],
      });
      expect(await staffRow(hire.staff.id)).toMatchObject({ email: hire.email, givenName: '太郎' });
      expect(await count(AuditTrailEntry)).toBe(auditApproved);

      // the HR import: line by line, nothing imported
      const waiting = await createPerson(t, org);
      await fileRequest(token.adminB, waiting.staff.id, grant('csirt')).expect(201);
      const [staffBefore, auditBeforeImport] = [await count(Staff), await count(AuditTrailEntry)];
      const response = await importCsv([
        '職員番号,氏,名,メールアドレス,所属コード,役割',
        `93001,新規,三郎,saburo93001@town.example,SOMU,staff`,
        `${hire.staff.employeeNumber},試験,太郎,taken-over@town.example,SOMU,staff;auditor`,
        `${waiting.staff.employeeNumber},試験,太郎,waiting-over@town.example,,staff`,
      ]).expect(422);
      expect(response.body.code).toBe('STAFF_IMPORT_INVALID');
      expect(response.body.errors).toEqual([
        { line: 3, field: 'email', messages: [expect.stringMatching(/holds auditor/)] },
        { line: 4, field: 'email', messages: [expect.stringMatching(/open role request/)] },
      ]);
      expect([await count(Staff), await count(AuditTrailEntry)]).toEqual([staffBefore, auditBeforeImport]);
      expect((await staffRow(waiting.staff.id)).email).toBe(waiting.email);

      // the same address, other fields, and people without privileged roles change as before
      await request(t.http).patch(`/api/v1/staff/${hire.staff.id}`).set(as(token.adminA)).send({ email: hire.email, givenName: '花子' }).expect(200);
      const plain = await createPerson(t, org);
      await patchEmail(plain.staff.id, `moved${Date.now()}@town.example`).expect(200);
    });

    it('takes the privileged roles away from someone coming back from retirement (PATCH and import), in the same audited change', async () => {
      const former = await createPerson(t, org, { roles: ['admin', 'auditor'] });
      const responder = await createPerson(t, org, { roles: ['csirt'], departmentId: somu });
      for (const person of [former, responder]) {
        await request(t.http).patch(`/api/v1/staff/${person.staff.id}`).set(as(token.adminA)).send({ status: 'retired' }).expect(200);
      }
      // retiring keeps the roles (and the record of them)
      expect((await staffRow(former.staff.id)).roles).toEqual(['admin', 'auditor', 'staff']);

      const back = await request(t.http).patch(`/api/v1/staff/${former.staff.id}`).set(as(token.adminA)).send({ status: 'active' }).expect(200);
      expect(back.body).toMatchObject({ status: 'active', roles: ['staff'] });
      const returned = (await staffUpdates(former.staff.id)).at(-1)!;
      expect(returned.status).toEqual({ before: 'retired', after: 'active' });
      expect(returned.roles).toEqual({ before: ['admin', 'auditor', 'staff'], after: ['staff'] });
      expect(returned['@context']).toEqual({ after: { privilegedRolesRemoved: ['admin', 'auditor'] } });
      // a role request gives a role back; asking for it directly on the way back is refused
      const again = await request(t.http)
        .patch(`/api/v1/staff/${responder.staff.id}`)
        .set(as(token.adminA))
        .send({ status: 'active', roles: ['csirt', 'staff'] })
        .expect(409);
      expect(again.body).toMatchObject({
        code: 'ROLE_CHANGE_NEEDS_APPROVAL',
        errors: [{ field: 'roles', messages: [expect.stringMatching(/granting csirt/)] }],
      });
      expect((await staffRow(responder.staff.id)).status).toBe('retired');

      const imported = await importCsv([
        '職員番号,氏,名,メールアドレス,所属コード,役割,在職状況',
        `${responder.staff.employeeNumber},試験,太郎,${responder.email},SOMU,staff,在職`,
      ]).expect(200);
      expect(imported.body).toMatchObject({ updated: 1 });
      expect(await staffRow(responder.staff.id)).toMatchObject({ status: 'active', roles: ['staff'] });
      expect((await staffUpdates(responder.staff.id)).at(-1)!['@context']).toEqual({ after: { privilegedRolesRemoved: ['csirt'] } });
    });

    it('closes the open requests of someone retiring, and approves or confirms nothing granted to a retired person', async () => {
      const leaving = await createPerson(t, org);
      const one = (await fileRequest(token.adminA, leaving.staff.id, grant('auditor')).expect(201)).body.id as string;
      const two = (await fileRequest(token.adminB, leaving.staff.id, grant('ciso')).expect(201)).body.id as string;
      await act(token.adminA, two, 'approve').expect(200);
      await request(t.http).patch(`/api/v1/staff/${leaving.staff.id}`).set(as(token.adminA)).send({ status: 'retired' }).expect(200);
      for (const id of [one, two]) {
        expect(await t.dataSource.getRepository(RoleRequest).findOneByOrFail({ id })).toMatchObject({ status: 'withdrawn', closedById: adminA.staff.id });
        const [entry] = await t.dataSource.getRepository(AuditTrailEntry).findBy({ action: 'role_request.withdraw', entityId: id });
        expect(entry!.changes['@context']).toEqual({ after: { reason: 'retired' } });
      }
      expect((await act(token.ciso, one, 'approve').expect(409)).body).toMatchObject({
        code: 'ROLE_REQUEST_TRANSITION_NOT_ALLOWED',
        requestStatus: 'withdrawn',
      });
      expect((await act(token.ciso, two, 'confirm').expect(409)).body.requestStatus).toBe('withdrawn');
      expect((await mailsTo(t, officer.email)).filter((mail) => mail.subject.includes('取り下げられました')).length).toBeGreaterThanOrEqual(2);

      // a request still open about a retired person (the status set behind the app's back) is neither approved nor confirmed
      const later = await createPerson(t, org);
      const pending = (await fileRequest(token.adminA, later.staff.id, grant('ciso')).expect(201)).body.id as string;
      const other = await createPerson(t, org);
      const waiting = (await fileRequest(token.adminA, other.staff.id, grant('ciso')).expect(201)).body.id as string;
      await act(token.adminB, waiting, 'approve').expect(200);
      await t.dataSource.query(`UPDATE staff SET status = 'retired' WHERE id = ANY($1::uuid[])`, [[later.staff.id, other.staff.id]]);
      expect((await act(token.adminB, pending, 'approve').expect(409)).body.code).toBe('ROLE_REQUEST_TARGET_RETIRED');
      expect((await act(token.ciso, waiting, 'confirm').expect(409)).body.code).toBe('ROLE_REQUEST_TARGET_RETIRED');
      expect(await t.dataSource.getRepository(RoleRequest).findOneByOrFail({ id: pending })).toMatchObject({ status: 'pending', approvedById: null });
      expect((await staffRow(other.staff.id)).roles).toEqual(['staff']);
    });
  });

  it('answers bad input with 400/404 problem+json naming the field, writing nothing', async () => {
    const person = await createPerson(t, org);
    const [requestsBefore, auditBefore] = [await count(RoleRequest), await count(AuditTrailEntry)];
    const field = async (body: object, expected: string) => {
      const response = await fileRequest(token.adminA, person.staff.id, body).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toEqual([expected]);
      return response.body.errors[0].messages.join(' ') as string;
    };
    await field(grant('wizard'), 'role');
    expect(await field(grant('manager'), 'role')).toMatch(/PATCH \/api\/v1\/staff/);
    await field(grant('staff'), 'role');
    await field({ change: 'grant', role: 'csirt' }, 'reason');
    await field(grant('csirt', '   '), 'reason');
    await field(grant('csirt', 'あ'.repeat(501)), 'reason');
    await field({ change: 'promote', role: 'csirt', reason: 'x' }, 'change');
    await field({ ...grant('csirt'), staffId: person.staff.id }, 'staffId');
    const badId = await fileRequest(token.adminA, 'not-a-uuid', grant('csirt')).expect(400);
    expect(badId.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
    expect((await act(token.ciso, '1234', 'approve').expect(400)).body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
    const missing = await fileRequest(token.adminA, '00000000-0000-4000-8000-000000000000', grant('csirt')).expect(404);
    expect(missing.body.code).toBe('STAFF_NOT_FOUND');
    expect((await act(token.ciso, '00000000-0000-4000-8000-000000000000', 'approve').expect(404)).body.code).toBe('ROLE_REQUEST_NOT_FOUND');
    expect((await request(t.http).get('/api/v1/role-requests?status=done').set(as(token.officer)).expect(400)).body.errors).toEqual([
      { field: 'status', messages: expect.any(Array) },
    ]);
    expect([await count(RoleRequest), await count(AuditTrailEntry)]).toEqual([requestsBefore, auditBefore]);
  });
});
