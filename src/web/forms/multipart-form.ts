import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { AppException } from '../../common/errors/app.exception.js';
import { csrfDeferred, verifyDeferredCsrf } from '../middleware/csrf.middleware.js';

const MULTIPART_FORM = 'mamori:multipart-form';

/**
 * A page route that takes a multipart form: `parser` (an interceptor running multer) parses the
 * body, then the form's CSRF field is checked before the handler runs, also when parsing failed
 * (a forged request gets 403, not the parser's error).
 */
export const MultipartForm = (parser: Type<NestInterceptor>): MethodDecorator => applyDecorators(SetMetadata(MULTIPART_FORM, true), UseInterceptors(parser));

/** Runs `parser` and checks the deferred CSRF token once the body is there. */
export async function parseThenVerifyCsrf(parser: NestInterceptor, context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
  const req = context.switchToHttp().getRequest<Request>();
  const verified: CallHandler = {
    handle: () => {
      verifyDeferredCsrf(req);
      return next.handle();
    },
  };
  try {
    return await parser.intercept(context, verified);
  } catch (error) {
    verifyDeferredCsrf(req);
    throw error;
  }
}

/** Refuses a multipart request to a page route not marked `@MultipartForm()`: its CSRF token would go unchecked. */
@Injectable()
export class MultipartFormGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!csrfDeferred(req)) return true;
    if (this.reflector.get<boolean | undefined>(MULTIPART_FORM, context.getHandler())) return true;
    throw new AppException('CSRF_TOKEN_INVALID', 'This form does not accept multipart/form-data');
  }
}
