import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import { WebCookies } from './web-cookies.js';

/** the message the next page shows once (httpOnly, SameSite=Lax, one minute) */
export const FLASH_COOKIE = 'mamori_flash';
const FLASH_TTL_MS = 60_000;
/** a message key of the catalogues' `notice.*` (the cookie holds a key, never text) */
const NOTICE_KEY = /^notice\.[A-Za-z][A-Za-z0-9_]{0,60}$/;
/** the cookie: the key, then the counts its message names (`notice.remindersSent|sent=3|already=1`): numbers only */
const FLASH_VALUE = /^(notice\.[A-Za-z][A-Za-z0-9_]{0,60})((?:\|[a-z][A-Za-z]{0,20}=\d{1,9}){0,5})$/;
export type NoticeKey = `notice.${string}`;

/** The message a page shows once: its key, and the counts it names. */
export interface FlashMessage {
  key: NoticeKey;
  values: Record<string, string>;
}

const cookieOptions = new WeakMap<Response, CookieOptions>();

/**
 * Post/redirect/get with a message: after a form succeeded, the controller says what to tell the
 * person and redirects; the next page shows the message once (partial `flash` in the layout, a
 * `role="status"` box above the page's heading) and clears it.
 *
 *   flash(res, 'notice.statusUpdated');
 *   res.redirect(303, `/controls/${id}`);
 *
 * The message is a key of the catalogues (`notice.*`), so nothing a visitor sends becomes text; it
 * may name counts (`flash(res, 'notice.remindersSent', { sent: 3 })` for 「{sent} 人に…」), numbers only.
 */
export function flash(res: Response, message: NoticeKey, counts: Record<string, number> = {}): void {
  const value = [message, ...Object.entries(counts).map(([name, count]) => `${name}=${count}`)].join('|');
  if (!NOTICE_KEY.test(message) || !FLASH_VALUE.test(value)) throw new Error(`flash: ${value} is not a notice.* message key with counts`);
  const options = cookieOptions.get(res) ?? { httpOnly: true, sameSite: 'lax', path: '/' };
  res.cookie(FLASH_COOKIE, value, { ...options, maxAge: FLASH_TTL_MS });
}

/** The message to show on the page being rendered (a page that succeeded), once: read, then cleared. */
export function takeFlash(req: Request, res: Response, known: (key: string) => boolean): FlashMessage | null {
  const value: unknown = req.cookies?.[FLASH_COOKIE];
  if (value === undefined || res.statusCode >= 400) return null;
  const { maxAge: _maxAge, ...options } = cookieOptions.get(res) ?? { path: '/' };
  res.clearCookie(FLASH_COOKIE, options);
  const match = typeof value === 'string' ? FLASH_VALUE.exec(value) : null;
  if (!match || !known(match[1]!)) return null;
  const values = Object.fromEntries(
    match[2]!
      .split('|')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  return { key: match[1] as NoticeKey, values };
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
