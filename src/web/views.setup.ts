import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { I18nService } from './i18n/i18n.service.js';
import { viewHelpers } from './view-helpers.js';
import { webDir, webFolders } from '../common/web-folders.js';

export { webDir } from '../common/web-folders.js';

/**
 * Server-rendered pages: Handlebars views (the web layer's and each feature's pages' `views/`) with
 * the layout `layout.hbs`, partials registered by file name, the helpers, and the stylesheet under
 * `/static`.
 */
export function configureViews(app: NestExpressApplication): void {
  const engine = hbs.create();
  const i18n = resolveI18n(app);
  for (const [name, helper] of Object.entries(viewHelpers(i18n))) engine.handlebars.registerHelper(name, helper);
  const views = webFolders('views');
  const partialNames = new Map<string, string>();
  for (const partials of views.map((dir) => join(dir, 'partials')).filter((dir) => existsSync(dir))) {
    for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
      const name = basename(file, '.hbs');
      if (partialNames.has(name)) throw new Error(`partial ${name} is defined in both ${partialNames.get(name)} and ${partials}`);
      partialNames.set(name, partials);
      engine.handlebars.registerPartial(name, readFileSync(join(partials, file), 'utf8'));
    }
  }
  app.engine('hbs', engine.__express);
  // the web layer's views, then each feature's pages' views (view names are unique across them)
  app.setBaseViewsDir(views);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layout' });
  app.useStaticAssets(webDir('public'), { prefix: '/static/', index: false, maxAge: '1h' });
}

function resolveI18n(app: NestExpressApplication): I18nService {
  try {
    return app.get(I18nService, { strict: false });
  } catch {
    return new I18nService();
  }
}
