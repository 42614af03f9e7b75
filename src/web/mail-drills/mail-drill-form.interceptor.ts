import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { StaffImportUploadInterceptor } from '../../staff/staff-import-upload.interceptor.js';
import { parseThenVerifyCsrf } from '../forms/multipart-form.js';

/** The drill results upload form: the API's multer set-up (20 MB, UTF-8 names), then the CSRF check. */
@Injectable()
export class MailDrillFormInterceptor implements NestInterceptor {
  private readonly parser = new StaffImportUploadInterceptor();

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return parseThenVerifyCsrf(this.parser, context, next);
  }
}
