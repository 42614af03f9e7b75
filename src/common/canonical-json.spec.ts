import { canonicalJson } from './canonical-json.js';
import { timeOrderedUuid } from './uuid.js';

/** The first implementation, kept as the reference: rows hashed with it must hash the same now. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('writes what the first implementation wrote, for every kind of value', () => {
    const values: unknown[] = [
      null,
      undefined,
      0,
      -1.5,
      'text "quoted" \\ back\nslash 日本語 \u2028',
      true,
      [],
      {},
      { b: 1, a: undefined, c: null },
      { '10': 'ten', '9': 'nine', a: [1, { z: 1, y: [undefined, null] }], é: 1, Z: 2, _: 3 },
      { at: new Date('2026-11-25T00:00:00.123Z'), nested: { deeper: { deepest: ['x', { b: 2, a: 1 }] } } },
      { email: { after: 'a@b' }, roles: { before: ['staff'], after: ['manager', 'staff'] }, '@context': { after: { reason: 'joined' } } },
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(reference(value));
  });
});

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID that sorts by its time', () => {
    const first = timeOrderedUuid(Date.UTC(2026, 10, 25));
    const second = timeOrderedUuid(Date.UTC(2026, 10, 25) + 1);
    for (const id of [first, second]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first < second).toBe(true);
    expect(first.replace(/-/g, '').slice(0, 12)).toBe(Date.UTC(2026, 10, 25).toString(16).padStart(12, '0'));
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedUuid())).size).toBe(1000);
  });
});
