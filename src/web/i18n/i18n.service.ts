import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { projectRoot } from '../../database/project-root.js';

export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ja';

export type Catalogue = Readonly<Record<string, string>>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The message catalogues live beside the views (src/web/i18n), read once at start-up. */
export function loadCatalogue(locale: Locale): Catalogue {
  return JSON.parse(readFileSync(join(projectRoot(), 'src/web/i18n', `${locale}.json`), 'utf8')) as Catalogue;
}

/**
 * Every user-visible string of the web pages: `translate('ja', 'myPage.greeting', { name })`.
 * A missing key falls back to `fallback` when given, else shows the key itself (the catalogue
 * spec makes sure the views use no unknown key).
 */
@Injectable()
export class I18nService {
  private readonly catalogues: Record<Locale, Catalogue> = { ja: loadCatalogue('ja'), en: loadCatalogue('en') };

  has(locale: Locale, key: string): boolean {
    return Object.hasOwn(this.catalogues[locale], key);
  }

  translate(locale: Locale, key: string, values: Record<string, unknown> = {}, fallback?: string): string {
    const catalogue = this.catalogues[locale];
    const template = catalogue[key] ?? (fallback !== undefined ? catalogue[fallback] : undefined) ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name] ?? '') : whole));
  }
}
