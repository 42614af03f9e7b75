import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';
import request from 'supertest';
import { createApiDocument } from '../../src/app.setup.js';
import { systemActor } from '../../src/common/actor.js';
import { Control } from '../../src/controls/control.entity.js';
import { PoliciesSyncService } from '../../src/policies/policies-sync.service.js';
import { Policy } from '../../src/policies/policy.entity.js';
import { createDepartment, createPerson, signIn, testOrganization } from '../factories/staff.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bad input, generated (issue 7, item 11): every operation of the OpenAPI document that takes a
 * body, query or path parameters, called as anonymous, staff, security officer and admin with
 * hostile values — NUL characters, lone surrogates, 100 KB strings, JSON nested up to 20,000
 * levels, wrong types, huge arrays, signed and overflowing dates, numbers out of range, unknown
 * fields, valid and invalid ids. For every answer: never a 5xx; a 4xx is problem+json; a refusal
 * of the input (400, 413, 415, 422) writes nothing (row count and newest row version of every
 * table unchanged, the audit trail included).
 *
 * Deterministic: a fixed seed (FUZZ_SEED to change it) and FUZZ_RUNS runs per operation and role
 * (default 4; raise it for a longer local run). Prints one line: inputs, answers per status, 5xx.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, '..', '..', 'test-output', 'bad-input-fuzz.json');

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
};
interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema?: Schema;
}
interface Operation {
  method: Method;
  path: string;
  parameters: Parameter[];
  json?: Schema;
  multipart?: Schema;
}

/** A JSON value, or a text to send as it is (nesting too deep to build as an object, numbers JSON cannot hold). */
class Raw {
  constructor(readonly text: string) {}
}
type Value = unknown;

const deep = (depth: number, open: string, close: string, inner = '1'): Raw => new Raw(`${open.repeat(depth)}${inner}${close.repeat(depth)}`);

/** Strings no route can take, and strings near the edges of what they take. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string().map((s) => `${s}\u0000`),
  fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}\u0000${b}`),
  fc.tuple(fc.string(), fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF'), fc.string()).map(([a, s, b]) => `${a}${s}${b}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('x'.repeat(100_000), 'あ'.repeat(40_000), `${'a'.repeat(64)}@${'b'.repeat(250)}.example`),
  fc.constantFrom('-2026-01-01', '+275760-09-13', '0000-01-01', '2026-02-30', '2026-13-01', '9999-12-31T23:59:60Z', '2026-01-01T00:00:00+99:00', '20260101'),
  fc.constantFrom('', ' ', '\t\n', '__proto__', 'constructor', "' OR 1=1 --", '../../etc/passwd', '%00', '\u202e', '\uFEFF', 'NaN', '1e999'),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-4000-8000-00000000000g'),
);

const hostileNumber: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom(-1, 0, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, Number.MIN_VALUE),
  fc.constantFrom(new Raw('1e400'), new Raw('-1e400'), new Raw('123456789012345678901234567890')),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any hostile value for a field. */
const hostileValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.oneof(hostileString, hostileNumber), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, hostileNumber, fc.constant(null)), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(new Array(100_000).fill(0), new Array(5_000).fill('x'.repeat(20)), []) },
  { weight: 1, arbitrary: fc.constantFrom(deep(100, '[', ']'), deep(20_000, '[', ']'), deep(20_000, '{"a":', '}'), deep(65, '{"a":', '}')) },
);

/** A body that is not an object at all. */
const hostileBody: fc.Arbitrary<Value> = fc.oneof(
  hostileValue,
  fc.constantFrom(new Raw(''), new Raw('{'), new Raw('{"a":1,}'), new Raw('nul'), new Raw('"\\ud800"'), new Raw('{"__proto__":{"admin":true}}')),
  fc.constantFrom(new Raw('{"constructor":{"prototype":{"x":1}}}'), new Raw(`{"a":"\\u0000"}`), deep(20_000, '{"email":', '}', '"x"')),
);

/** A value the operation might take for a field (so that the hostile field is the only wrong one). */
function plausible(schema: Schema | undefined, doc: OpenAPIObject, ids: Record<string, string>, depth = 0): Value {
  if (!schema || depth > 4) return 'x';
  if (schema.$ref) return plausible(resolve(schema.$ref, doc), doc, ids, depth + 1);
  if ('example' in schema && schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (Array.isArray(schema.allOf)) return plausible(schema.allOf[0] as Schema, doc, ids, depth + 1);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'array':
      return [plausible(schema.items, doc, ids, depth + 1)];
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, plausible(v, doc, ids, depth + 1)]));
  }
  if (schema.format === 'uuid') return ids.department;
  if (schema.format === 'date') return '2027-03-31';
  if (schema.format === 'date-time') return '2027-03-31T00:00:00+09:00';
  if (schema.format === 'email') return 'fuzz@test.example';
  return 'text';
}

