import { canonicalJson } from '../common/canonical-json.js';
import { createHmac } from 'node:crypto';
import { deriveKey } from '../common/secrets.js';
import { auditKey, auditKeyId, chainedHash, changedFields, entryHash, entryMaterial, GENESIS_HASH } from './audit-trail.writer.js';

describe('changedFields', () => {
  it('keeps only what changed, with before and after', () => {
    expect(changedFields({ name: 'a', code: 'X', updatedAt: 1 }, { name: 'b', code: 'X', updatedAt: 2 })).toEqual({ name: { before: 'a', after: 'b' } });
  });

  it('records a creation as after-values and redacts secrets', () => {
    expect(changedFields(null, { email: 'a@b', passwordHash: 'argon…' })).toEqual({ email: { after: 'a@b' }, passwordHash: { after: '[redacted]' } });
  });

  it('records a creation as every field that is not null, as a comparison with nothing would', () => {
    const when = new Date('2026-04-01T00:00:00Z');
    expect(changedFields(undefined, { id: 'x', kana: null, roles: ['staff'], count: 0, createdAt: when, updatedAt: when, at: when, note: undefined })).toEqual({
      id: { after: 'x' },
      roles: { after: ['staff'] },
      count: { after: 0 },
      at: { after: '2026-04-01T00:00:00.000Z' },
    });
    expect(changedFields({}, { id: 'x', kana: null })).toEqual({ id: { before: null, after: 'x' } });
    expect(changedFields(null, null)).toEqual({});
  });

  it('compares arrays and dates by value', () => {
    const when = new Date('2026-04-01T00:00:00Z');
    expect(changedFields({ roles: ['staff'], at: when }, { roles: ['staff'], at: new Date(when) })).toEqual({});
  });
});

describe('entryHash', () => {
  const KEY = Buffer.alloc(32, 7);
  const entry = {
    id: '6f1c2f7e-7d0e-4f5e-9d5a-0c3c0d9b4a11',
    organizationId: '0b8a1c5e-2a44-4b8e-8f5e-5d5f2c3e1a22',
    actorId: null,
    actorLabel: 'system:test',
    action: 'staff.create',
    entityType: 'staff',
    entityId: 'x',
    changes: { b: { after: 1 }, a: { after: 2 } },
    clientAddress: null,
    occurredAt: new Date('2026-11-25T00:00:00.123Z'),
    previousHash: GENESIS_HASH,
  };

  it('does not depend on key order (jsonb reorders keys)', () => {
    expect(entryHash({ ...entry, changes: { a: { after: 2 }, b: { after: 1 } } }, KEY)).toBe(entryHash(entry, KEY));
  });

  it('needs the key: the same row hashes differently under another key', () => {
    expect(entryHash(entry, Buffer.alloc(32, 1))).not.toBe(entryHash(entry, KEY));
  });

  it('changes with any field', () => {
    expect(entryHash({ ...entry, actorLabel: 'someone' }, KEY)).not.toBe(entryHash(entry, KEY));
    expect(entryHash({ ...entry, previousHash: 'f'.repeat(64) }, KEY)).not.toBe(entryHash(entry, KEY));
  });

  it('is the HMAC of the canonical JSON of the row, previous hash included, also when made in two steps (material first, chained later)', () => {
    const rows = [
      entry,
      { ...entry, keyId: '0123456789abcdef', clientAddress: '::ffff:127.0.0.1', actorId: entry.organizationId },
      { ...entry, clientAddressLegacy: '10.0.0.1, evil', changes: { '@context': { after: { note: '"quoted" \\ back\nslash 日本語' } } } },
    ];
    for (const row of rows) {
      const { clientAddressLegacy, keyId, ...rest } = row as typeof row & { clientAddressLegacy?: string; keyId?: string };
      const whole = canonicalJson({
        ...(keyId ? { keyId } : {}),
        ...rest,
        clientAddress: clientAddressLegacy ?? rest.clientAddress,
        occurredAt: rest.occurredAt.toISOString(),
      });
      const expected = createHmac('sha256', KEY).update(whole).digest('hex');
      expect(entryHash(row, KEY)).toBe(expected);
      expect(chainedHash(entryMaterial(row), row.previousHash, KEY)).toBe(expected);
    }
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});

describe('key ids', () => {
  const SECRET = 'k'.repeat(40);

  it('name a key by an HMAC under its audit-trail key: stable, 16 hex digits, different per key', () => {
    const key = auditKey(SECRET);
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(auditKey(SECRET).id).toBe(key.id);
    expect(auditKey('m'.repeat(40)).id).not.toBe(key.id);
    expect(key.id).toBe(createHmac('sha256', deriveKey(SECRET, 'audit-trail')).update('key-id').digest('hex').slice(0, 16));
    expect(auditKeyId(key.trail)).toBe(key.id);
    // the checkpoint key is another derivation than the chain's
    expect(key.checkpoint.equals(key.trail)).toBe(false);
  });

  const entry = {
    id: '6f1c2f7e-7d0e-4f5e-9d5a-0c3c0d9b4a11',
    organizationId: '0b8a1c5e-2a44-4b8e-8f5e-5d5f2c3e1a22',
    actorId: null,
    actorLabel: 'system:test',
    action: 'staff.create',
    entityType: 'staff',
    entityId: 'x',
    changes: {},
    clientAddress: null,
    occurredAt: new Date('2026-11-25T00:00:00.123Z'),
    previousHash: GENESIS_HASH,
  };

  it('are covered by the hash of the rows that carry one; rows without one hash as before', () => {
    const key = Buffer.alloc(32, 7);
    expect(entryHash({ ...entry, keyId: null }, key)).toBe(entryHash(entry, key));
    expect(entryHash({ ...entry, keyId: 'aaaaaaaaaaaaaaaa' }, key)).not.toBe(entryHash(entry, key));
    expect(entryHash({ ...entry, keyId: 'aaaaaaaaaaaaaaaa' }, key)).not.toBe(entryHash({ ...entry, keyId: 'bbbbbbbbbbbbbbbb' }, key));
  });
});
