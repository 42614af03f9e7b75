import { createHmac } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { MamoriConfig } from '../config/configuration.js';
import { AccessTokens, type AccessClaims } from './access-tokens.js';

const KEY = 'a-test-secret-key-that-is-long-enough-0123';
const OLD_KEY = 'an-older-secret-key-that-is-long-enough-0123';

function tokens(secretKey = KEY, previousSecretKeys: string[] = []): AccessTokens {
  const config = { get: () => ({ secretKey, previousSecretKeys, accessTokenTtlSeconds: 900 }) } as unknown as ConfigService<MamoriConfig, true>;
  return new AccessTokens(config);
}

const claims: AccessClaims = {
  sub: '0b4a8a3c-6a4c-4d0e-9a59-1c2f3e4d5a6b',
  org: '1c5b9b4d-7b5d-4e1f-8b6a-2d3f4e5f6a7b',
  sid: '2d6cac5e-8c6e-4f2a-9c7b-3e4f5a6b7c8d',
};

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens (HS256)', () => {
  const issuer = tokens();

  it('verifies what it signed, until it expires', () => {
    const now = new Date('2026-11-30T05:00:00Z');
    const token = issuer.sign(claims, now);
    expect(token.split('.')).toHaveLength(3);
    expect(issuer.verify(token, now.getTime() + 60_000)).toEqual(claims);
    expect(issuer.verify(token, now.getTime() + 899_000)).toEqual(claims);
    expect(issuer.verify(token, now.getTime() + 900_000)).toBeNull();
  });

  it('refuses a changed payload, a changed signature and another key', () => {
    const token = issuer.sign(claims);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: claims.org });
    expect(issuer.verify(`${header}.${forged}.${signature}`)).toBeNull();
    expect(issuer.verify(`${header}.${payload}.${signature.slice(0, -2)}AA`)).toBeNull();
    expect(issuer.verify(`${header}.${payload}.`)).toBeNull();
    expect(tokens('another-secret-key-that-is-long-enough-0123').verify(token)).toBeNull();
  });

  it('refuses another algorithm or none, even correctly signed', () => {
    const payload = b64({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 });
    for (const header of [b64({ alg: 'none', typ: 'JWT' }), b64({ alg: 'HS512', typ: 'JWT' }), b64({ typ: 'JWT', alg: 'HS256' })]) {
      const key = Buffer.from(Buffer.from('whatever').toString('base64'));
      const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
      expect(issuer.verify(`${header}.${payload}.${signature}`)).toBeNull();
      expect(issuer.verify(`${header}.${payload}.`)).toBeNull();
    }
  });

  it('refuses malformed tokens and claims', () => {
    for (const token of ['', 'a', 'a.b', 'a.b.c', '...', 'x'.repeat(500)]) expect(issuer.verify(token)).toBeNull();
    const signed = (body: object): string => {
      const token = issuer.sign(claims);
      const header = token.split('.')[0]!;
      const payload = b64(body);
      const key = Buffer.from(Reflect.get(issuer, 'key') as Buffer);
      return `${header}.${payload}.${createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')}`;
    };
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + 600;
    expect(issuer.verify(signed({ ...claims, iat, exp }))).toEqual(claims);
    expect(issuer.verify(signed({ ...claims }))).toBeNull(); // no expiry
    expect(issuer.verify(signed({ ...claims, exp }))).toBeNull(); // no time of issue
    expect(issuer.verify(signed({ ...claims, iat, exp: String(exp) }))).toBeNull();
    expect(issuer.verify(signed({ ...claims, iat: String(iat), exp }))).toBeNull();
    expect(issuer.verify(signed({ ...claims, sub: 'admin', iat, exp }))).toBeNull();
    expect(issuer.verify(signed({ sub: claims.sub, org: claims.org, iat, exp }))).toBeNull();
  });

  it('refuses a token of a retired key (PREVIOUS_SECRET_KEYS), even one it signed itself before the rotation', () => {
    const now = new Date();
    const before = tokens(OLD_KEY).sign(claims, now);
    const rotated = tokens(KEY, [OLD_KEY]);
    expect(rotated.verify(rotated.sign(claims, now))).toEqual(claims);
    expect(rotated.verify(before)).toBeNull();
    // what a thief of the retired key would make: a ten-year token, well formed and signed with that key
    const iat = Math.floor(now.getTime() / 1000);
    const [header] = before.split('.') as [string];
    const payload = b64({ ...claims, iat, exp: iat + 10 * 365 * 86_400 });
    const oldKey = Buffer.from(Reflect.get(tokens(OLD_KEY), 'key') as Buffer);
    expect(rotated.verify(`${header}.${payload}.${createHmac('sha256', oldKey).update(`${header}.${payload}`).digest('base64url')}`)).toBeNull();
  });

  it('refuses a token that lives longer than ACCESS_TOKEN_TTL_SECONDS or was issued in the future', () => {
    const key = Buffer.from(Reflect.get(issuer, 'key') as Buffer);
    const [header] = issuer.sign(claims).split('.') as [string];
    const signed = (body: object): string => {
      const payload = b64(body);
      return `${header}.${payload}.${createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    expect(issuer.verify(signed({ ...claims, iat: now, exp: now + 900 }))).toEqual(claims);
    expect(issuer.verify(signed({ ...claims, iat: now + 30, exp: now + 930 }))).toEqual(claims); // a clock a little ahead
    expect(issuer.verify(signed({ ...claims, iat: now, exp: now + 10 * 365 * 86_400 }))).toBeNull();
    expect(issuer.verify(signed({ ...claims, iat: now - 3_600, exp: now + 3_600 }))).toBeNull();
    expect(issuer.verify(signed({ ...claims, iat: now + 3_600, exp: now + 3_900 }))).toBeNull();
  });
});
