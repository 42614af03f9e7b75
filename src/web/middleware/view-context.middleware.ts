import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { takeFlash } from '../flash.js';
import { I18nService } from '../i18n/i18n.service.js';
import { isLocale, type Locale } from '../../common/locale.js';
import { languageHref } from '../page-url.js';
import { ViewerService } from '../viewer.service.js';

type RenderCallback = (error: Error | null, html?: string) => void;
type Render = (view: string, options: object, callback: RenderCallback) => void;

/**
 * Gives every page rendered for this request (by a controller or by the error filter) what the
 * layout shows around it: the signed-in person's name, menu and home page, the language switch (to
 * this page, or to the page a form was on), and the flash message left by the form before the
 * redirect (shown once). The person is known only once the access guard has run, so the data is
 * added when the page is rendered, not here.
 */
@Injectable()
export class ViewContextMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Views');

  constructor(
    private readonly viewers: ViewerService,
    private readonly i18n: I18nService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const render = res.render.bind(res) as Render;
    res.render = ((view: string, options?: Record<string, unknown> | RenderCallback, callback?: RenderCallback): void => {
      const locals = typeof options === 'function' ? {} : (options ?? {});
      const done = (typeof options === 'function' ? options : callback) ?? this.send(view, res);
      const locale: Locale = isLocale(res.locals.locale) ? res.locals.locale : 'ja';
      const other: Locale = locale === 'ja' ? 'en' : 'ja';
      const page = {
        languageSwitch: { locale: other, label: this.i18n.translate(other, 'lang.name'), href: languageHref(res, other) },
        flash: takeFlash(req, res, (key) => this.i18n.has(locale, key)),
        // the answer to a form (a refused one, or the error page): the page the form was on
        formPage: req.method !== 'GET' && req.method !== 'HEAD' && typeof res.locals.pageUrl === 'string' ? res.locals.pageUrl : null,
      };
      void this.viewers.viewContext(req).then((context) => render(view, { ...context, ...page, ...locals }, done));
    }) as Response['render'];
    next();
  }

  /** Sends the page; a template that fails is a bug: logged, and answered with a bare 500. */
  private send(view: string, res: Response): RenderCallback {
    return (error, html) => {
      if (!error) return void res.send(html);
      this.logger.error(`view ${view}: ${error.stack ?? error.message}`);
      if (!res.headersSent) res.status(500).type('text/plain').send('Internal error');
    };
  }
}
