import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { deriveKey } from '../common/secrets.js';
import type { MamoriConfig } from '../config/configuration.js';

/** The cookies of a web session: the access token and the refresh token (httpOnly). */
export const ACCESS_COOKIE = 'mamori_at';
export const REFRESH_COOKIE = 'mamori_rt';

/** What an access token carries: the person, their organisation, and the session it belongs to. */
export interface AccessClaims {
  sub: string;
  org: string;
  sid: string;
}

/** The one header Mamori's tokens have; a token with any other (another algorithm, `none`) is refused. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How far the clocks of two web processes may disagree: `iat` this far in the future, and a life this much longer, still pass. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Access tokens: JWTs signed with HMAC-SHA256 under a key derived from SECRET_KEY, made once.
 * Checking one is on the path of every request, so it is done here in one pass (the header must
 * be exactly Mamori's, the signature is compared in constant time, the claims must be well formed
 * and unexpired) rather than through a general-purpose JWT library that decodes the token twice and
 * tries the key as a public key first. The session behind a valid token is checked in the database
 * on every request (AuthService.actorForToken), so revoking it takes effect at once.
 */
@Injectable()
export class AccessTokens {
  private readonly key: Buffer;
  readonly ttlSeconds: number;

  constructor(config: ConfigService<MamoriConfig, true>) {
    const auth = config.get('auth', { infer: true });
    // the bytes of the key are the base64 text of the derived key, as they have always been
    this.key = Buffer.from(deriveKey(auth.secretKey, 'access-token').toString('base64'), 'utf8');
    this.ttlSeconds = auth.accessTokenTtlSeconds;
  }

  sign(claims: AccessClaims, now: Date = new Date()): string {
    const iat = Math.floor(now.getTime() / 1000);
    const payload = Buffer.from(JSON.stringify({ sub: claims.sub, org: claims.org, sid: claims.sid, iat, exp: iat + this.ttlSeconds })).toString('base64url');
    return `${HEADER}.${payload}.${this.signature(`${HEADER}.${payload}`).toString('base64url')}`;
  }

  /** The claims of a genuine, unexpired token of the current key, with this deployment's life; null for anything else. */
  verify(token: string, now: number = Date.now()): AccessClaims | null {
    const dot = token.indexOf('.');
    const last = token.lastIndexOf('.');
    if (dot < 0 || last === dot || token.slice(0, dot) !== HEADER) return null;
    const given = Buffer.from(token.slice(last + 1), 'base64url');
    const expected = this.signature(token.slice(0, last));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: Partial<AccessClaims> & { exp?: unknown; iat?: unknown };
    try {
      claims = JSON.parse(Buffer.from(token.slice(dot + 1, last), 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return null;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return null;
    // issued now or before (give or take the skew), for no longer than tokens live here
    if (typeof claims.iat !== 'number' || (claims.iat - CLOCK_SKEW_SECONDS) * 1000 > now) return null;
    if (claims.exp - claims.iat > this.ttlSeconds + CLOCK_SKEW_SECONDS) return null;
    if (!isUuid(claims.sub) || !isUuid(claims.org) || !isUuid(claims.sid)) return null;
    return { sub: claims.sub, org: claims.org, sid: claims.sid };
  }

  private signature(signed: string): Buffer {
    return createHmac('sha256', this.key).update(signed).digest();
  }
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
