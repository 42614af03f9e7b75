import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { ROLES, type Role } from './roles.js';

export const PUBLIC_KEY = 'mamori:public';
export const ROLES_KEY = 'mamori:roles';

/** Open to anyone, signed in or not (login, health). Everything else must declare its roles. */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-roles', ['public']));

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

/** The client address as seen by Express (honours `trust proxy`). */
export function clientAddressOf(request: Request): string | null {
  return request.ip ?? request.socket.remoteAddress ?? null;
}
