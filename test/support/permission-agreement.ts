import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { PERMISSION_KEY } from '../../src/common/access.decorators.js';
import type { Actor } from '../../src/common/actor.js';
import { assertedPermissions, type AssertedPermission, type Permission } from '../../src/common/permissions.js';

/**
 * Installed by createTestApp: for every request a route answers, checks that its `@May` permission
 * and the `assertMay` calls of the services it used agree, so a route, a page and a CLI command
 * cannot disagree:
 * - an API route that answers has asserted its own permission in the service it called;
 * - no `assertMay` refuses, by role, someone the route's `@May` let in.
 */
export class PermissionAgreement implements NestInterceptor {
  readonly disagreements: string[] = [];

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declared = this.reflector.getAllAndOverride<Permission<never> | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    if (!declared) return next.handle();
    const asserted: AssertedPermission[] = [];
    assertedPermissions.enterWith(asserted);
    const request = context.switchToHttp().getRequest<{ path?: string; user?: Actor }>();
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    const roles = request.user?.roles.join(', ') ?? '?';
    const refusedByRole = (): void => {
      for (const entry of asserted.filter((e) => !e.rolesPassed)) {
        this.disagreements.push(`${route} (${declared.name}) let in [${roles}] but assertMay(${entry.permission.name}) refused them`);
      }
    };
    return next.handle().pipe(
      tap(() => {
        if (request.path?.startsWith('/api/') && !asserted.some((e) => e.permission.name === declared.name)) {
          this.disagreements.push(
            `${route} declares ${declared.name} but its service asserted ${asserted.map((e) => e.permission.name).join(', ') || 'nothing'}`,
          );
        }
        refusedByRole();
      }),
      catchError((error: unknown) => {
        refusedByRole();
        return throwError(() => error);
      }),
    );
  }
}
