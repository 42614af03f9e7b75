import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomToken, safeEqual } from '../../auth/secrets.js';
import { AppException } from '../../common/errors/app.exception.js';
import { CSRF_COOKIE, WebCookies } from '../web-cookies.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** the hidden field every form of the pages carries (partial `csrf`) */
export const CSRF_FIELD = '_csrf';

/**
 * Double-submit CSRF protection for the pages: a random token in an httpOnly SameSite=Strict cookie
 * (set when missing) must come back as the `_csrf` field of every form. Views get it as `csrfToken`.
 * The field is removed once checked, so form DTOs do not declare it.
 */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  constructor(private readonly cookies: WebCookies) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const cookie: unknown = req.cookies?.[CSRF_COOKIE];
    const known = typeof cookie === 'string' && TOKEN.test(cookie);
    const token = known ? cookie : randomToken(32);
    if (!known) res.cookie(CSRF_COOKIE, token, this.cookies.options('strict'));
    res.locals.csrfToken = token;
    if (SAFE_METHODS.has(req.method)) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sent = body[CSRF_FIELD];
    if (!known || typeof sent !== 'string' || !safeEqual(sent, token)) throw new AppException('CSRF_TOKEN_INVALID');
    delete body[CSRF_FIELD];
    next();
  }
}
