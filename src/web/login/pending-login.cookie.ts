import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CookieOptions, Request, Response } from 'express';
import { deriveKey, open, seal } from '../../common/secrets.js';
import type { MamoriConfig } from '../../config/configuration.js';
import { PENDING_LOGIN_COOKIE, WebCookies } from '../web-cookies.js';

const TTL_MS = 5 * 60_000;

/** What the second sign-in step needs from the first. */
export interface PendingLogin {
  email: string;
  password: string;
  next: string;
}

/**
 * Carries the e-mail address and password from the first sign-in step to the second without ever
 * putting the password into the page: an AES-GCM sealed, httpOnly cookie for /login, valid 5 minutes.
 */
@Injectable()
export class PendingLoginCookie {
  private readonly key: Buffer;

  constructor(
    config: ConfigService<MamoriConfig, true>,
    private readonly cookies: WebCookies,
  ) {
    this.key = deriveKey(config.get('auth', { infer: true }).secretKey, 'web-login');
  }

  keep(res: Response, pending: PendingLogin): void {
    const sealed = seal(this.key, JSON.stringify({ ...pending, exp: Date.now() + TTL_MS }));
    res.cookie(PENDING_LOGIN_COOKIE, sealed, this.options({ maxAge: TTL_MS }));
  }

  /** null when absent, tampered with or expired */
  read(req: Request): PendingLogin | null {
    const sealed: unknown = req.cookies?.[PENDING_LOGIN_COOKIE];
    if (typeof sealed !== 'string' || !sealed) return null;
    try {
      const value = JSON.parse(open(this.key, sealed)) as Partial<PendingLogin & { exp: number }>;
      if (typeof value.email !== 'string' || typeof value.password !== 'string' || typeof value.next !== 'string') return null;
      if (typeof value.exp !== 'number' || value.exp <= Date.now()) return null;
      return { email: value.email, password: value.password, next: value.next };
    } catch {
      return null;
    }
  }

  clear(res: Response): void {
    res.clearCookie(PENDING_LOGIN_COOKIE, this.options());
  }

  private options(extra: CookieOptions = {}): CookieOptions {
    return this.cookies.options('strict', { path: '/login', ...extra });
  }
}
