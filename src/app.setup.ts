import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { createValidationPipe } from './common/errors/validation.js';
import { loadConfig } from './config/configuration.js';
import { ProblemDocumentView, withProblemResponses } from './common/openapi.js';
import { configureViews } from './web/views.setup.js';

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
  app.use(cookieParser());
  app.useGlobalPipes(createValidationPipe());
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb' });
  configureViews(app);
  SwaggerModule.setup('api/docs', app, createApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** The OpenAPI document served at /api/docs-json (the contract test validates real responses against it). */
export function createApiDocument(app: NestExpressApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
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
  return withProblemResponses(document);
}
