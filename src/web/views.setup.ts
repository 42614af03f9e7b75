import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { projectRoot } from '../database/project-root.js';
import { I18nService } from './i18n/i18n.service.js';
import { viewHelpers } from './view-helpers.js';

/** Views, partials and static files stay in src/web (the compiled code runs from dist/). */
export const webDir = (...parts: string[]): string => join(projectRoot(), 'src/web', ...parts);

/**
 * Server-rendered pages: Handlebars views with the layout `layout.hbs`, partials registered by file
 * name, the `t`/`dateTime` helpers, and the stylesheet under `/static`.
 */
export function configureViews(app: NestExpressApplication): void {
  const engine = hbs.create();
  const i18n = resolveI18n(app);
  for (const [name, helper] of Object.entries(viewHelpers(i18n))) engine.handlebars.registerHelper(name, helper);
  const partials = webDir('views', 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    engine.handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  app.engine('hbs', engine.__express);
  app.setBaseViewsDir(webDir('views'));
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
