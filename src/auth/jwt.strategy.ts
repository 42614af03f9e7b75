import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Actor } from '../common/actor.js';
import type { MamoriConfig } from '../config/configuration.js';
import { AuthService, type AccessClaims } from './auth.service.js';
import { clientAddressOf } from './decorators.js';
import { deriveKey } from '../common/secrets.js';

export const ACCESS_COOKIE = 'mamori_at';
export const REFRESH_COOKIE = 'mamori_rt';

/** API clients send `Authorization: Bearer`; web pages send the httpOnly cookie (never the API). */
const fromWebCookie = (request: Request): string | null =>
  request.path.startsWith('/api/') ? null : ((request.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE] ?? null);

/**
 * The key that signs and checks access tokens, as a KeyObject made once: given a string, jsonwebtoken
 * tries to read it as a public key and fails on every verification first. (Its bytes are the base64
 * text of the derived key, as they have always been, so tokens issued before stay valid.)
 */
export function accessTokenKey(config: ConfigService<MamoriConfig, true>): KeyObject {
  return createSecretKey(Buffer.from(deriveKey(config.get('auth', { infer: true }).secretKey, 'access-token').toString('base64'), 'utf8'));
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: ConfigService<MamoriConfig, true>,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), fromWebCookie]),
      // passport-jwt hands the key to jsonwebtoken as is; its types only name strings and Buffers
      secretOrKey: accessTokenKey(config) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** The token is genuine; the session behind it must still be open. */
  async validate(request: Request, claims: AccessClaims): Promise<Actor | false> {
    return (await this.auth.actorForToken(claims, clientAddressOf(request))) ?? false;
  }
}
