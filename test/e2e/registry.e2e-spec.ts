import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DuplicateProblemError, ProblemRegistry, COMMON_PROBLEMS } from '../../src/common/errors/problem-registry.js';
import type { FeatureCatalog } from '../../src/common/features/discovery.js';
import { featureOf, type FeatureDefinition } from '../../src/common/features/feature.js';
import { projectRoot } from '../../src/database/project-root.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { FEATURE_ENTITIES, FEATURES } from '../../src/features.js';
import { JobRegistry } from '../../src/jobs/job-registry.js';
import { DuplicateMessageError, loadCatalogue } from '../../src/common/messages.js';
import { createTestDatabase } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A registry fed by hand: features' declarations and the handlers a module would carry. */
function registryOf(definitions: FeatureDefinition[], handlers: { outbox?: string[]; schedules?: string[] } = {}): JobRegistry {
  const catalog = { definitions: () => definitions, methods: () => [] } as unknown as FeatureCatalog;
  const registry = new JobRegistry(catalog);
  registry.onModuleInit();
  for (const topic of handlers.outbox ?? []) registry.handleTopic(topic as never, `Handler.${topic}`, async () => undefined);
  for (const name of handlers.schedules ?? []) registry.handleSchedule(name, `Handler.${name}`, async () => undefined);
  return registry;
}

const SCHEDULE = { name: 'nightly-thing', jobId: 'nightly-thing', cron: '0 1 * * *', tz: 'Asia/Tokyo' };

