import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../common/locale.js';
import { rememberPage } from '../page-url.js';
import { LANG_COOKIE, WebCookies } from '../web-cookies.js';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The language of the pages: `?lang=en|ja` (remembered in a cookie), else the cookie, else Japanese.
 * Exposes `locale` to the views, and remembers the page's address for the language switch (which the
 * view context adds when the page is rendered: see page-url.ts).
 */
@Injectable()
export class LocaleMiddleware implements NestMiddleware {
  constructor(private readonly cookies: WebCookies) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const requested: unknown = req.query.lang;
    const remembered: unknown = req.cookies?.[LANG_COOKIE];
    let locale: Locale = DEFAULT_LOCALE;
    if (isLocale(requested)) {
      locale = requested;
      if (remembered !== requested) res.cookie(LANG_COOKIE, requested, this.cookies.options('lax', { maxAge: ONE_YEAR_MS }));
    } else if (isLocale(remembered)) {
      locale = remembered;
    }
    res.locals.locale = locale;
    rememberPage(req, res);
    next();
  }
}
