import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CookieOptions, Response } from 'express';
import type { TokenPairDto } from '../auth/dto/login.dto.js';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../auth/access-tokens.js';
import type { MamoriConfig } from '../config/configuration.js';

export { ACCESS_COOKIE, REFRESH_COOKIE };
/** double-submit CSRF token (httpOnly, SameSite=Strict) */
export const CSRF_COOKIE = 'mamori_csrf';
/** chosen language of the pages */
export const LANG_COOKIE = 'mamori_lang';
/** the sealed e-mail/password between the two sign-in steps (5 minutes) */
export const PENDING_LOGIN_COOKIE = 'mamori_login';

/** Every cookie of the web pages is httpOnly, and Secure behind HTTPS (`COOKIE_SECURE`). */
@Injectable()
export class WebCookies {
  private readonly secure: boolean;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.secure = config.get('app', { infer: true }).cookieSecure;
  }

  options(sameSite: 'lax' | 'strict', extra: CookieOptions = {}): CookieOptions {
    return { httpOnly: true, sameSite, secure: this.secure, path: '/', ...extra };
  }

  /** The access token (SameSite=Lax, so links from e-mail work) and the refresh token (Strict). */
  setSession(res: Response, tokens: TokenPairDto): void {
    res.cookie(ACCESS_COOKIE, tokens.accessToken, this.options('lax', { maxAge: tokens.expiresIn * 1000 }));
    res.cookie(REFRESH_COOKIE, tokens.refreshToken, this.options('strict'));
  }

  clearSession(res: Response): void {
    res.clearCookie(ACCESS_COOKIE, this.options('lax'));
    res.clearCookie(REFRESH_COOKIE, this.options('strict'));
  }
}