function resolve(ref: string, doc: OpenAPIObject): Schema {
  return (doc.components?.schemas?.[ref.split('/').pop()!] ?? {}) as Schema;
}

/** The JSON text of a value with Raw parts in it (built iteratively enough for these shallow values). */
function serialise(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${serialise(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** How a JSON body is made wrong: a field, a field of an element, an unknown field, or the body as a whole. */
type BodyMutation = { kind: 'field'; field: string; value: Value } | { kind: 'unknown'; field: string; value: Value } | { kind: 'whole'; value: Value };

function jsonBody(op: Operation, doc: OpenAPIObject, ids: Record<string, string>): fc.Arbitrary<string> {
  const base = plausible(op.json, doc, ids) as Record<string, Value>;
  const schema = op.json?.$ref ? resolve(op.json.$ref, doc) : op.json;
  const fields = Object.keys(schema?.properties ?? {});
  const mutation: fc.Arbitrary<BodyMutation> = fc.oneof(
    ...(fields.length
      ? [{ weight: 6, arbitrary: fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom(...fields), value: hostileValue }) }]
      : []),
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('unknown' as const),
        field: fc.oneof(hostileString, fc.constantFrom('__proto__', 'id', 'organizationId')),
        value: hostileValue,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: hostileBody }) },
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    const whole = mutations.find((m) => m.kind === 'whole');
    if (whole) return serialise(whole.value);
    const body: Record<string, Value> = { ...base };
    for (const m of mutations) {
      if (m.kind === 'whole') continue;
      const target = body[m.field];
      // a field holding objects: now and then the hostile value goes one level down (`items[0].name`)
      if (m.kind === 'field' && Array.isArray(target) && target[0] && typeof target[0] === 'object' && typeof m.value === 'string') {
        const [first] = Object.keys(target[0] as object);
        body[m.field] = [{ ...(target[0] as object), [first ?? 'x']: m.value }];
      } else body[m.field] = m.value;
    }
    return serialise(body);
  });
}

/** Query values as they appear in a URL (already encoded): a string param may come as an array, an object or garbage. */
const hostileQueryValue: fc.Arbitrary<readonly string[]> = fc.oneof<fc.Arbitrary<readonly string[]>[]>(
  hostileString.filter((s) => s.length < 12_000).map((s) => [encodeURIComponentLoose(s)]),
  fc.constantFrom(['%00'], ['a%00b'], ['%ED%A0%80'], ['%'], ['%zz'], ['%C0%80'], ['x'.repeat(10_000)]),
  fc.constantFrom(['-1'], ['0'], ['1e309'], ['99999999999999999999'], ['NaN'], ['0x10'], ['1.5'], ['-2026-01-01'], ['+275760-01-01']),
  fc.constantFrom(['a', 'b'], ['', ''], ['1', '2', '3']),
);

/** encodeURIComponent that also takes lone surrogates (as the replacement character, as a browser would send them) */
function encodeURIComponentLoose(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

function queryString(op: Operation): fc.Arbitrary<string> {
  const names = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const entry = fc.record({
    name: fc.oneof(
      { weight: 5, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant('unknown') },
      { weight: 1, arbitrary: fc.constantFrom('unknown', 'q[a][b]', 'page[]', '__proto__', '%00') },
    ),
    values: hostileQueryValue,
    nested: fc.boolean(),
  });
  return fc.array(entry, { minLength: names.length ? 1 : 0, maxLength: 3 }).map((entries) => {
    const pairs = entries.flatMap((e) => e.values.map((v) => `${e.name}${e.nested && e.values.length === 1 ? '[x]' : ''}=${v}`));
    // a request line over 16 KB is refused by Node's own parser (431, before Mamori sees it): stay under
    while (pairs.length > 1 && pairs.join('&').length > 12_000) pairs.pop();
    return pairs.join('&');
  });
}

function pathValue(name: string, path: string, ids: Record<string, string>): fc.Arbitrary<string> {
  const known =
    name === 'v'
      ? '1'
      : name === 'evidenceId'
        ? ids.evidence!
        : path.startsWith('/api/v1/controls')
          ? ids.control!
          : path.startsWith('/api/v1/policies')
            ? ids.policy!
            : path.startsWith('/api/v1/staff')
              ? ids.staff!
              : path.startsWith('/api/v1/departments')
                ? ids.department!
                : ids.department!;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(known) },
    { weight: 1, arbitrary: fc.uuid().map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('not-a-uuid', '%00', '%ED%A0%80', '%', '-1', '0', '1e309', '99999999999999999999', 'x'.repeat(2_000), '..', '%2e%2e'),
    },
  );
}

