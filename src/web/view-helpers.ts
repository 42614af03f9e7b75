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

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` (due dates, reviews) as written in the page's language: 2025年5月1日, 1 May 2025. */
export function formatCalendarDate(value: string | null | undefined, locale: Locale): string {
  const match = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (!match) return '';
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  if (locale === 'ja') return `${y}年${m}月${d}日`;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A share 0–1 as a percentage with one decimal: `0.6667` → `66.7%`; null → `—`. */
export function formatPercent(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${(Math.round(value * 1000) / 10).toFixed(1)}%` : '—';
}

/** Bytes as people read them: `512 B`, `12.5 KB`, `10 MB`. */
export function formatBytes(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${Math.round((value / 1024) * 10) / 10} KB`;
  return `${Math.round((value / (1024 * 1024)) * 10) / 10} MB`;
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
 * - `{{calendarDate "2025-05-01"}}`: a calendar date; `{{percent 0.5}}`: `50.0%`; `{{fileSize bytes}}`.
 * - `{{localized ja en}}`: the English text on English pages when there is one, else the Japanese.
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
    calendarDate: (...args: unknown[]) => {
      const { params, options } = split(args);
      return formatCalendarDate(params[0] as string | null, localeOf(options));
    },
    percent: (value: unknown) => formatPercent(value as number | null),
    fileSize: (value: unknown) => formatBytes(value as number | null),
    localized: (...args: unknown[]) => {
      const { params, options } = split(args);
      const [ja, en] = params as [unknown, unknown];
      return localeOf(options) === 'en' && typeof en === 'string' && en.trim() ? en : typeof ja === 'string' ? ja : '';
    },
    isoDateTime: (value: unknown) => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : ''),
    concat: (...args: unknown[]) => split(args).params.map(String).join(''),
    eq: (a: unknown, b: unknown) => a === b,
  };
}
