import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AccessTokens } from '../../auth/access-tokens.js';
import { AuthService } from '../../auth/auth.service.js';
import { clientAddressOf } from '../../auth/client-address.js';
import { AppException } from '../../common/errors/app.exception.js';
import { ACCESS_COOKIE, REFRESH_COOKIE, WebCookies } from '../web-cookies.js';

/** Refresh a little before the access token expires, so it does not lapse during the request. */
const EARLY_SECONDS = 30;

/** Reads `exp` of a JWT without checking it: only to decide whether to refresh (the guard checks). */
export function expiresSoon(token: string | undefined, now = Date.now()): boolean {
  if (!token) return true;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp !== 'number' || claims.exp - EARLY_SECONDS <= now / 1000;
  } catch {
    return true;
  }
}

/**
 * Keeps a web session alive: when the access cookie is missing, about to expire or no longer valid
 * (signed with a key since rotated away) and a refresh cookie is present, rotates the pair and hands the new access token to the guard. A refused refresh
 * token ends the web session (both cookies cleared; the page then asks to sign in).
 */
@Injectable()
export class SessionRefreshMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokens,
    private readonly cookies: WebCookies,
  ) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const jar = (req.cookies ?? {}) as Record<string, string | undefined>;
    const refreshToken = jar[REFRESH_COOKIE];
    const access = jar[ACCESS_COOKIE];
    if (refreshToken && (expiresSoon(access) || !this.tokens.verify(access!))) {
      try {
        const tokens = await this.auth.refresh(refreshToken, { clientAddress: clientAddressOf(req), channel: 'web' });
        this.cookies.setSession(res, tokens);
        jar[ACCESS_COOKIE] = tokens.accessToken;
        jar[REFRESH_COOKIE] = tokens.refreshToken;
      } catch (error) {
        if (!(error instanceof AppException)) throw error;
        this.cookies.clearSession(res);
        delete jar[ACCESS_COOKIE];
        delete jar[REFRESH_COOKIE];
      }
    }
    next();
  }
}