/** A multipart body: the schema's fields with hostile values, a file whose name may be hostile. */
function multipartBody(op: Operation): fc.Arbitrary<{ boundary: string; body: Buffer }> {
  const properties = Object.entries(op.multipart?.properties ?? {}) as [string, Schema][];
  const fileField = properties.find(([, s]) => s.format === 'binary')?.[0] ?? 'file';
  const textFields = properties.filter(([, s]) => s.format !== 'binary').map(([k]) => k);
  const fieldValue = hostileString.filter((s) => s.length <= 20_000);
  return fc
    .record({
      fields: fc.array(fc.tuple(textFields.length ? fc.oneof(fc.constantFrom(...textFields), fc.constant('unknown')) : fc.constant('unknown'), fieldValue), {
        maxLength: 2,
      }),
      fileName: fc.oneof(
        fc.constant('log.txt'),
        fc.constant('log%00.txt'),
        fc.constant('%ED%A0%80.pdf'),
        fc.constant('%2e%2e%2fetc%2fpasswd'),
        fc.constant('x'.repeat(300)),
      ),
      content: fc.constantFrom(Buffer.from('点検記録\n'), Buffer.from('employeeNumber,familyName\n1,\u0000\n'), Buffer.alloc(0)),
      withFile: fc.boolean(),
    })
    .map(({ fields, fileName, content, withFile }) => {
      const boundary = 'fuzz-boundary-7f3a';
      const parts: Buffer[] = [];
      for (const [name, value] of fields) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
      }
      if (withFile) {
        parts.push(
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename*=UTF-8''${fileName}\r\nContent-Type: text/plain\r\n\r\n`),
        );
        parts.push(content, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      return { boundary, body: Buffer.concat(parts) };
    });
}

interface Attempt {
  url: string;
  json?: string;
  multipart?: { boundary: string; body: Buffer };
}

function attempts(op: Operation, doc: OpenAPIObject, ids: Record<string, string>): fc.Arbitrary<Attempt> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => pathValue(p.name, op.path, ids))),
      query: op.parameters.some((p) => p.in === 'query') || !(op.json || op.multipart) ? queryString(op) : fc.constant(''),
      json: op.json ? jsonBody(op, doc, ids) : fc.constant(undefined),
      multipart: op.multipart ? multipartBody(op) : fc.constant(undefined),
    })
    .map(({ path, query, json, multipart }) => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i]!)));
      return { url: query ? `${url}?${query}` : url, json, multipart };
    });
}

describe('bad input, generated: never a 5xx, always problem+json, nothing written on refusal', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  const ids: Record<string, string> = {};
  const roles: Record<string, Record<string, string>> = {};
  let snapshotSql: string;

  beforeAll(async () => {
    t = await createTestApp();
    const org = await testOrganization(t);
    await t.get(PoliciesSyncService).sync(systemActor(org, 'test'));
    const department = await createDepartment(t, org);
    const staff = await createPerson(t, org, { departmentId: department.id });
    const officer = await createPerson(t, org, { roles: ['security_officer'] });
    const admin = await createPerson(t, org, { roles: ['admin'] });
    roles.anonymous = {};
    for (const [role, person] of [
      ['staff', staff],
      ['security_officer', officer],
      ['admin', admin],
    ] as const) {
      roles[role] = { Authorization: `Bearer ${(await signIn(t, person)).accessToken}` };
    }
    const control = await t.dataSource.getRepository(Control).findOneByOrFail({ organizationId: org, code: '1-01' });
    const policy = await t.dataSource.getRepository(Policy).findOneByOrFail({ organizationId: org, key: 'standards' });
    const evidence = await request(t.http)
      .post(`/api/v1/controls/${control.id}/evidence`)
      .set(roles.security_officer!)
      .attach('file', Buffer.from('点検記録\n'), { filename: 'log.txt', contentType: 'text/plain' })
      .expect(201);
    Object.assign(ids, { control: control.id, policy: policy.id, staff: staff.staff.id, department: department.id, evidence: evidence.body.id as string });
    doc = createApiDocument(t.app);
    const tables = (await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    )) as { table_name: string }[];
    // per table: how many rows, and the newest row version (an insert or an update changes it)
    snapshotSql = `SELECT ${tables
      .map(({ table_name: name }) => `(SELECT count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text FROM "${name}") AS "${name}"`)
      .join(', ')}`;
  });
  afterAll(() => t.close());

  it(
    'holds for every operation with parameters or a body, as anonymous, staff, security officer and admin',
    async () => {
      const operations: Operation[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
          const operation = item[method];
          if (!operation) continue;
          const content = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {};
          const parameters = (operation.parameters ?? []).filter(
            (p): p is Parameter & typeof p => 'in' in p && (p.in === 'path' || p.in === 'query'),
          ) as Parameter[];
          const op: Operation = {
            method,
            path,
            parameters,
            json: content['application/json']?.schema as Schema,
            multipart: content['multipart/form-data']?.schema as Schema,
          };
          if (op.parameters.length || op.json || op.multipart) operations.push(op);
        }
      }
      expect(operations.length).toBeGreaterThanOrEqual(30);

      const statuses: Record<number, number> = {};
      let inputs = 0;
      let serverErrors = 0;
      const snapshot = async (): Promise<Record<string, string>> => ((await t.dataSource.query(snapshotSql)) as Record<string, string>[])[0]!;
      let last = await snapshot();
      const started = Date.now();

      let index = 0;
      const timing: Record<string, number> = {};
      for (const op of operations) {
        const opStarted = Date.now();
        for (const [role, headers] of Object.entries(roles)) {
          const seed = SEED + index++;
          await fc.assert(
            fc.asyncProperty(attempts(op, doc, ids), async (attempt) => {
              let req = request(t.http)[op.method](attempt.url).set(headers).set('Accept', 'application/json');
              if (attempt.json !== undefined) req = req.set('Content-Type', 'application/json').send(attempt.json);
              if (attempt.multipart) req = req.set('Content-Type', `multipart/form-data; boundary=${attempt.multipart.boundary}`).send(attempt.multipart.body);
              const res = await req;
              inputs++;
              statuses[res.status] = (statuses[res.status] ?? 0) + 1;
              if (res.status >= 500) serverErrors++;
              const where = `${op.method.toUpperCase()} ${attempt.url.slice(0, 200)} as ${role}: ${res.status} ${res.text.slice(0, 300)}`;
              if (res.status >= 500) throw new Error(`5xx: ${where}`);
              const now = await snapshot();
              if (res.status >= 400) {
                if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) throw new Error(`not problem+json: ${where}`);
                const problem = JSON.parse(res.text) as { status?: unknown; code?: unknown; type?: unknown; title?: unknown };
                if (
                  problem.status !== res.status ||
                  typeof problem.code !== 'string' ||
                  typeof problem.type !== 'string' ||
                  typeof problem.title !== 'string'
                ) {
                  throw new Error(`not a problem document: ${where}`);
                }
                if ([400, 413, 415, 422].includes(res.status)) {
                  const changed = Object.keys(now).filter((table) => now[table] !== last[table]);
                  if (changed.length) throw new Error(`refused but wrote to ${changed.join(', ')}: ${where}`);
                }
              }
              last = now;
            }),
            { numRuns: RUNS, seed, endOnFailure: true },
          );
        }
        timing[`${op.method} ${op.path}`] = Date.now() - opStarted;
      }
      if (process.env.FUZZ_PROFILE)
        console.log(
          Object.entries(timing)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 12),
        );

      const summary = {
        seed: SEED,
        runsPerOperationAndRole: RUNS,
        operations: operations.length,
        roles: Object.keys(roles).length,
        inputs,
        statuses,
        '5xx': serverErrors,
        seconds: (Date.now() - started) / 1000,
      };
      mkdirSync(dirname(OUTPUT), { recursive: true });
      writeFileSync(OUTPUT, `${JSON.stringify(summary)}\n`);
      console.log(
        `bad-input fuzz: ${inputs} inputs (${operations.length} operations × ${Object.keys(roles).length} roles × ${RUNS} runs, seed ${SEED}); statuses ${Object.entries(
          statuses,
        )
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}; 5xx = ${serverErrors}`,
      );
      expect(serverErrors).toBe(0);
    },
    // each input snapshots every table; the operations grow with each module
    Math.max(240_000, RUNS * 60_000),
  );
});
