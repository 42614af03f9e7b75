import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { may, refusal, type Permission } from '../common/permissions.js';
import { ACCESS_COOKIE, AccessTokens } from './access-tokens.js';
import { AuthService } from './auth.service.js';
import { clientAddressOf } from './client-address.js';
import { PERMISSION_KEY, PUBLIC_KEY } from '../common/access.decorators.js';

/**
 * The global guard, deny by default: a route is open only when marked `@Public()`; otherwise the
 * caller must bring a genuine access token of an open session and may do what its `@May()`
 * permission says. A route that declares neither is refused to everyone (and the route test fails).
 * API clients send `Authorization: Bearer`; web pages send the httpOnly cookie (never to the API).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const token = tokenOf(request);
    const claims = token ? this.tokens.verify(token) : null;
    const actor = claims ? await this.auth.actorForToken(claims, clientAddressOf(request)) : null;
    if (!actor) throw new AppException('UNAUTHENTICATED');
    request.user = actor;
    const permission = this.reflector.getAllAndOverride<Permission<never> | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new AppException('FORBIDDEN', 'This route declares no permission');
    if (!may(actor, permission)) throw refusal(permission);
    return true;
  }
}

function tokenOf(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  if (request.path.startsWith('/api/')) return undefined;
  return (request.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE];
}
