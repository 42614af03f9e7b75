import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrailEntry } from '../../src/audit-trail/audit-trail-entry.entity.js';
import { systemActor, type Actor } from '../../src/common/actor.js';
import { projectRoot } from '../../src/database/project-root.js';
import { PoliciesExportService } from '../../src/policies/policies-export.service.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { splitLanguages } from '../../src/policies/policy-body.js';
import { PolicyRevisionsService } from '../../src/policies/policy-revisions.service.js';
import { PolicyVersion } from '../../src/policies/policy-version.entity.js';
import { PolicyVersionsService } from '../../src/policies/policy-versions.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { actorOf, createPerson, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';

const OLD_CLAUSE = '少なくとも年1回開催して';
const NEW_CLAUSE = '少なくとも年2回開催して';

/** `policies:export` (the compiled CLI, as an operator runs it): the texts in force back to files, which `policies:sync` then finds unchanged. */
describe('policies:export → policies:sync round trip', () => {
  let t: TestApp;
  let org: string;
  let ciso: Actor;
  let officer: Actor;
  let standards: Policy;
  const tmpDirs: string[] = [];
  const shipped = PoliciesSyncService.defaultRoot();

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t);
    ciso = actorOf(await createPerson(t, org, { roles: ['ciso'] }));
    officer = actorOf(await createPerson(t, org, { roles: ['security_officer'] }));
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    for (const policy of await t.dataSource.getRepository(Policy).findBy({ organizationId: org })) {
      await t.get(PolicyVersionsService).approve(ciso, policy.id, 1, {});
    }
    standards = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
  });
  afterAll(async () => {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const cli = (args: string[]) => {
    const result = spawnSync(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.appDatabaseUrl, SECRET_KEY: TEST_SECRET_KEY, QUEUE_PREFIX: 'mamori-test-policies-export' },
      timeout: 60_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const exportTo = (root: string) => t.get(PoliciesExportService).export(systemActor(org, 'test'), { root });
  const tmp = (copyShipped: boolean): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-export-'));
    tmpDirs.push(dir);
    if (copyShipped) cpSync(shipped, dir, { recursive: true });
    return dir;
  };
  const counts = async () => ({
    versions: await t.dataSource.getRepository(PolicyVersion).count(),
    audit: await t.dataSource.getRepository(AuditTrailEntry).count(),
  });
  const reviseStandards = async (from: string, to: string, replacesDraft?: number) => {
    const start = await t.get(PolicyRevisionsService).start(officer, standards.id);
    const { ja } = splitLanguages((start.openDraft ?? start.base)!.body);
    return t.get(PolicyRevisionsService).revise(officer, standards.id, { body: ja.replace(from, to), changeNote: `${from} → ${to}`, replacesDraft });
  };

  it('writes the shipped texts in force byte for byte as policies/ holds them', () => {
    const dir = join(tmp(false), 'new-folder');
    const exported = cli(['policies:export', dir]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({
      root: dir,
      written: [
        { file: 'basic-policy.md', key: 'basic-policy', version: 1 },
        { file: 'standards.md', key: 'standards', version: 1 },
      ],
      unchanged: [],
      skipped: [],
    });
    expect(readdirSync(dir).sort()).toEqual(['basic-policy.md', 'standards.md']);
    for (const file of ['basic-policy.md', 'standards.md']) expect(readFileSync(join(dir, file), 'utf8')).toBe(readFileSync(join(shipped, file), 'utf8'));
  });

  it('writes a revision approved in the app into the folder; syncing the folder then changes nothing', async () => {
    const draft = await reviseStandards(OLD_CLAUSE, NEW_CLAUSE);
    await t.get(PolicyVersionsService).approve(ciso, standards.id, draft.version, {});
    const dir = tmp(true);
    const exported = cli(['policies:export', dir]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      written: [{ file: 'standards.md', key: 'standards', version: 2 }],
      unchanged: [{ file: 'basic-policy.md', key: 'basic-policy', version: 1 }],
    });
    const text = readFileSync(join(dir, 'standards.md'), 'utf8');
    expect(text).toContain(NEW_CLAUSE);
    expect(text).not.toContain(OLD_CLAUSE);
    expect(text.startsWith('---\nid: standards\nkind: standards\ntitle: 情報セキュリティ対策基準\n')).toBe(true);
    // the rest of the folder is as it was
    expect(readFileSync(join(dir, 'controls.yaml'), 'utf8')).toBe(readFileSync(join(shipped, 'controls.yaml'), 'utf8'));

    const before = await counts();
    const synced = cli(['policies:sync', '--root', dir]);
    expect(synced.stderr).toBe('');
    expect(JSON.parse(synced.stdout)).toMatchObject({
      policies: { created: 0, newDrafts: 0, unchanged: 2 },
      controls: { created: 0, updated: 0, retired: 0 },
    });
    expect(await counts()).toEqual(before);

    // exporting again writes nothing
    expect(await exportTo(dir)).toMatchObject({ written: [], unchanged: [{ key: 'basic-policy' }, { key: 'standards' }] });
  });

  it('exports the version in force while a draft written in the app awaits approval; syncing that leaves the draft alone', async () => {
    const draft = await reviseStandards(NEW_CLAUSE, '少なくとも四半期ごとに開催して');
    const dir = tmp(true);
    const exported = await exportTo(dir);
    expect(exported.written).toEqual([{ file: 'standards.md', key: 'standards', version: 2 }]);
    const before = await counts();
    expect(await t.get(PoliciesSyncService).sync(systemActor(org, 'test'), { root: dir })).toMatchObject({
      policies: { created: 0, newDrafts: 0, unchanged: 2 },
    });
    expect(await counts()).toEqual(before);
    const latest = await t.dataSource.getRepository(PolicyVersion).findOneOrFail({ where: { policyId: standards.id }, order: { version: 'DESC' } });
    expect(latest).toMatchObject({ version: draft.version, status: 'draft' });
  });

  it('keeps the name of a file that holds the policy, and refuses extra arguments', async () => {
    const dir = tmp(true);
    cpSync(join(dir, 'standards.md'), join(dir, 'taisaku-kijun.md'));
    rmSync(join(dir, 'standards.md'));
    const exported = await exportTo(dir);
    expect(exported.written).toEqual([{ file: 'taisaku-kijun.md', key: 'standards', version: 2 }]);
    expect(existsSync(join(dir, 'standards.md'))).toBe(false);

    const refused = cli(['policies:export', '--root', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/usage: policies:export \[DIR\]/);
  });
});
