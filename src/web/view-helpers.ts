import type { HelperDelegate, HelperOptions } from 'handlebars';
import { DEFAULT_LOCALE, isLocale, type I18nService, type Locale } from './i18n/i18n.service.js';

/** Dates are stored in UTC and shown in Asia/Tokyo (DESIGN.md §4). */
const DATE_TIME_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }),
};

export function formatDateTime(value: Date | string | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : DATE_TIME_FORMATS[locale].format(date);
}

/** The locale of the page being rendered: `res.locals.locale`, set by the locale middleware. */
function localeOf(options: HelperOptions): Locale {
  const root = (options.data as { root?: { locale?: unknown } } | undefined)?.root;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}

/** Helpers are called with their arguments, then Handlebars' options object last. */
function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

/**
 * - `{{t "key" name=value}}`: a message of the page's language; `fallback="key"` names the message
 *   to show when the first key does not exist (problem titles use it).
 * - `{{dateTime value}}`: a date and time in Asia/Tokyo; `{{isoDateTime value}}` for `<time datetime>`.
 * - `{{concat "role." role}}`, `{{eq a b}}`.
 */
export function viewHelpers(i18n: I18nService): Record<string, HelperDelegate> {
  return {
    t: (...args: unknown[]) => {
      const { params, options } = split(args);
      const { fallback, ...values } = options.hash as Record<string, unknown>;
      return i18n.translate(localeOf(options), String(params[0]), values, typeof fallback === 'string' ? fallback : undefined);
    },
    dateTime: (...args: unknown[]) => {
      const { params, options } = split(args);
      return formatDateTime(params[0] as Date | string | null, localeOf(options));
    },
    isoDateTime: (value: unknown) => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : ''),
    concat: (...args: unknown[]) => split(args).params.map(String).join(''),
    eq: (a: unknown, b: unknown) => a === b,
  };
}
