import type { ConfigService } from '@nestjs/config';
import type { MamoriConfig } from '../config/configuration.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { AuditTrailCheckpoints, checkpointSignature, type CheckpointFacts } from './audit-trail-checkpoints.service.js';
import { auditKey, AuditTrailWriter } from './audit-trail.writer.js';

const CURRENT = 'c'.repeat(40);
const PREVIOUS = 'p'.repeat(40);

function checkpoints(secretKey: string, previousSecretKeys: string[] = []): AuditTrailCheckpoints {
  const config = { get: () => ({ secretKey, previousSecretKeys }) } as unknown as ConfigService<MamoriConfig, true>;
  return new AuditTrailCheckpoints({} as UnitOfWork, new AuditTrailWriter(config));
}

const facts: CheckpointFacts = {
  organizationId: '0b8a1c5e-2a44-4b8e-8f5e-5d5f2c3e1a22',
  seq: '1042',
  hash: 'a'.repeat(64),
  keyId: auditKey(PREVIOUS).id,
  createdAt: new Date('2026-11-30T05:07:00.123Z'),
};

describe('checkpoint signatures', () => {
  const key = auditKey(PREVIOUS).checkpoint;

  it('cover every fact: organisation, seq, hash, key id and time', () => {
    const signature = checkpointSignature(facts, key);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    for (const changed of [
      { organizationId: '1b8a1c5e-2a44-4b8e-8f5e-5d5f2c3e1a22' },
      { seq: '1043' },
      { hash: 'b'.repeat(64) },
      { keyId: auditKey(CURRENT).id },
      { createdAt: new Date('2026-11-30T05:07:00.124Z') },
    ])
      expect(checkpointSignature({ ...facts, ...changed }, key)).not.toBe(signature);
    // read back from the database, seq and time come as a string and a Date
    expect(checkpointSignature({ ...facts, createdAt: new Date(facts.createdAt.toISOString()) }, key)).toBe(signature);
  });

  it('are checked under the key they name, which may be a previous one', () => {
    const signed = { ...facts, signature: checkpointSignature(facts, key) };
    expect(checkpoints(CURRENT, [PREVIOUS]).check(signed)).toBe('ok');
    expect(checkpoints(CURRENT).check(signed)).toBe('unknown_key');
    expect(checkpoints(CURRENT, [PREVIOUS]).check({ ...signed, seq: '9999' })).toBe('forged');
    // the chain's key is not the checkpoints' key
    expect(checkpoints(PREVIOUS).check({ ...facts, signature: checkpointSignature(facts, auditKey(PREVIOUS).trail) })).toBe('forged');
  });
});
