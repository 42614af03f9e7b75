import type { ConfigService } from '@nestjs/config';
import type { MamoriConfig } from '../config/configuration.js';
import { currentTotp, TotpService } from './totp.service.js';

describe('TotpService', () => {
  const config = { get: () => ({ secretKey: 'x'.repeat(40) }) } as unknown as ConfigService<MamoriConfig, true>;
  const service = new TotpService(config);
  const { base32, sealed } = service.newSecret();
  const now = Date.UTC(2026, 10, 25, 1, 0, 0);

  it('seals the secret at rest', () => {
    expect(sealed).not.toContain(base32);
    expect(service.reveal(sealed)).toBe(base32);
  });

  it('accepts the current code and one step of drift, and returns its time step', () => {
    const step = Math.floor(now / 30_000);
    expect(service.verify(sealed, currentTotp(base32, now), null, now)).toBe(step);
    expect(service.verify(sealed, currentTotp(base32, now - 30_000), null, now)).toBe(step - 1);
    expect(service.verify(sealed, currentTotp(base32, now - 90_000), null, now)).toBeNull();
  });

  it('never accepts a step already used', () => {
    const step = Math.floor(now / 30_000);
    expect(service.verify(sealed, currentTotp(base32, now), step, now)).toBeNull();
    expect(service.verify(sealed, currentTotp(base32, now + 30_000), step, now)).toBe(step + 1);
  });

  it('refuses malformed codes', () => {
    expect(service.verify(sealed, '12345', null, now)).toBeNull();
    expect(service.verify(sealed, 'abcdef', null, now)).toBeNull();
  });

  it('makes ten distinct recovery codes', () => {
    const { codes, hashes } = service.recoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(codes.every((c) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c))).toBe(true);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });
});
