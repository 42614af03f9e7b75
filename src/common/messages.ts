import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Locale } from './locale.js';
import { webDir, webFolders } from './web-folders.js';

/** A language's messages, by key. */
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

export function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name] ?? '') : whole));
}

const shared: Partial<Record<Locale, Catalogue>> = {};

/** A language's catalogue, read once per process (pages, mail and exports share it). */
export function catalogue(locale: Locale): Catalogue {
  return (shared[locale] ??= loadCatalogue(locale));
}

/**
 * A message of the pages' catalogues outside a request (an export in the reader's language names
 * statuses and chapters as the pages do); the catalogues are read once.
 */
export function message(locale: Locale, key: string, values: Record<string, unknown> = {}): string {
  return fill(catalogue(locale)[key] ?? key, values);
}
