import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { pathOf } from '../navigation.js';
import { ViewerService } from '../viewer.service.js';

type RenderCallback = (error: Error | null, html?: string) => void;
type Render = (view: string, options: object, callback: RenderCallback) => void;

/**
 * Gives every page rendered for this request (by a controller or by the error filter) the layout's
 * data about the signed-in person: their name and menu. The person is known only once the access
 * guard has run, so the data is added when the page is rendered, not here.
 */
@Injectable()
export class ViewContextMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Views');

  constructor(private readonly viewers: ViewerService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.locals.currentPath = pathOf(req);
    const render = res.render.bind(res) as Render;
    res.render = ((view: string, options?: Record<string, unknown> | RenderCallback, callback?: RenderCallback): void => {
      const locals = typeof options === 'function' ? {} : (options ?? {});
      const done = (typeof options === 'function' ? options : callback) ?? this.send(view, res);
      void this.viewers.viewContext(req).then((context) => render(view, { ...context, ...locals }, done));
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
