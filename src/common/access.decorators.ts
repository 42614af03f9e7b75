import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from './actor.js';
import { ApiProblem } from './openapi.js';
import type { Permission } from './permissions.js';
import type { Role } from './roles.js';

/**
 * Who may call a route, declared on it (deny by default: the global access guard of the auth
 * feature refuses a route that declares neither `@Public()` nor roles).
 */
export const PUBLIC_KEY = 'mamori:public';
export const ROLES_KEY = 'mamori:roles';
export const PERMISSION_KEY = 'mamori:permission';

/** Open to anyone, signed in or not (login, health). Everything else must declare its roles. */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-roles', ['public']));

/** The roles that may call a route; the global guard refuses anyone else with 403. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension('x-roles', roles),
    ApiProblem(401, 'Not signed in, or the session has ended (UNAUTHENTICATED)'),
    ApiProblem(403, `Allowed roles: ${roles.join(', ')} (FORBIDDEN, with \`requiredRoles\`)`),
  );

/**
 * The route does what `permission` allows: its roles become the route's `@Roles` (the guard and
 * the OpenAPI `x-roles`), and the service method it calls starts with `assertMay` on the same
 * permission, so the API, the pages and the CLI answer alike. The route test checks both agree.
 */
export const May = (permission: Permission<never>): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PERMISSION_KEY, permission), ApiExtension('x-permission', permission.name), Roles(...(permission.roles as [Role, ...Role[]])));

/** The signed-in person, as set by the access guard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
  if (!request.user) throw new Error('CurrentActor used on a route without authentication');
  return request.user;
});
