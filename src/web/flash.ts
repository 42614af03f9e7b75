import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import { WebCookies } from './web-cookies.js';

/** the message the next page shows once (httpOnly, SameSite=Lax, one minute) */
export const FLASH_COOKIE = 'mamori_flash';
const FLASH_TTL_MS = 60_000;
/** a message key of the catalogues' `notice.*` (the cookie holds a key, never text) */
const NOTICE_KEY = /^notice\.[A-Za-z][A-Za-z0-9_]{0,60}$/;
export type NoticeKey = `notice.${string}`;

const cookieOptions = new WeakMap<Response, CookieOptions>();

/**
 * Post/redirect/get with a message: after a form succeeded, the controller says what to tell the
 * person and redirects; the next page shows the message once (partial `flash` in the layout, a
 * `role="status"` box above the page's heading) and clears it.
 *
 *   flash(res, 'notice.statusUpdated');
 *   res.redirect(303, `/controls/${id}`);
 *
 * The message is a key of the catalogues (`notice.*`), so nothing a visitor sends becomes text.
 */
export function flash(res: Response, message: NoticeKey): void {
  if (!NOTICE_KEY.test(message)) throw new Error(`flash: ${message} is not a notice.* message key`);
  const options = cookieOptions.get(res) ?? { httpOnly: true, sameSite: 'lax', path: '/' };
  res.cookie(FLASH_COOKIE, message, { ...options, maxAge: FLASH_TTL_MS });
}

/** The message to show on the page being rendered (a page that succeeded), once: read, then cleared. */
export function takeFlash(req: Request, res: Response, known: (key: string) => boolean): NoticeKey | null {
  const value: unknown = req.cookies?.[FLASH_COOKIE];
  if (value === undefined || res.statusCode >= 400) return null;
  const { maxAge: _maxAge, ...options } = cookieOptions.get(res) ?? { path: '/' };
  res.clearCookie(FLASH_COOKIE, options);
  return typeof value === 'string' && NOTICE_KEY.test(value) && known(value) ? (value as NoticeKey) : null;
}

/** Gives `flash()` the pages' cookie options (Secure behind HTTPS). */
@Injectable()
export class FlashMiddleware implements NestMiddleware {
  constructor(private readonly cookies: WebCookies) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    cookieOptions.set(res, this.cookies.options('lax'));
    next();
  }
}
