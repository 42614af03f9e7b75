import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ACCESS_COOKIE, AccessTokens } from '../../auth/access-tokens.js';
import { AuthService } from '../../auth/auth.service.js';
import { clientAddressOf } from '../../auth/client-address.js';
import { AppException } from '../../common/errors/app.exception.js';

/**
 * The Swagger UI, its files (`swagger-ui-init.js` holds the whole document) and the OpenAPI document
 * in both forms, served by @nestjs/swagger outside Nest's guards. Express matches routes whatever
 * the case (`/API/DOCS-JSON` is served too), so this does as well, and takes everything under the prefix.
 */
export const API_DOCS_PATH = /^\/api\/docs/i;

/**
 * In production the API's description answers only to a signed-in person: a bearer token (API
 * clients) or the pages' session cookie (the /api-docs page frames the Swagger UI). Anyone else gets
 * 401 problem+json, or, asking for a page, the sign-in page leading back to /api-docs. Elsewhere
 * (development, test) it stays open.
 */
export function apiDocsAccess(app: NestExpressApplication, production: boolean): RequestHandler {
  if (!production) return (_req, _res, next) => next();
  const tokens = app.get(AccessTokens, { strict: false });
  const auth = app.get(AuthService, { strict: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!API_DOCS_PATH.test(req.path)) return next();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : (req.cookies as Record<string, unknown> | undefined)?.[ACCESS_COOKIE];
    const claims = typeof token === 'string' ? tokens.verify(token) : null;
    const refuse = (): void => {
      if (!header && req.accepts(['json', 'html']) === 'html') res.redirect(303, `/login?next=${encodeURIComponent('/api-docs')}`);
      else next(new AppException('UNAUTHENTICATED'));
    };
    if (!claims) return refuse();
    auth.actorForToken(claims, clientAddressOf(req)).then(
      (actor) => (actor ? next() : refuse()),
      (error: unknown) => next(error),
    );
  };
}
