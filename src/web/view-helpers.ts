import Handlebars, { type HelperDelegate, type HelperOptions } from 'handlebars';
import { formatDate, formatDateTime, formatFiscalYear } from '../common/dates.js';
import type { FormErrors } from './forms/form-error.js';
import { type I18nService } from './i18n/i18n.service.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../common/locale.js';
import { paragraphsOf } from './text.js';

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

interface Root {
  locale?: unknown;
  formErrors?: FormErrors | null;
}

function rootOf(options: HelperOptions): Root {
  return (options.data as { root?: Root } | undefined)?.root ?? {};
}

/** The locale of the page being rendered: `res.locals.locale`, set by the locale middleware. */
function localeOf(options: HelperOptions): Locale {
  const locale = rootOf(options).locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** Helpers are called with their arguments, then Handlebars' options object last. */
function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

/**
 * The attributes that tie a field to its hint and, when the form was refused, to its message:
 * ` aria-describedby="reason-hint reason-error" aria-invalid="true"`.
 */
export function fieldAria(id: string, hint: string | undefined, errors: FormErrors | null | undefined, markInvalid = true): string {
  const error = errors?.fields[id];
  const describedBy = [hint, error?.messageId].filter((part): part is string => typeof part === 'string' && part.length > 0);
  const attributes = [
    describedBy.length ? ` aria-describedby="${Handlebars.escapeExpression(describedBy.join(' '))}"` : '',
    error && markInvalid ? ' aria-invalid="true"' : '',
  ];
  return attributes.join('');
}

/** An e-mail address that may break after `@` and dots (long addresses wrap on narrow screens rather than widen the page). */
export function breakableEmail(value: string): string {
  return Handlebars.escapeExpression(value).replace(/@/g, '<wbr>@').replace(/\./g, '.<wbr>');
}

/** Plain text (catalogue descriptions) as `<p>` paragraphs, lines broken inside a sentence joined (see text.ts). */
export function prose(value: string | null | undefined): string {
  return paragraphsOf(value)
    .map((paragraph) => `<p>${Handlebars.escapeExpression(paragraph)}</p>`)
    .join('');
}

/**
 * - `{{t "key" name=value}}`: a message of the page's language; `fallback="key"` names the message
 *   to show when the first key does not exist (problem titles use it).
 * - `{{message m}}`: a message given as `{key, values}` (the error summary's, the field messages).
 * - `{{date "2026-11-30"}}`: a calendar date (2026年11月30日, 30 November 2026); `{{dateTime value}}`: a
 *   moment in Asia/Tokyo (2026/11/30 14:05); `{{fiscalYear 2026}}`: 令和8年度（2026年度）;
 *   `{{isoDateTime value}}` for `<time datetime>`. All from src/common/dates.ts, as mail and exports.
 * - `{{fieldAria "id" hint="id-hint"}}`: a field's aria-describedby and aria-invalid (see forms/form-error.ts);
 *   `invalid=false` on a fieldset (described by the message, but not itself a field).
 * - `{{emailAddress address}}`: an address that wraps after `@` and dots; `{{prose text}}`: plain text as paragraphs.
 * - `{{percent 0.5}}`: `50.0%`; `{{fileSize bytes}}`.
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
    message: (...args: unknown[]) => {
      const { params, options } = split(args);
      const message = params[0] as { key?: unknown; values?: Record<string, unknown> } | undefined;
      return typeof message?.key === 'string' ? i18n.translate(localeOf(options), message.key, message.values ?? {}) : '';
    },
    dateTime: (...args: unknown[]) => {
      const { params, options } = split(args);
      return formatDateTime(params[0] as Date | string | null, localeOf(options));
    },
    date: (...args: unknown[]) => {
      const { params, options } = split(args);
      return formatDate(params[0] as string | Date | null, localeOf(options));
    },
    fiscalYear: (...args: unknown[]) => {
      const { params, options } = split(args);
      return formatFiscalYear(Number(params[0]), localeOf(options));
    },
    fieldAria: (...args: unknown[]) => {
      const { params, options } = split(args);
      const { hint, invalid } = options.hash as { hint?: unknown; invalid?: unknown };
      return new Handlebars.SafeString(
        fieldAria(String(params[0]), typeof hint === 'string' ? hint : undefined, rootOf(options).formErrors, invalid !== false),
      );
    },
    emailAddress: (value: unknown) => new Handlebars.SafeString(typeof value === 'string' ? breakableEmail(value) : ''),
    prose: (value: unknown) => new Handlebars.SafeString(prose(typeof value === 'string' ? value : null)),
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
