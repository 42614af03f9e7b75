import type { Request, Response } from 'express';
import type { Locale } from '../common/locale.js';
import { safeNext } from './login/safe-next.js';

/**
 * The page a response belongs to, for the language switch: a GET page is itself; the answer to a
 * form (a refused form shown again, the error page after a POST) belongs to the page the form was
 * on, which every form names in its hidden `_page` field (partial `csrf`). The switch then leads to
 * that page in the other language, never to the POST-only address of the form.
 */
export const PAGE_FIELD = '_page';

function withoutLang(url: string): string {
  const parsed = new URL(url, 'http://mamori.invalid');
  parsed.searchParams.delete('lang');
  return `${parsed.pathname}${parsed.search}`;
}

/** A GET page's own address (without `lang`). */
export function rememberPage(req: Request, res: Response): void {
  if (req.method === 'GET' || req.method === 'HEAD') res.locals.pageUrl = withoutLang(req.originalUrl);
}

/** Takes the `_page` field out of a form's body (before the DTO sees it) and remembers it: a local path only. */
export function takeFormPage(req: Request, res: Response | undefined): void {
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || !(PAGE_FIELD in body)) return;
  const sent = body[PAGE_FIELD];
  delete body[PAGE_FIELD];
  if (res && typeof sent === 'string') res.locals.pageUrl = withoutLang(safeNext(sent));
}

/** The page of this response in `locale`: its own address, the form's page, or else the home page. */
export function languageHref(res: Response, locale: Locale): string {
  const page = typeof res.locals.pageUrl === 'string' ? res.locals.pageUrl : '/';
  const url = new URL(page, 'http://mamori.invalid');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}
