import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DEFAULT_LOCALE, I18nService, isLocale, type Locale } from '../i18n/i18n.service.js';
import { pathOf } from '../navigation.js';
import { LANG_COOKIE, WebCookies } from '../web-cookies.js';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The language of the pages: `?lang=en|ja` (remembered in a cookie), else the cookie, else Japanese.
 * Exposes `locale` and the language switch (`languageSwitch`) to the views.
 */
@Injectable()
export class LocaleMiddleware implements NestMiddleware {
  constructor(
    private readonly cookies: WebCookies,
    private readonly i18n: I18nService,
  ) {}

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
    const other: Locale = locale === 'ja' ? 'en' : 'ja';
    res.locals.locale = locale;
    res.locals.languageSwitch = { locale: other, label: this.i18n.translate(other, 'lang.name'), href: switchHref(req, other) };
    next();
  }
}

/** The same page in the other language; a form's answer links to the page of the same path. */
function switchHref(req: Request, locale: Locale): string {
  if (req.method !== 'GET' && req.method !== 'HEAD') return `${pathOf(req)}?lang=${locale}`;
  const url = new URL(req.originalUrl, 'http://mamori.invalid');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}