describe('features register themselves; the registries refuse what cannot work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: true });
  });
  afterAll(() => t.close());

  it("the application's features leave no job without a route or a handler", () => {
    const registry = t.get(JobRegistry);
    expect(registry.problems()).toEqual([]);
    expect(registry.scheduleDefinitions().map((s) => s.name)).toContain('review-due');
    for (const topic of ['staff.welcome', 'auth.password_link', 'policy.acknowledgement_requested', 'policy.review_due']) {
      expect(registry.queueOf(topic)).toBe('notifications');
    }
  });

  it('fails on a schedule without a handler, and on a job handler without a schedule', () => {
    expect(registryOf([{ name: 'reports', schedules: [SCHEDULE] }]).problems()).toEqual(['job nightly-thing (reports) has no handler']);
    expect(registryOf([{ name: 'reports' }], { schedules: ['nightly-thing'] }).problems()).toEqual([
      'job nightly-thing has a handler (Handler.nightly-thing) but no schedule',
    ]);
    expect(registryOf([{ name: 'reports', schedules: [SCHEDULE] }], { schedules: ['nightly-thing'] }).problems()).toEqual([]);
  });

  it('fails on an outbox topic without a route, and on a routed topic without a handler', () => {
    expect(registryOf([{ name: 'incidents' }], { outbox: ['incident.escalate'] }).problems()).toEqual([
      'outbox topic incident.escalate has a handler (Handler.incident.escalate) but no route to a queue',
    ]);
    const routedOnly = registryOf([{ name: 'incidents', outbox: { ['incident.escalate' as never]: 'jobs' } }]);
    expect(routedOnly.problems()).toEqual(['outbox topic incident.escalate (incidents) has no handler']);
    expect(() => routedOnly.queueOf('nobody.routes.this')).toThrow(/no route/);
  });

  it('refuses start-up when a job has no handler', () => {
    expect(() => registryOf([{ name: 'reports', schedules: [SCHEDULE] }]).onApplicationBootstrap()).toThrow(/nightly-thing/);
  });

  it('fails on two problems with the same code, from the features or against the common ones', () => {
    const registry = new ProblemRegistry();
    registry.register('common', COMMON_PROBLEMS);
    const declared = FEATURES.flatMap((f) => {
      const definition = featureOf(f.module);
      return definition?.problems ? [[definition.name, definition.problems] as const] : [];
    });
    expect(declared.length).toBeGreaterThanOrEqual(4);
    for (const [name, problems] of declared) registry.register(name, problems);
    expect(() => registry.register('training', { STAFF_NOT_FOUND: { status: 404, title: 'Trainee not found' } })).toThrow(DuplicateProblemError);
    expect(() => registry.register('training', { NOT_FOUND: { status: 404, title: 'Not found' } })).toThrow(/declared by both common and training/);
  });

  it('fails on a message key defined by two pages folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'mamori-i18n-'));
    try {
      for (const folder of ['a', 'b']) {
        mkdirSync(join(root, folder));
        writeFileSync(join(root, folder, 'ja.json'), JSON.stringify({ 'nav.same': folder }));
      }
      expect(() => loadCatalogue('ja', [join(root, 'a'), join(root, 'b')])).toThrow(DuplicateMessageError);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

@Entity('registry_test_unmigrated')
class UnmigratedThing {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;
}

describe('every entity has its migration (what `migration:generate --check` checks)', () => {
  /** The SQL TypeORM would generate to bring the migrated database to the entities: empty when none is missing. */
  async function pendingSchemaChanges(entities: readonly (abstract new (...args: never[]) => object)[]): Promise<string[]> {
    const database = await createTestDatabase();
    const dataSource = await new DataSource(dataSourceOptions(database.url, entities, { logging: false })).initialize();
    try {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      return sql.upQueries.map((q) => q.query);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  }

  it('finds nothing to generate for the entities the features declare', async () => {
    expect(await pendingSchemaChanges(FEATURE_ENTITIES)).toEqual([]);
  });

  it('would find an entity without a migration', async () => {
    const pending = await pendingSchemaChanges([...FEATURE_ENTITIES, UnmigratedThing]);
    expect(pending.some((sql) => sql.includes('registry_test_unmigrated'))).toBe(true);
  });
});

/** Relative imports of a source file, resolved to paths from src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g), ...text.matchAll(/import\(['"](\.{1,2}\/[^'"]+)['"]\)/g)].map((m) =>
    relative(join(projectRoot(), 'src'), resolve(dirname(file), m[1]!)),
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('module boundaries', () => {
  const src = join(projectRoot(), 'src');
  const PLUMBING = ['common', 'config', 'database', 'outbox', 'audit-trail', 'organizations', 'jobs'];
  const FEATURE_FOLDERS = [
    'auth',
    'staff',
    'notifications',
    'policies',
    'controls',
    'training',
    'incidents',
    'findings',
    'audits',
    'response-plan',
    'department-duties',
    'web',
    'health',
    'security-digest',
    'calendar-feeds',
  ];

  it('plumbing imports no feature', () => {
    const offending = PLUMBING.flatMap((folder) =>
      sources(join(src, folder)).flatMap((file) =>
        importsOf(file)
          .filter((target) => FEATURE_FOLDERS.includes(target.split('/')[0]!) || ['features.js', 'app.module.js'].includes(target))
          .map((target) => `${relative(src, file)} → ${target}`),
      ),
    );
    expect(offending).toEqual([]);
  });

  it('features import no page code: an export or a job names things through src/common', () => {
    const offending = FEATURE_FOLDERS.filter((folder) => folder !== 'web').flatMap((folder) =>
      sources(join(src, folder)).flatMap((file) =>
        importsOf(file)
          .filter((target) => target.split('/')[0] === 'web')
          .map((target) => `${relative(src, file)} → ${target}`),
      ),
    );
    expect(offending).toEqual([]);
  });

  it('staff and auth import no later feature: they tell the others through events', () => {
    const later = ['policies', 'controls'];
    const offending = ['staff', 'auth'].flatMap((folder) =>
      sources(join(src, folder)).flatMap((file) =>
        importsOf(file)
          .filter((target) => later.includes(target.split('/')[0]!))
          .map((target) => `${relative(src, file)} → ${target}`),
      ),
    );
    expect(offending).toEqual([]);
  });
});
