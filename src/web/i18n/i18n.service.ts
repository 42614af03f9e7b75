import { Injectable } from '@nestjs/common';
import type { Locale } from '../../common/locale.js';
import { catalogue, fill, type Catalogue } from '../../common/messages.js';

/**
 * Every user-visible string of the web pages: `translate('ja', 'myPage.greeting', { name })`.
 * A missing key falls back to `fallback` when given, else shows the key itself (the catalogue
 * spec makes sure the views use no unknown key).
 */
@Injectable()
export class I18nService {
  private readonly catalogues: Record<Locale, Catalogue> = { ja: catalogue('ja'), en: catalogue('en') };

  has(locale: Locale, key: string): boolean {
    return Object.hasOwn(this.catalogues[locale], key);
  }

  translate(locale: Locale, key: string, values: Record<string, unknown> = {}, fallback?: string): string {
    const catalogue = this.catalogues[locale];
    const template = catalogue[key] ?? (fallback !== undefined ? catalogue[fallback] : undefined) ?? key;
    return fill(template, values);
  }
}
