import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor } from '../../src/common/actor.js';
import { DomainEventBus, type DomainEvent } from '../../src/common/events/domain-events.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { splitLanguages } from '../../src/policies/policy-body.js';
import { PolicyReview } from '../../src/policies/policy-review.entity.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const OLD_CLAUSE = '少なくとも年1回開催して';
const NEW_CLAUSE = '少なくとも年2回開催して';
const THIRD_CLAUSE = '少なくとも四半期ごとに開催して';

/** Policy revision in the app: `POST /api/v1/policies/:id/versions`, the diff of a version, and a review that carries the text. */
describe('policy revision in the app (API)', () => {
  let t: TestApp;
  let org: string;
  let people: Record<'ciso' | 'officer' | 'staff', TestPerson>;
  const bearer = {} as Record<'ciso' | 'officer' | 'staff', { Authorization: string }>;
  let standards: Policy;
  let ja: string;
  let en: string;
  const drafted: DomainEvent<'policy.version_drafted'>[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    const department = await createDepartment(t, org);
    people = {
      ciso: await createPerson(t, org, { roles: ['ciso'], departmentId: department.id }),
      officer: await createPerson(t, org, { roles: ['security_officer'], departmentId: department.id }),
      staff: await createPerson(t, org, { roles: ['staff'], departmentId: department.id }),
    };
    for (const key of ['ciso', 'officer', 'staff'] as const) bearer[key] = { Authorization: `Bearer ${(await signIn(t, people[key])).accessToken}` };
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    await request(t.http).post(`/api/v1/policies/${standards.id}/versions/1/approve`).set(bearer.ciso).send({}).expect(200);
    const v1 = await version(1);
    ({ ja, en } = splitLanguages(v1.body) as { ja: string; en: string });
    t.get(DomainEventBus).subscribe('policy.version_drafted', async (event) => void drafted.push(event), 'test');
  });
  afterAll(() => t.close());

  const http = () => request(t.http);
  const revise = (as: { Authorization: string }, body: object, policyId = standards.id) =>
    http().post(`/api/v1/policies/${policyId}/versions`).set(as).send(body);
  const review = (as: { Authorization: string }, body: object) => http().post(`/api/v1/policies/${standards.id}/reviews`).set(as).send(body);
  const version = (v: number) => t.dataSource.getRepository(PolicyVersion).findOneByOrFail({ policyId: standards.id, version: v });
  const versionCount = () => t.dataSource.getRepository(PolicyVersion).countBy({ policyId: standards.id });
  const reviewCount = () => t.dataSource.getRepository(PolicyReview).countBy({ policyId: standards.id });
  const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();
  const edited = (to: string) => ja.replace(OLD_CLAUSE, to);

  it('lets only the security office revise: staff and the CISO get 403, nobody signed in 401, nothing is written', async () => {
    const text = { body: edited(NEW_CLAUSE), changeNote: '年2回の開催に改める。' };
    expect((await revise(bearer.staff, text).expect(403)).body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['security_officer'] });
    await revise(bearer.ciso, text).expect(403); // the CISO approves; the office writes
    await http().post(`/api/v1/policies/${standards.id}/versions`).send(text).expect(401);
    expect(await versionCount()).toBe(1);
  });

  it('refuses bad text as problem+json naming the field, and an unknown policy with 404', async () => {
    const empty = await revise(bearer.officer, { body: ' \n ', changeNote: '' }).expect(400);
    expect(empty.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    expect(fields(empty.body)).toEqual(['body', 'changeNote']);
    expect(fields((await revise(bearer.officer, { body: edited(NEW_CLAUSE) }).expect(400)).body)).toEqual(['changeNote']);
    const long = await revise(bearer.officer, { body: 'あ'.repeat(100_001), changeNote: '長文' }).expect(400);
    expect(fields(long.body)).toEqual(['body']);
    const longEn = await revise(bearer.officer, { body: edited(NEW_CLAUSE), bodyEn: 'a'.repeat(100_001), changeNote: '長文' }).expect(400);
    expect(fields(longEn.body)).toEqual(['bodyEn']);
    const heading = await revise(bearer.officer, { body: `${edited(NEW_CLAUSE)}\n\n## English\n\nText`, changeNote: '英語を含める' }).expect(400);
    expect(fields(heading.body)).toEqual(['body']);
    expect(heading.body.detail).toMatch(/## English/);
    expect(fields((await revise(bearer.officer, { body: edited(NEW_CLAUSE), changeNote: 'x', replacesDraft: 0 }).expect(400)).body)).toEqual(['replacesDraft']);
    expect(fields((await revise(bearer.officer, { body: edited(NEW_CLAUSE), changeNote: 'x', version: 9 }).expect(400)).body)).toEqual(['version']);
    const missing = await revise(bearer.officer, { body: edited(NEW_CLAUSE), changeNote: 'x' }, '00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.code).toBe('POLICY_NOT_FOUND');
    expect(await versionCount()).toBe(1);
  });

  it('refuses a text identical to the version in force (whitespace around it aside) with 409 naming body', async () => {
    for (const body of [ja, `\n\n${ja.trim()}\n\n`]) {
      const same = await revise(bearer.officer, { body, changeNote: '変更なし' }).expect(409);
      expect(same.body).toMatchObject({ code: 'POLICY_TEXT_UNCHANGED', errors: [{ field: 'body' }] });
    }
    // the same Japanese text with the same English one, sent explicitly
    await revise(bearer.officer, { body: ja, bodyEn: `${en}\n`, changeNote: '変更なし' }).expect(409);
    expect(await versionCount()).toBe(1);
  });

  it('makes a draft from the edited text: the English kept, the change note and drafter recorded, the diff against the version in force, audited', async () => {
    const auditBefore = await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'policy_version.create' });
    const created = await revise(bearer.officer, { body: edited(NEW_CLAUSE), changeNote: '委員会の開催を年2回に改める。' }).expect(201);
    expect(created.body).toMatchObject({
      version: 2,
      status: 'draft',
      changeNote: '委員会の開催を年2回に改める。',
      draftedBy: people.officer.staff.id,
      approvedBy: null,
      diffAgainst: 1,
    });
    expect(splitLanguages(created.body.body as string)).toEqual({ ja: `\n${ja.trim()}`.replace(OLD_CLAUSE, NEW_CLAUSE), en: en.trim() });
    const diff = (created.body.diff as string).split('\n');
    expect(diff.slice(0, 2)).toEqual(['--- standards v1', '+++ standards v2']);
    expect(diff.filter((l) => /^[-+][^-+]/.test(l))).toEqual([expect.stringContaining(`-`), expect.stringContaining(`+`)]);
    expect(diff.find((l) => l.startsWith('-') && !l.startsWith('---'))).toContain(OLD_CLAUSE);
    expect(diff.find((l) => l.startsWith('+') && !l.startsWith('+++'))).toContain(NEW_CLAUSE);
    const stored = await version(2);
    expect(stored.frontMatter).toEqual((await version(1)).frontMatter);

    // GET …/versions/2: the diff against the version in force; a draft is not there for staff
    const read = await http().get(`/api/v1/policies/${standards.id}/versions/2`).set(bearer.officer).expect(200);
    expect(read.body).toMatchObject({ version: 2, status: 'draft', diff: created.body.diff, diffAgainst: 1, changeNote: '委員会の開催を年2回に改める。' });
    await http().get(`/api/v1/policies/${standards.id}/versions/2`).set(bearer.staff).expect(404);
    const listed = await http().get(`/api/v1/policies/${standards.id}/versions`).set(bearer.officer).expect(200);
    expect(listed.body.items[0]).toMatchObject({ version: 2, changeNote: '委員会の開催を年2回に改める。', draftedBy: people.officer.staff.id });

    const audit = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'policy_version.create', entityId: stored.id });
    expect(audit.actorId).toBe(people.officer.staff.id);
    expect(audit.changes['@context']?.after).toMatchObject({ policyKey: 'standards', source: 'app', against: 1, replaced: [] });
    expect(audit.changes.changeNote?.after).toBe('委員会の開催を年2回に改める。');
    expect(audit.changes).not.toHaveProperty('body');
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'policy_version.create' })).toBe(auditBefore + 1);
    expect(drafted).toEqual([expect.objectContaining({ type: 'policy.version_drafted', version: 2, source: 'app', replaced: [], policyKey: 'standards' })]);
  });

  it('refuses a second draft while one is open unless it names it; then the named one is superseded', async () => {
    const open = await revise(bearer.officer, { body: edited(THIRD_CLAUSE), changeNote: '四半期ごとに改める。' }).expect(409);
    expect(open.body).toMatchObject({ code: 'POLICY_DRAFT_OPEN', openDraft: 2, errors: [{ field: 'replacesDraft' }] });
    const wrong = await revise(bearer.officer, { body: edited(THIRD_CLAUSE), changeNote: '四半期ごとに改める。', replacesDraft: 1 }).expect(409);
    expect(wrong.body).toMatchObject({ code: 'POLICY_DRAFT_OPEN', openDraft: 2 });
    // the same text as the open draft changes nothing
    const same = await revise(bearer.officer, { body: edited(NEW_CLAUSE), changeNote: '同じ', replacesDraft: 2 }).expect(409);
    expect(same.body).toMatchObject({ code: 'POLICY_TEXT_UNCHANGED', errors: [{ field: 'body' }] });
    expect(await versionCount()).toBe(2);

    // replaced, with the English left out: the draft has none
    const replaced = await revise(bearer.officer, { body: edited(THIRD_CLAUSE), bodyEn: '', changeNote: '四半期ごとに改める。', replacesDraft: 2 }).expect(201);
    expect(replaced.body).toMatchObject({ version: 3, status: 'draft', diffAgainst: 1 });
    expect(splitLanguages(replaced.body.body as string).en).toBeNull();
    expect(replaced.body.diff).toMatch(/^--- standards v1\n\+\+\+ standards v3\n/);
    expect(await version(2)).toMatchObject({ status: 'superseded', supersededAt: expect.any(Date) });
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'policy_version.supersede', entityId: (await version(2)).id })).toBe(1);
    expect(drafted.at(-1)).toMatchObject({ version: 3, replaced: [2] });
  });

  it('the CISO approves the revised draft as any other; then naming a draft that is no longer open is refused', async () => {
    const approved = await http().post(`/api/v1/policies/${standards.id}/versions/3/approve`).set(bearer.ciso).send({}).expect(200);
    expect(approved.body).toMatchObject({ version: { version: 3, status: 'approved', changeNote: '四半期ごとに改める。' }, superseded: [1] });
    const forStaff = await http().get(`/api/v1/policies/${standards.id}/versions/3`).set(bearer.staff).expect(200);
    expect(forStaff.body).toMatchObject({
      status: 'approved',
      diffAgainst: 1,
      diff: expect.stringContaining(
        `+${ja
          .split('\n')
          .find((l) => l.includes(OLD_CLAUSE))!
          .replace(OLD_CLAUSE, THIRD_CLAUSE)}`,
      ),
    });
    const gone = await revise(bearer.officer, { body: edited(NEW_CLAUSE), changeNote: '年2回に戻す。', replacesDraft: 3 }).expect(409);
    expect(gone.body).toMatchObject({ code: 'POLICY_DRAFT_NOT_OPEN', errors: [{ field: 'replacesDraft' }] });
    expect(await versionCount()).toBe(3);
  });

  it('a review with outcome revise may carry the text: review and draft in one transaction, refused together', async () => {
    const reviews = await reviewCount();
    const versions = await versionCount();
    const text = { body: edited(NEW_CLAUSE), changeNote: '年2回に戻す。' };
    // a text only goes with "revise", needs body and changeNote, and only the office writes it
    expect(fields((await review(bearer.officer, { outcome: 'no_change', notes: '変更なし', ...text }).expect(400)).body)).toEqual(['body']);
    expect(fields((await review(bearer.officer, { outcome: 'revise', notes: '改める', body: text.body }).expect(400)).body)).toEqual(['changeNote']);
    expect(fields((await review(bearer.officer, { outcome: 'revise', notes: '改める', changeNote: 'x' }).expect(400)).body)).toEqual(['body']);
    expect((await review(bearer.ciso, { outcome: 'revise', notes: '改める', ...text }).expect(403)).body).toMatchObject({ code: 'FORBIDDEN' });
    // a text that changes nothing: no review is recorded either
    const unchanged = await review(bearer.officer, { outcome: 'revise', notes: '改める', body: (await version(3)).body, changeNote: 'x' }).expect(409);
    expect(unchanged.body.code).toBe('POLICY_TEXT_UNCHANGED');
    expect([await reviewCount(), await versionCount()]).toEqual([reviews, versions]);

    const done = await review(bearer.officer, { outcome: 'revise', notes: '委員会の開催頻度を見直す。', ...text }).expect(201);
    expect(done.body).toMatchObject({
      review: { outcome: 'revise', notes: '委員会の開催頻度を見直す。', policyVersionId: (await version(3)).id },
      policy: { revisionRequested: true },
      draft: { version: 4, status: 'draft', changeNote: '年2回に戻す。', draftedBy: people.officer.staff.id },
    });
    const created = await version(4);
    expect(created.diff).toMatch(/^--- standards v3\n\+\+\+ standards v4\n/);
    const audit = await t.dataSource.getRepository(AuditTrailEntry).findOneByOrFail({ action: 'policy_version.create', entityId: created.id });
    expect(audit.changes['@context']?.after).toMatchObject({ source: 'review', reviewId: done.body.review.id });
    expect(drafted.at(-1)).toMatchObject({ version: 4, source: 'review' });

    // with a draft open, a review's text must name it as well, and nothing is recorded when it does not
    const open = await review(bearer.officer, { outcome: 'revise', notes: 'さらに改める', body: edited(THIRD_CLAUSE), changeNote: '再度' }).expect(409);
    expect(open.body).toMatchObject({ code: 'POLICY_DRAFT_OPEN', openDraft: 4 });
    expect([await reviewCount(), await versionCount()]).toEqual([reviews + 1, versions + 1]);
    // a review without a text is as before
    const plain = await review(bearer.ciso, { outcome: 'revise', notes: '草案を確認中' }).expect(201);
    expect(plain.body.draft).toBeNull();
  });

  it('nobody approves a draft they wrote: a CISO who is also in the security office drafts, another CISO approves', async () => {
    const both = await createPerson(t, org, { roles: ['ciso', 'security_officer'] });
    const asBoth = { Authorization: `Bearer ${(await signIn(t, both)).accessToken}` };
    const draft = await revise(asBoth, { body: edited('少なくとも年3回開催して'), changeNote: '年3回に改める（兼務者）。', replacesDraft: 4 }).expect(201);
    const own = await http().post(`/api/v1/policies/${standards.id}/versions/${draft.body.version}/approve`).set(asBoth).send({}).expect(403);
    expect(own.body.code).toBe('POLICY_OWN_DRAFT');
    expect((await version(draft.body.version)).status).toBe('draft');
    await http().post(`/api/v1/policies/${standards.id}/versions/${draft.body.version}/approve`).set(bearer.ciso).send({}).expect(200);
  });
});
