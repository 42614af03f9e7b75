import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomToken, safeEqual } from '../../common/secrets.js';
import { AppException } from '../../common/errors/app.exception.js';
import { takeFormPage } from '../page-url.js';
import { CSRF_COOKIE, WebCookies } from '../web-cookies.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** the hidden field every form of the pages carries (partial `csrf`) */
export const CSRF_FIELD = '_csrf';

/** The token a multipart form must carry, kept on the request until its body has been parsed. */
const DEFERRED = Symbol('mamori:csrf-deferred');
type DeferredRequest = Request & { [DEFERRED]?: string | null };

export function isMultipart(req: Request): boolean {
  return /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');
}

/** Whether the request is a multipart form whose CSRF check still waits for its body. */
export function csrfDeferred(req: Request): boolean {
  return DEFERRED in req;
}

/**
 * The check of a multipart form, once its route's interceptor (multer) has parsed the body: the
 * `_csrf` field must match the cookie's token. Throws 403 CSRF_TOKEN_INVALID, like the middleware.
 */
export function verifyDeferredCsrf(req: Request): void {
  const deferred = req as DeferredRequest;
  if (!(DEFERRED in deferred)) return; // checked already, or never deferred (the middleware checked it)
  takeFormPage(req, req.res);
  const expected = deferred[DEFERRED];
  const body = (req.body ?? {}) as Record<string, unknown>;
  const sent = body[CSRF_FIELD];
  if (typeof expected !== 'string' || typeof sent !== 'string' || !safeEqual(sent, expected)) throw new AppException('CSRF_TOKEN_INVALID');
  delete body[CSRF_FIELD];
  delete deferred[DEFERRED];
}

/**
 * Double-submit CSRF protection for the pages: a random token in an httpOnly SameSite=Strict cookie
 * (set when missing) must come back as the `_csrf` field of every form. Views get it as `csrfToken`.
 * The field is removed once checked, so form DTOs do not declare it; so is the form's `_page` (the
 * page the form is on, for the language switch of the answer: see page-url.ts).
 *
 * A multipart form's body is not parsed yet here (multer runs in its route's interceptor), so its
 * check is deferred: only a route marked `@MultipartForm()` accepts one, and its interceptor checks
 * the field right after parsing (`verifyDeferredCsrf`); `MultipartFormGuard` refuses a multipart
 * request to any other route, so no route skips the check by being sent multipart.
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
    if (isMultipart(req)) {
      (req as DeferredRequest)[DEFERRED] = known ? token : null;
      return next();
    }
    takeFormPage(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sent = body[CSRF_FIELD];
    if (!known || typeof sent !== 'string' || !safeEqual(sent, token)) throw new AppException('CSRF_TOKEN_INVALID');
    delete body[CSRF_FIELD];
    next();
  }
}
