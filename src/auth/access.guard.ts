import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import type { Role } from '../common/roles.js';

/**
 * The global guard, deny by default: a route is open only when marked `@Public()`; otherwise the
 * caller must be signed in and hold one of the roles its `@Roles()` names. A route that declares
 * neither is refused to everyone (and the route-declaration test fails).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const actor = context.switchToHttp().getRequest<Request & { user: Actor }>().user;
    if (!roles?.length) throw new AppException('FORBIDDEN', 'This route declares no roles');
    if (!actor.roles.some((role) => roles.includes(role))) {
      throw new AppException('FORBIDDEN', `Requires one of: ${roles.join(', ')}`, undefined, { requiredRoles: roles });
    }
    return true;
  }

  override handleRequest<T>(error: unknown, user: T | false): T {
    if (error instanceof AppException) throw error;
    if (error || !user) throw new AppException('UNAUTHENTICATED');
    return user;
  }
}
