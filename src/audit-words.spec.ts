import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AuditVocabulary, DuplicateAuditWordsError } from './audit-trail/audit-vocabulary.js';
import { featureOf, type FeatureDefinition } from './common/features/feature.js';
import { projectRoot } from './database/project-root.js';
import { FEATURES } from './features.js';

/**
 * Every action code and entity type written to the audit trail anywhere in src has words, declared
 * by a feature (`@Feature({ auditTrail })`). The source is read for the objects that name both an
 * `action` and an `entityType` (what `tx.audit`, `tx.create` and `tx.update` take): a literal code
 * is checked directly; a code built at run time (a template, a variable) for a literal entity type
 * must be listed below with every value it takes.
 */

/** Files that build an action code at run time, and the codes they build. */
const BUILT_CODES: Record<string, (source: string) => string[]> = {
  // `role_request.${action}` over the steps of role-request-rules.ts a person takes (expiry is written as a literal)
  'src/staff/role-requests.service.ts': () => ['approve', 'confirm', 'reject', 'withdraw'].map((step) => `role_request.${step}`),
  // transition(tx, version, change, 'policy_version.<verb>', context)
  'src/policies/policy-versions.service.ts': (source) => [...source.matchAll(/'(policy_version\.[a-z_]+)'/g)].map((m) => m[1]!),
  // transition(tx, version, change, 'response_plan_version.<verb>', context)
  'src/response-plan/response-plan-versions.service.ts': (source) => [...source.matchAll(/'(response_plan_version\.[a-z_]+)'/g)].map((m) => m[1]!),
};

const CODE = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;
/** `action: <value>` (or `action,`) then, within the same object, `entityType: <value>`, in either order */
const ACTION_THEN_TYPE =
  /\baction(?:\s*:\s*('[^'\n]*'|`[^`\n]*`|[A-Za-z_$][\w$.]*))?\s*,\s*(?:\/\/[^\n]*\n\s*)?entityType\s*:\s*('[^'\n]*'|[A-Za-z_$][\w$.]*)/g;
const TYPE_THEN_ACTION = /\bentityType\s*:\s*('[^'\n]*'|[A-Za-z_$][\w$.]*)\s*,\s*action(?:\s*:\s*('[^'\n]*'|`[^`\n]*`|[A-Za-z_$][\w$.]*))?\s*[,}]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Written {
  file: string;
  action: string | null;
  /** how the code is written when it is not a literal */
  built: string | null;
  entityType: string | null;
}

/** The audit events the source writes: their action codes and entity types (null where built at run time). */
function written(): Written[] {
  const root = projectRoot();
  return sourceFiles(join(root, 'src')).flatMap((path) => {
    const file = relative(root, path);
    const source = readFileSync(path, 'utf8');
    const literal = (value: string | undefined) => (value?.startsWith("'") ? value.slice(1, -1) : null);
    return [
      ...[...source.matchAll(ACTION_THEN_TYPE)].map((m) => ({
        file,
        action: literal(m[1]),
        built: literal(m[1]) ? null : (m[1] ?? 'action'),
        entityType: literal(m[2]),
      })),
      ...[...source.matchAll(TYPE_THEN_ACTION)].map((m) => ({
        file,
        action: literal(m[2]),
        built: literal(m[2]) ? null : (m[2] ?? 'action'),
        entityType: literal(m[1]),
      })),
    ];
  });
}

describe('audit-trail words', () => {
  const definitions = FEATURES.flatMap((feature) => [feature.module, ...[feature.pages ?? []].flat()]).flatMap((module) => featureOf(module) ?? []);
  const vocabulary = AuditVocabulary.of(definitions);
  const events = written();

  it('finds the audit events the source writes', () => {
    expect(events.length).toBeGreaterThan(40);
    expect(events).toContainEqual({ file: 'src/controls/controls.service.ts', action: 'control.update', built: null, entityType: 'control' });
    expect(events).toContainEqual({ file: 'src/staff/role-requests.service.ts', action: null, built: '`role_request.${action}`', entityType: 'role_request' });
  });

  it('has words in every language for every action code written in src', () => {
    // an event whose type is not a literal either is passed along (the writer's own code), not written
    const built = events.filter((event) => event.built !== null && event.entityType !== null);
    const unlisted = built
      .filter((event) => !BUILT_CODES[event.file])
      .map((event) => `${event.file}: ${event.built} (list the codes it builds in BUILT_CODES)`);
    expect(unlisted).toEqual([]);
    const codes = new Set([
      ...events.flatMap((event) => event.action ?? []),
      ...Object.entries(BUILT_CODES).flatMap(([file, codesOf]) => codesOf(readFileSync(join(projectRoot(), file), 'utf8'))),
    ]);
    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((code) => !CODE.test(code))).toEqual([]);
    expect([...codes].filter((code) => !vocabulary.actions.has(code)).sort()).toEqual([]);
    for (const [code, words] of vocabulary.actions) expect({ code, ja: !!words.ja.trim(), en: !!words.en.trim() }).toEqual({ code, ja: true, en: true });
  });

  it('has words for every entity type written in src, and the pages of records name their placeholders', () => {
    const types = new Set(events.flatMap((event) => event.entityType ?? []));
    expect(types.size).toBeGreaterThan(10);
    expect([...types].filter((type) => !vocabulary.entityTypes.has(type)).sort()).toEqual([]);
    for (const [type, entity] of vocabulary.entityTypes) {
      expect({ type, ja: !!entity.ja.trim(), en: !!entity.en.trim() }).toEqual({ type, ja: true, en: true });
      // a page needing more than the id needs the lookup that fills it
      const placeholders = (entity.page?.match(/:[A-Za-z]+/g) ?? []).filter((p) => p !== ':id');
      if (placeholders.length) expect({ type, records: typeof entity.records }).toEqual({ type, records: 'function' });
    }
  });

  it('reads an unknown code as itself, and refuses two features declaring the same code', () => {
    expect(vocabulary.action('auth.login', 'ja')).toBe('ログイン');
    expect(vocabulary.action('auth.login', 'en')).toBe('Signed in');
    expect(vocabulary.action('legacy.thing', 'ja')).toBe('legacy.thing');
    expect(vocabulary.entityType('legacy', 'en')).toBe('legacy');
    const twice: FeatureDefinition[] = [
      { name: 'a', auditTrail: { actions: { 'x.y': { ja: 'ア', en: 'A' } } } },
      { name: 'b', auditTrail: { actions: { 'x.y': { ja: 'イ', en: 'B' } } } },
    ];
    expect(() => AuditVocabulary.of(twice)).toThrow(DuplicateAuditWordsError);
    expect(() =>
      AuditVocabulary.of([
        { name: 'a', auditTrail: { entityTypes: { x: { ja: 'ア', en: 'A' } } } },
        { name: 'b', auditTrail: { entityTypes: { x: { ja: 'イ', en: 'B' } } } },
      ]),
    ).toThrow(/entity type x is declared by both a and b/);
  });
});
