import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { ROLES, type Role } from './roles.js';

export const PUBLIC_KEY = 'mamori:public';
export const ROLES_KEY = 'mamori:roles';

/** Open to anyone, signed in or not (login, health). Everything else must declare its roles. */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-roles', ['public']));

/**
 * Sign-in, token refresh and password links: limited per client address (AUTH_RATE_LIMIT_PER_MINUTE),
 * against password spraying and floods of the audit trail; over the limit: 429 with Retry-After.
 */
export const RateLimited = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(RateLimitGuard), ApiTooManyRequestsResponse({ description: 'Too many attempts from this address (problem+json, Retry-After)' }));

/** The roles that may call a route; the global guard refuses anyone else with 403. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension('x-roles', roles),
    ApiUnauthorizedResponse({ description: 'Not signed in (problem+json)' }),
    ApiForbiddenResponse({ description: `Allowed roles: ${roles.join(', ')} (problem+json)` }),
  );

/** Any signed-in person. */
export const AnyRole = (): MethodDecorator & ClassDecorator => Roles(...ROLES);

/** The signed-in person, as set by the access guard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
  if (!request.user) throw new Error('CurrentActor used on a route without authentication');
  return request.user;
});

export { clientAddressOf } from './client-address.js';
