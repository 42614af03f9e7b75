import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import request from 'supertest';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor, type Actor } from '../../src/common/actor.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { runPoliciesSync } from '../../src/policies/policies-sync.command.js';
import { PolicyFilesInvalidError, type PolicyFileError } from '../../src/policies/policy-files.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { OrganizationsService } from '../../src/organizations/organizations.service.js';
import { createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('policies and controls: sync from policies/ and the controls API', () => {
  let t: TestApp;
  let org: string;
  let actor: Actor;
  let token: string;
  const shipped = PoliciesSyncService.defaultRoot();
  const tmpDirs: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    actor = systemActor(org, 'test');
    token = (await signIn(t, await createPerson(t, org))).accessToken;
    as.Authorization = `Bearer ${token}`;
  });
  afterAll(async () => {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const sync = (options: { dryRun?: boolean; root?: string } = {}) => t.get(PoliciesSyncService).sync(actor, options);
  const counts = async () => ({
    policies: await t.dataSource.getRepository(Policy).count(),
    versions: await t.dataSource.getRepository(PolicyVersion).count(),
    controls: await t.dataSource.getRepository(Control).count(),
    retired: await t.dataSource.getRepository(Control).createQueryBuilder('c').where('c.retiredAt IS NOT NULL').getCount(),
    audit: await t.dataSource.getRepository(AuditTrailEntry).count(),
  });
  /** a copy of the shipped folder, changed by `edit(path → text)` per file */
  const copyWith = (edits: Record<string, (text: string) => string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-policies-'));
    tmpDirs.push(dir);
    cpSync(shipped, dir, { recursive: true });
    for (const [file, edit] of Object.entries(edits)) {
      const path = join(dir, file);
      const before = readFileSync(path, 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`edit of ${file} changed nothing`);
      writeFileSync(path, after);
    }
    return dir;
  };
  const lineNumberOf = (text: string, needle: string, after = 0): number => {
    const lines = text.split('\n');
    const index = lines.findIndex((l, i) => i >= after && l.includes(needle));
    if (index < 0) throw new Error(`"${needle}" not found`);
    return index + 1;
  };
  const syncErrors = async (root: string): Promise<PolicyFileError[]> => {
    const error = await sync({ root }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PolicyFilesInvalidError);
    return (error as PolicyFilesInvalidError).errors;
  };
  const as = { Authorization: '' };

  it('loads the shipped files: 2 policies with a draft version 1 each, and 56 controls, all audited', async () => {
    const before = await counts();
    const result = await sync();
    expect(result).toEqual({
      dryRun: false,
      policies: { created: 2, newDrafts: 0, unchanged: 0 },
      controls: { created: 56, updated: 0, unchanged: 0, retired: 0 },
      frameworks: { created: 93 + 106, updated: 0, unchanged: 0 }, // ISO Annex A controls + CSF subcategories
      indicators: { created: 14, updated: 0, unchanged: 0, retired: 0 }, // policies/indicators.yaml
    });
    const after = await counts();
    expect(after).toMatchObject({ policies: 2, versions: 2, controls: 56, retired: 0 });
    expect(after.audit - before.audit).toBe(2 + 2 + 56 + 93 + 106 + 14);
    const versions = await t.dataSource.getRepository(PolicyVersion).find();
    expect(versions.map((v) => [v.version, v.status, v.diff])).toEqual([
      [1, 'draft', null],
      [1, 'draft', null],
    ]);
    const standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    expect(standards).toMatchObject({ kind: 'standards', ownerRole: 'security_officer', reviewIntervalMonths: 12, classification: 'internal' });
    const control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '1-01' });
    expect(control).toMatchObject({ chapter: 1, ownerRole: 'ciso', frequency: 'yearly', essential: true, status: 'not_implemented', retiredAt: null });
    expect(control.mappings).toEqual({ iso27001: ['A.5.2', 'A.5.4'], nistCsf: ['GV.RR-01', 'GV.RR-02'] });
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'control.create' })).toBe(56);
  });

  it('changes nothing when run again on the same files', async () => {
    const before = await counts();
    const result = await sync();
    expect(result).toEqual({
      dryRun: false,
      policies: { created: 0, newDrafts: 0, unchanged: 2 },
      controls: { created: 0, updated: 0, unchanged: 56, retired: 0 },
      frameworks: { created: 0, updated: 0, unchanged: 199 },
      indicators: { created: 0, updated: 0, unchanged: 14, retired: 0 },
    });
    expect(await counts()).toEqual(before);
  });

  it('lists controls filtered by chapter, essential and framework mapping, and policies with their latest version', async () => {
    const catalogue = await t.dataSource.getRepository(Control).findBy({ organizationId: org });
    const all = await request(t.http).get('/api/v1/controls?pageSize=200').set(as).expect(200);
    expect(all.body.total).toBe(56);
    expect(all.body.items[0]).toMatchObject({ code: '1-01', chapter: 1, mappings: { iso27001: ['A.5.2', 'A.5.4'] } });

    const chapter6 = await request(t.http).get('/api/v1/controls?chapter=6&pageSize=200').set(as).expect(200);
    expect(chapter6.body.total).toBe(10);
    expect((chapter6.body.items as { code: string }[]).every((c) => c.code.startsWith('6-'))).toBe(true);

    const essential = await request(t.http).get('/api/v1/controls?essential=true&pageSize=200').set(as).expect(200);
    expect(essential.body.total).toBe(catalogue.filter((c) => c.essential).length);
    const recommended = await request(t.http).get('/api/v1/controls?essential=false&chapter=5&pageSize=200').set(as).expect(200);
    expect(recommended.body.total).toBe(catalogue.filter((c) => !c.essential && c.chapter === 5).length);

    const mapped = await request(t.http).get('/api/v1/controls?framework=iso27001&mappedTo=A.5.2&pageSize=200').set(as).expect(200);
    const expected = catalogue
      .filter((c) => c.mappings.iso27001.includes('A.5.2'))
      .map((c) => c.code)
      .sort();
    expect((mapped.body.items as { code: string }[]).map((c) => c.code).sort()).toEqual(expected);
    expect(expected).toContain('1-01');
    const nist = await request(t.http).get('/api/v1/controls?framework=nistCsf&pageSize=200').set(as).expect(200);
    expect(nist.body.total).toBe(catalogue.filter((c) => c.mappings.nistCsf.length > 0).length);

    const bad = await request(t.http).get('/api/v1/controls?chapter=12&framework=cobit').set(as).expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['chapter', 'framework']);

    const one = await request(t.http).get(`/api/v1/controls/${all.body.items[0].id}`).set(as).expect(200);
    expect(one.body.code).toBe('1-01');
    await request(t.http).get('/api/v1/controls/00000000-0000-4000-8000-000000000000').set(as).expect(404);

    // `as` is a member of staff, who may not read drafts: only drafts exist, so no latest version is shown
    const policies = await request(t.http).get('/api/v1/policies').set(as).expect(200);
    expect(policies.body.items).toEqual([
      expect.objectContaining({ key: 'basic-policy', latestVersion: null, approvedVersion: null }),
      expect.objectContaining({ key: 'standards', latestVersion: null }),
    ]);
    await request(t.http).get('/api/v1/controls').expect(401);
  });

  const oldClause = '3. 情報セキュリティ委員会の役割は守町情報化推進本部が担い、少なくとも年1回開催して';
  const newClause = '3. 情報セキュリティ委員会の役割は守町情報化推進本部が担い、少なくとも年2回開催して';
  const dropLastControl = (text: string): string => text.slice(0, text.indexOf('  - id: "9-05"'));

  it('on a dry run reports what would change and writes nothing', async () => {
    const root = copyWith({ 'standards.md': (s) => s.replace(oldClause, newClause), 'controls.yaml': dropLastControl });
    const before = await counts();
    const result = await sync({ root, dryRun: true });
    expect(result).toEqual({
      dryRun: true,
      policies: { created: 0, newDrafts: 1, unchanged: 1 },
      controls: { created: 0, updated: 0, unchanged: 55, retired: 1 },
      frameworks: { created: 0, updated: 0, unchanged: 199 },
      indicators: { created: 0, updated: 0, unchanged: 14, retired: 0 },
    });
    expect(await counts()).toEqual(before);
  });

  it('makes exactly one new draft version, with a diff, for an edited policy and retires a control removed from the file', async () => {
    const root = copyWith({ 'standards.md': (s) => s.replace(oldClause, newClause), 'controls.yaml': dropLastControl });
    const before = await counts();
    const result = await sync({ root });
    expect(result).toEqual({
      dryRun: false,
      policies: { created: 0, newDrafts: 1, unchanged: 1 },
      controls: { created: 0, updated: 0, unchanged: 55, retired: 1 },
      frameworks: { created: 0, updated: 0, unchanged: 199 },
      indicators: { created: 0, updated: 0, unchanged: 14, retired: 0 },
    });
    const after = await counts();
    expect(after).toMatchObject({ policies: 2, versions: before.versions + 1, controls: 56, retired: 1 });
    expect(after.audit - before.audit).toBe(2); // policy_version.create + control.retire

    const standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    const v2 = await t.dataSource.getRepository(PolicyVersion).findOneByOrFail({ policyId: standards.id, version: 2 });
    expect(v2.status).toBe('draft');
    const diffLines = v2.diff!.split('\n');
    expect(diffLines.filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual([expect.stringContaining(`+${newClause}`)]);
    expect(diffLines.filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([expect.stringContaining(`-${oldClause}`)]);
    expect(v2.diff).toMatch(/^--- standards v1\n\+\+\+ standards v2\n@@ -\d+,\d+ \+\d+,\d+ @@/);

    const retired = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '9-05' });
    expect(retired.retiredAt).toBeInstanceOf(Date);
    expect(await t.dataSource.getRepository(AuditTrailEntry).countBy({ action: 'control.retire', entityId: retired.id })).toBe(1);
    const listed = await request(t.http).get('/api/v1/controls?chapter=9').set(as).expect(200);
    expect((listed.body.items as { code: string }[]).map((c) => c.code)).not.toContain('9-05');

    // the same edited folder again: nothing
    const again = await counts();
    expect(await sync({ root })).toEqual({
      dryRun: false,
      policies: { created: 0, newDrafts: 0, unchanged: 2 },
      controls: { created: 0, updated: 0, unchanged: 55, retired: 0 },
      frameworks: { created: 0, updated: 0, unchanged: 199 },
      indicators: { created: 0, updated: 0, unchanged: 14, retired: 0 },
    });
    expect(await counts()).toEqual(again);
  });

  it('updates a changed control and reinstates a retired one without touching its status', async () => {
    await t.dataSource.getRepository(Control).update({ organizationId: org, code: '1-02' }, { status: 'implemented' });
    const root = copyWith({
      'controls.yaml': (s) => s.replace('title: 情報セキュリティ関係者の指定と役割名簿の管理', 'title: 情報セキュリティ関係者の指定と名簿の管理'),
    });
    const result = await sync({ root });
    expect(result.controls).toEqual({ created: 0, updated: 2, unchanged: 54, retired: 0 });
    expect(result.policies).toEqual({ created: 0, newDrafts: 1, unchanged: 1 }); // standards.md is back to the shipped text: v3
    const updated = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '1-02' });
    expect(updated).toMatchObject({ title: '情報セキュリティ関係者の指定と名簿の管理', status: 'implemented' });
    expect((await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '9-05' })).retiredAt).toBeNull();
  });

  it('refuses a YAML syntax error with file and line, writing nothing', async () => {
    const original = readFileSync(join(shipped, 'controls.yaml'), 'utf8');
    const badLine = lineNumberOf(original, '    title: 情報セキュリティ委員会の年次開催');
    const root = copyWith({ 'controls.yaml': (s) => s.replace('    title: 情報セキュリティ委員会の年次開催', '   title: 情報セキュリティ委員会の年次開催') });
    const before = await counts();
    const errors = await syncErrors(root);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'controls.yaml', field: 'yaml' });
    expect(Math.abs(errors[0]!.line! - badLine)).toBeLessThanOrEqual(1);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown chapter and an unknown mapping id with file, line and field, writing nothing', async () => {
    const original = readFileSync(join(shipped, 'controls.yaml'), 'utf8');
    const item = lineNumberOf(original, '- id: "1-03"');
    const chapterLine = lineNumberOf(original, '    chapter: 1', item - 1);
    const mappingLine = lineNumberOf(original, '      iso27001: ["A.5.2", "A.5.4"]');
    const root = copyWith({
      'controls.yaml': (s) => {
        const lines = s.split('\n');
        lines[chapterLine - 1] = '    chapter: 12';
        lines[mappingLine - 1] = '      iso27001: ["A.5.2", "A.9.99"]';
        return lines.join('\n');
      },
      'standards.md': (s) => s.replace('reviewIntervalMonths: 12', 'reviewIntervalMonths: twelve'),
    });
    const before = await counts();
    const errors = await syncErrors(root);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'controls.yaml', line: chapterLine, field: 'controls[2].chapter', message: expect.stringContaining('9') }),
        expect.objectContaining({
          file: 'controls.yaml',
          line: mappingLine,
          field: 'controls[0].mappings.iso27001',
          message: expect.stringContaining('A.9.99'),
        }),
        expect.objectContaining({ file: 'standards.md', line: 7, field: 'reviewIntervalMonths' }),
      ]),
    );
    expect(await counts()).toEqual(before);

    // the CLI entry prints file:line: field: message and exits 1
    const stderr: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      expect(await runPoliciesSync(t.app, ['--root', root])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(stderr.join('')).toContain(`controls.yaml:${chapterLine}: controls[2].chapter:`);
    expect(await counts()).toEqual(before);
  });

  it('runs from the CLI entry as a dry run on the shipped files', async () => {
    const stdout: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await runPoliciesSync(t.app, ['--dry-run']);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const result = JSON.parse(stdout.join('')) as unknown;
    const home = await t.get(OrganizationsService).home();
    expect(home?.id).toBe(org);
    expect(result).toEqual(await sync({ dryRun: true }));
    // the shipped files differ from the database only in the title of 1-02 (changed by the test above)
    expect(result).toEqual({
      dryRun: true,
      policies: { created: 0, newDrafts: 0, unchanged: 2 },
      controls: { created: 0, updated: 1, unchanged: 55, retired: 0 },
      frameworks: { created: 0, updated: 0, unchanged: 199 },
      indicators: { created: 0, updated: 0, unchanged: 14, retired: 0 },
    });
  });

  it('lists draft versions only to those who may read drafts: staff see the latest version once in force', async () => {
    const officer = { Authorization: `Bearer ${(await signIn(t, await createPerson(t, org, { roles: ['security_officer'] }))).accessToken}` };
    const manager = { Authorization: `Bearer ${(await signIn(t, await createPerson(t, org, { roles: ['manager'] }))).accessToken}` };
    const standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    // standards: version 1 in force, the later ones drafts (made by the syncs of edited files above)
    await t.dataSource.getRepository(PolicyVersion).update({ policyId: standards.id, version: 1 }, { status: 'approved', approvedAt: new Date() });
    const drafts = await t.dataSource.getRepository(PolicyVersion).findBy({ policyId: standards.id, status: 'draft' });
    const newest = Math.max(...drafts.map((d) => d.version));
    expect(newest).toBeGreaterThan(1);
    const latest = async (who: { Authorization: string }) => {
      const res = await request(t.http).get('/api/v1/policies').set(who).expect(200);
      return Object.fromEntries(
        (res.body.items as { key: string; latestVersion: { version: number; status: string } | null }[]).map((p) => [p.key, p.latestVersion]),
      );
    };
    expect(await latest(officer)).toEqual({
      'basic-policy': expect.objectContaining({ version: 1, status: 'draft' }),
      standards: expect.objectContaining({ version: newest, status: 'draft' }),
    });
    for (const who of [as, manager]) {
      expect(await latest(who)).toEqual({ 'basic-policy': null, standards: expect.objectContaining({ version: 1, status: 'approved' }) });
    }
    const body = JSON.stringify((await request(t.http).get('/api/v1/policies').set(as).expect(200)).body);
    for (const draft of drafts) expect(body).not.toContain(draft.id);
    expect(body).not.toContain('draft');
  });
});
