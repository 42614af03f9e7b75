import type { Request } from 'express';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';

/** The language of the page answering `req` (set on `res.locals` by the locale middleware). */
export function localeOf(req: Request): Locale {
  const locale: unknown = req.res?.locals.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}
