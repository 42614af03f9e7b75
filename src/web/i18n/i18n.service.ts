import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '../../common/locale.js';
import { webDir, webFolders } from '../web-folders.js';

export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale };

export type Catalogue = Readonly<Record<string, string>>;

/** Two catalogue files define the same key (each message has one owner). */
export class DuplicateMessageError extends Error {
  constructor(key: string, files: [string, string]) {
    super(`message ${key} is defined in both ${files[0]} and ${files[1]}`);
    this.name = 'DuplicateMessageError';
  }
}

/**
 * A language's messages: the web layer's own (`src/web/i18n/<locale>.json`) and each feature's pages'
 * (`src/web/<feature>/i18n/<locale>.json`), merged; a key defined twice throws. Read once at start-up.
 */
export function loadCatalogue(locale: Locale, folders: string[] = webFolders('i18n')): Catalogue {
  const merged: Record<string, string> = {};
  const owner = new Map<string, string>();
  for (const folder of folders) {
    const file = join(folder, `${locale}.json`);
    if (!existsSync(file)) continue;
    const name = relative(webDir(), file);
    for (const [key, text] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)) {
      const first = owner.get(key);
      if (first) throw new DuplicateMessageError(key, [first, name]);
      owner.set(key, name);
      merged[key] = text;
    }
  }
  return merged;
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
