import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { createValidationPipe } from './common/errors/validation.js';
import { InputGuardPipe, verifyJsonDepth } from './common/input-guard.js';
import { loadConfig } from './config/configuration.js';
import { ProblemDocumentView, withProblemResponses } from './common/openapi.js';
import { apiDocsAccess } from './web/api-docs/api-docs-access.js';
import { configureViews } from './web/views.setup.js';

/** No powerful browser feature is used by any page: deny them all, to Mamori and anything it frames. */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * Files that are the same for everyone and may be cached: the stylesheet and script, Swagger UI's
 * own assets (not `swagger-ui-init.js`, which carries the API document).
 */
const CACHEABLE = /^\/static\/|^\/api\/docs\/(?!swagger-ui-init\.js$)[\w.-]+\.(?:js|css|png|map)$/;

/** Everything an application instance needs beyond its modules; shared by main.ts and the tests. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY (nobody by default)
  app.set('trust proxy', loadConfig().app.trustProxy);
  app.disable('x-powered-by');
  // No page may be framed, except the Swagger UI (/api/docs), which Mamori's own API documentation
  // page (/api-docs) frames; its static page also needs its inline styles (it has no user content).
  const securityHeaders = (swaggerUi: boolean) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: swaggerUi ? ["'self'", "'unsafe-inline'"] : ["'self'"],
          scriptSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: [swaggerUi ? "'self'" : "'none'"],
        },
      },
      xFrameOptions: { action: swaggerUi ? 'sameorigin' : 'deny' },
    });
  const unframed = securityHeaders(false);
  const framedBySelf = securityHeaders(true);
  app.use((...[req, res, next]: Parameters<typeof unframed>) => (/^\/api\/docs(?:[/?]|$)/.test(req.url ?? '') ? framedBySelf : unframed)(req, res, next));
  // every answer but the static files is personal (signed-in pages, the API's JSON) or carries a CSRF token
  // (the sign-in and password pages): nothing keeps a copy
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (!CACHEABLE.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(cookieParser());
  // NUL characters, lone surrogates and deep nesting are refused before validation (input-guard.ts)
  app.useGlobalPipes(new InputGuardPipe(), createValidationPipe());
  // Nest leaves `verify` out of the options' type as its rawBody option uses it; Mamori does not use rawBody
  const jsonOptions = { limit: '1mb', verify: verifyJsonDepth };
  app.useBodyParser('json', jsonOptions);
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb' });
  configureViews(app);
  app.use(apiDocsAccess(app, loadConfig().app.env === 'production'));
  SwaggerModule.setup('api/docs', app, createApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

const documents = new WeakMap<NestExpressApplication, OpenAPIObject>();

/**
 * The OpenAPI document served at /api/docs-json (the contract test validates real responses
 * against it), made once per app: walking every route's metadata takes most of a second.
 */
export function createApiDocument(app: NestExpressApplication): OpenAPIObject {
  const made = documents.get(app);
  if (made) return made;
  const document = withProblemResponses(makeApiDocument(app));
  documents.set(app, document);
  return document;
}

function makeApiDocument(app: NestExpressApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Mamori API')
      .setDescription(
        'Security compliance and incident response for local governments. Every route lists its roles under `x-roles`; errors are problem+json (RFC 9457, schema `ProblemDocument`).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDocumentView] },
  );
}
